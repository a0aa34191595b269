package io.galapagos.driver.execution;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An executor that can run several candidates in one unit of work (one Spark task), one after another,
 * to spread the fixed cost of launching work over several short trials. The batch occupies one slot.
 */
public interface BatchingTrialExecutor extends TrialExecutor {

    /**
     * Starts training {@code candidates} in one unit of work. The future completes with their results,
     * in the same order, once all are done; exceptionally as {@link #submit} does. Cancelling it cancels
     * the whole batch.
     */
    CompletableFuture<List<TrialResult>> submitBatch(List<Candidate> candidates);

    /** As {@link #submitBatch(List)}, telling {@code started} when the batch begins, as {@link #submit(Candidate, Runnable)} does. */
    default CompletableFuture<List<TrialResult>> submitBatch(List<Candidate> candidates, Runnable started) {
        started.run();
        return submitBatch(candidates);
    }
}
