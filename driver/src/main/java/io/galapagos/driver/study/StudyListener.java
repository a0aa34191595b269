package io.galapagos.driver.study;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;

/** Observes a study from its loop thread; implementations need not be thread-safe. */
public interface StudyListener {

    /** A candidate was handed to the executor. */
    default void submitted(Candidate candidate) {
    }

    /** A trial finished; {@code finished} results are in, out of {@code total}. */
    void finished(TrialResult result, int finished, int total);
}
