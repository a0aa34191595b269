package io.galapagos.driver.execution;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.worker.ExecutorIdentity;
import io.galapagos.worker.spark.GuardedTrialRun;

import java.util.concurrent.CompletableFuture;

/**
 * Runs each trial on the calling thread, inside {@link #submit}, and returns an already completed future:
 * no threads, no queues. For trainers that answer in microseconds (tabular benchmarks), where a pool's
 * hand-offs would cost more than the trial, and for deterministic benchmark runs ({@code galapagos bench}):
 * with it, a study runs one trial at a time, strictly in order. Trials run as on any executor
 * ({@link GuardedTrialRun}), recorded as run by {@value ExecutorIdentity#IN_PROCESS}. One slot. Thread-safe
 * when its runner is.
 */
public final class DirectTrialExecutor implements TrialExecutor {

    private final TrialRunner runner;
    private volatile boolean closed;

    public DirectTrialExecutor(TrialRunner runner) {
        if (runner == null) {
            throw new IllegalArgumentException("a trial runner is required");
        }
        this.runner = runner;
    }

    @Override
    public int slots() {
        return 1;
    }

    @Override
    public CompletableFuture<TrialResult> submit(Candidate candidate) {
        TrialExecutor.checkSubmittable(candidate, closed);
        try {
            return CompletableFuture.completedFuture(GuardedTrialRun.run(runner, candidate, ExecutorIdentity.IN_PROCESS));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new TrialExecutionException(candidate.trialId(),
                    "its runner could not run it: " + e, e));
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
