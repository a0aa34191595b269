package io.galapagos.space;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Block-wise recombination shared by the spaces: a child's list of blocks (or edges) takes each slot from either
 * parent, so that a block keeps its position and with it what it reads. Stateless.
 */
final class Crossover {

    /** Children drawn before giving up and answering a parent: children that leave the space are rare. */
    private static final int ATTEMPTS = 50;

    private Crossover() {
    }

    /**
     * A list as long as one parent's (drawn evenly when the lengths differ) whose slot {@code j} comes from either
     * parent that has one, drawn evenly, else from the parent it is as long as.
     */
    static <T> List<T> blockwise(List<T> x, List<T> y, RandomGenerator rng) {
        List<T> longer = x.size() >= y.size() ? x : y;
        List<T> lengthDonor = x.size() == y.size() ? x : rng.nextBoolean() ? x : y;
        List<T> child = new ArrayList<>(lengthDonor.size());
        for (int j = 0; j < lengthDonor.size(); j++) {
            boolean both = j < x.size() && j < y.size();
            child.add(!both ? longer.get(j) : rng.nextBoolean() ? x.get(j) : y.get(j));
        }
        return child;
    }

    /**
     * The first child {@code draw} makes that is a member of {@code space} (a draw that breaks an architecture's own
     * rules throws {@link IllegalArgumentException} and is drawn again); one of the parents when no draw is.
     */
    static <A extends Architecture> A member(SearchSpace space, A x, A y, RandomGenerator rng,
                                             Function<RandomGenerator, A> draw) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                A child = draw.apply(rng);
                if (space.violations(child).isEmpty()) {
                    return child;
                }
            } catch (IllegalArgumentException brokenChild) {
                // draw again
            }
        }
        return rng.nextBoolean() ? x : y;
    }
}
