package io.galapagos.driver.strategy;

import io.galapagos.space.Architecture;
import io.galapagos.trial.TrialResult;

import java.io.Serializable;

/**
 * Proposes architectures and learns from their results: ask/tell over immutable values. A strategy never
 * runs trials, never sees Spark, DL4J or files. {@link #ask()} may be called several times before the
 * matching results are told (trials run asynchronously), and results may arrive in any order. Given the
 * same seed and the same sequence of calls, a strategy makes the same proposals. A strategy is
 * {@link Serializable} with all its state, random generators included, so a snapshot restored later makes
 * the same next proposals ({@link StrategySnapshots}). Not thread-safe: the study loop calls it from one
 * thread.
 */
public interface SearchStrategy extends Serializable {

    /** The next architecture to try; never one this strategy proposed before while others remain. */
    Architecture ask();

    /** The outcome of an architecture this strategy proposed. Failed and infeasible results are told too. */
    void tell(TrialResult result);

    /**
     * An architecture this strategy proposed that will not be trained for it, so will never be told (Hyperband
     * passes over an inner proposal another bracket already started). A strategy that waits for every proposal's
     * result stops waiting for it; one that does not, does nothing.
     */
    default void withdrawn(Architecture architecture) {
    }
}
