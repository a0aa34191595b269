package io.galapagos.driver.execution;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;

import java.util.concurrent.CompletableFuture;

/**
 * Runs candidates somewhere (this JVM, a Spark cluster) and hands back their results asynchronously.
 * {@link #submit} may be called from the study's thread while earlier trials run; implementations are
 * thread-safe.
 */
public interface TrialExecutor extends AutoCloseable {

    /** How many trials can run at once right now (Spark task slots, or in-process threads). */
    int slots();

    /**
     * Starts training {@code candidate}. The future completes with the trial's result, which is a
     * failed or infeasible result for problems of the candidate; it completes exceptionally only when
     * the infrastructure failed (executor lost, job cancelled).
     */
    CompletableFuture<TrialResult> submit(Candidate candidate);

    /**
     * As {@link #submit(Candidate)}, and runs {@code started} once the trial has begun (for Spark: once its task was
     * launched on an executor), so that its deadline can count from then, not from a wait for a task slot or for an
     * executor to join. {@code started} runs at most once, on any thread, possibly after the future completed. This
     * default counts the hand-over as the beginning, which is right for executors that run a trial at once.
     */
    default CompletableFuture<TrialResult> submit(Candidate candidate, Runnable started) {
        started.run();
        return submit(candidate);
    }

    /** The argument checks every {@link #submit} makes: a candidate, and an executor not yet closed. */
    static void checkSubmittable(Candidate candidate, boolean closed) {
        if (candidate == null) {
            throw new IllegalArgumentException("candidate is required");
        }
        if (closed) {
            throw new IllegalStateException("this executor is closed; cannot run " + candidate.trialId());
        }
    }

    /** Stops running trials and releases threads; idempotent. */
    @Override
    void close();
}
