package io.galapagos.driver.strategy;

import io.galapagos.space.Architecture;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;

/**
 * The random start of a strategy that begins from a set of evaluated architectures (regularized evolution's and
 * NSGA-II's population, BANANAS's initial samples): random samples until {@code size} of them are evaluated, as the
 * papers start, counting those still running. A sample that fails or is refused (infeasible, screened out before
 * dispatch) is replaced by another, so that a space where many architectures are infeasible still starts from
 * {@code size} evaluated ones instead of mutating the few that were. Not thread-safe.
 */
final class RandomStart implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int size;
    /** The samples asked and not yet told, by their text. */
    private final Set<String> running = new HashSet<>();

    RandomStart(int size) {
        this.size = size;
    }

    /** Whether the next proposal should be a sample: {@code evaluated} and the samples running fall short of the size. */
    boolean wants(int evaluated) {
        return evaluated + running.size() < size;
    }

    /** Records {@code sample} as one of the start's, running; returns it. */
    Architecture asked(Architecture sample) {
        running.add(sample.text());
        return sample;
    }

    /** A result of {@code architecture}, whatever its outcome, is in: if it was a sample, it no longer runs. */
    void told(Architecture architecture) {
        running.remove(architecture.text());
    }
}
