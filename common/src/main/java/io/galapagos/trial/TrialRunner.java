package io.galapagos.trial;

/**
 * Turns a candidate into a result: build, train and measure (DL4J), or look up (tabular benchmark).
 * Implementations never throw for a bad candidate; they return {@link TrialResult.Failed} or
 * {@link TrialResult.Infeasible}. The same runner serves in-process and Spark execution.
 */
public interface TrialRunner {

    TrialResult run(Candidate candidate);
}
