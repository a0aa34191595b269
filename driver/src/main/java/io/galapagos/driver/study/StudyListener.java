package io.galapagos.driver.study;

import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;

/**
 * Observes a study from its loop thread; implementations need not be thread-safe. For each result the
 * study calls every listener's {@link #finished} first, then tells the strategy, then calls {@link #told}:
 * a journal that is a listener has the result on record before the strategy acts on it.
 */
public interface StudyListener {

    /** A candidate was proposed and is handed to the executor (or handed to it again, to run again). */
    default void submitted(Candidate candidate) {
    }

    /**
     * A trial finished; {@code finished} results that count towards the trials are in, out of {@code total}
     * ({@link TrialBudget}: a candidate refused before dispatch may not count).
     */
    void finished(TrialResult result, int finished, int total);

    /** The strategy has been told of {@code result}; its state now includes it. */
    default void told(SearchStrategy strategy, TrialResult result) {
    }
}
