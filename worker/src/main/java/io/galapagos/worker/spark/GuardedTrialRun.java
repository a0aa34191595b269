package io.galapagos.worker.spark;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.worker.ExecutorIdentity;
import org.apache.spark.TaskContext;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs one candidate through a {@link TrialRunner} the way every executor does, Spark or in-process:
 * a runner that breaks its contract by throwing (or by returning nothing, or another candidate's result)
 * yields a {@link TrialResult.Failed} naming the problem, so that a bug in training costs one trial
 * rather than failing (and on Spark, retrying) the job as if the infrastructure had failed; and the result
 * records where it ran ({@link #stamp}): executor, host and pid, and, inside a Spark task, the GPU addresses
 * Spark assigned to the task ({@link TaskGpus}), for every result, failed ones included. {@link Error}s, and exceptions raised while the trial is being
 * cancelled (its thread or Spark task interrupted), propagate. Stateless; thread-safe.
 */
public final class GuardedTrialRun {

    private GuardedTrialRun() {
    }

    public static TrialResult run(TrialRunner runner, Candidate candidate, String executorId) {
        Instant started = Instant.now();
        Optional<List<String>> taskGpus = TaskGpus.ofCurrentTask();
        TrialResult result;
        try {
            result = runner.run(candidate);
        } catch (RuntimeException e) {
            if (cancelled()) {
                throw e;
            }
            return failed(candidate, "runner threw " + describe(e), started, executorId, taskGpus);
        }
        if (result == null) {
            return failed(candidate, "runner returned no result", started, executorId, taskGpus);
        }
        if (!result.candidate().equals(candidate)) {
            return failed(candidate, "runner returned the result of another candidate ("
                    + result.candidate().trialId() + ")", started, executorId, taskGpus);
        }
        return stamp(result, executorId, taskGpus);
    }

    /**
     * {@code result} with its execution's executor, host and pid replaced by {@code executorId} and this
     * JVM's host and pid (the JVM that ran the trial), and, when the calling thread runs a Spark task, its
     * GPUs replaced by the addresses Spark assigned to that task (none, if it assigned none); outside a task
     * the GPUs the runner recorded are kept. Slot, start and finish times are kept. Trial runners need not
     * know Spark to record where they ran.
     */
    public static TrialResult stamp(TrialResult result, String executorId) {
        return stamp(result, executorId, TaskGpus.ofCurrentTask());
    }

    private static TrialResult stamp(TrialResult result, String executorId, Optional<List<String>> taskGpus) {
        Execution e = result.execution();
        Execution here = new Execution(executorId, ExecutorIdentity.host(), ExecutorIdentity.pid(), e.slot(),
                taskGpus.orElse(e.gpus()), e.started(), e.finished(), e.hardware());
        return here.equals(e) ? result : result.withExecution(here);
    }

    private static boolean cancelled() {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        try {
            TaskContext task = TaskContext.get();
            return task != null && task.isInterrupted();
        } catch (LinkageError noSpark) {
            return false;
        }
    }

    private static TrialResult failed(Candidate candidate, String reason, Instant started, String executorId,
                                      Optional<List<String>> taskGpus) {
        Execution execution = new Execution(executorId, ExecutorIdentity.host(), ExecutorIdentity.pid(),
                Execution.NO_SLOT, taskGpus.orElse(List.of()), started, Instant.now());
        return new TrialResult.Failed(candidate, reason, Metrics.EMPTY, execution);
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            s.append("; caused by ").append(cause);
        }
        return s.toString();
    }
}
