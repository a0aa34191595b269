package io.galapagos.worker.spark;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.trial.TrialRunnerFactory;
import io.galapagos.worker.ExecutorIdentity;
import org.apache.spark.api.java.function.Function;

/**
 * The function a trial's Spark job maps over its one candidate: trains it with the {@link TrialRunner}
 * made by the factory it carries, and returns the result stamped with the executor that ran it (see
 * {@link GuardedTrialRun}). Only the factory is serialised; the runner is created lazily, once per
 * deserialised instance (Spark deserialises a task's function once per task), on the executor. Caching
 * expensive state across tasks (data sets) is the runner factory's job, once per executor JVM.
 * Thread-safe.
 */
public final class RunCandidateFunction implements Function<Candidate, TrialResult> {

    private static final long serialVersionUID = 1L;

    private final TrialRunnerFactory factory;
    private transient volatile TrialRunner runner;

    public RunCandidateFunction(TrialRunnerFactory factory) {
        if (factory == null) {
            throw new IllegalArgumentException("a trial runner factory is required");
        }
        this.factory = factory;
    }

    public TrialRunnerFactory factory() {
        return factory;
    }

    @Override
    public TrialResult call(Candidate candidate) {
        return GuardedTrialRun.run(runner(), candidate, ExecutorIdentity.executorId());
    }

    private TrialRunner runner() {
        TrialRunner r = runner;
        if (r == null) {
            synchronized (this) {
                r = runner;
                if (r == null) {
                    r = factory.create();
                    if (r == null) {
                        throw new IllegalStateException(factory.getClass().getName() + ".create() returned null");
                    }
                    runner = r;
                }
            }
        }
        return r;
    }

    @Override
    public String toString() {
        return "RunCandidateFunction[" + factory + "]";
    }
}
