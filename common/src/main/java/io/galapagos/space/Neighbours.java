package io.galapagos.space;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Single-choice changes in a space too large to list them, drawn at random: a parent's neighbours, and what a
 * mutation answers for a parent that has none (in a small space, every change of some parents leaves it). Stateless.
 */
final class Neighbours {

    /** Random changes drawn before a parent is taken to have no single-choice change that stays in the space. */
    static final int ATTEMPTS = 200;

    private Neighbours() {
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
     * A mutation's answer when {@code parent} has no single-choice change in {@code space}: another member drawn at
     * random, or the parent itself in a space of one architecture (a repeat, which strategies already meet).
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
