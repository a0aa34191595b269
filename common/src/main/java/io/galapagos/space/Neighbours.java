package io.galapagos.space;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Single-choice changes in a space too large to list them, drawn at random: a parent's neighbours, and what a
 * mutation answers for a parent none was found for (in a small space, every change of some parents leaves it, and
 * the changes that stay can be too rare for the draws). Stateless.
 */
final class Neighbours {

    /** Random changes drawn before a parent is taken to have no single-choice change that stays in the space. */
    static final int ATTEMPTS = 200;

    /** One random single-choice change of a parent: a member, or not (null, or a draw that left the space). */
    @FunctionalInterface
    interface Draw<A extends Architecture> {
        A next(RandomGenerator rng);
    }

    private Neighbours() {
    }

    /**
     * A change of {@code parent} that {@code draw} makes and {@code space} holds; empty when {@value #ATTEMPTS} draws
     * found none (a parent may then still have one that the draws missed, where few draws stay in the space).
     */
    static <A extends Architecture> Optional<A> change(SearchSpace space, A parent, Draw<A> draw, RandomGenerator rng) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            A child = draw.next(rng);
            if (child != null && !child.equals(parent) && space.violations(child).isEmpty()) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    /** Distinct changes, drawn until {@code limit} are found, many draws repeat, or one finds none. */
    static List<Architecture> drawn(Supplier<? extends Optional<? extends Architecture>> change, int limit) {
        LinkedHashSet<Architecture> found = new LinkedHashSet<>();
        for (int draw = 0; draw < 20 * limit && found.size() < limit; draw++) {
            Optional<? extends Architecture> next = change.get();
            if (next.isEmpty()) {
                break;
            }
            found.add(next.get());
        }
        return List.copyOf(found);
    }

    /**
     * A mutation's answer when no single-choice change of {@code parent} was found in {@code space}: another member
     * drawn at random, or the parent itself in a space of one architecture (a repeat, which strategies already meet).
     */
    static Architecture another(SearchSpace space, Architecture parent, RandomGenerator rng) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Architecture other = space.sample(rng);
            if (!other.equals(parent)) {
                return other;
            }
        }
        return parent;
    }
}
