package io.galapagos.worker.spark;

import io.galapagos.worker.ExecutorIdentity;
import io.galapagos.worker.supernet.SupernetPartOutcome;
import io.galapagos.worker.supernet.SupernetPartTraining;
import io.galapagos.worker.supernet.SupernetSpec;
import io.galapagos.worker.training.GpuAffinity;
import io.galapagos.worker.training.NativeThreads;
import org.nd4j.linalg.factory.Nd4j;
import org.apache.spark.api.java.function.Function;

/**
 * The function a supernet-training Spark job maps over part indices: one task per part, so that the sub-supernets
 * of few-shot NAS train at once on as many executors (or GPUs, when Spark assigns them). Binds the task's GPU,
 * limits native threads to the task's cores, and trains the part ({@link SupernetPartTraining}). Only the spec is
 * serialised. Thread-safe.
 */
public final class TrainSupernetPartFunction implements Function<Integer, SupernetPartOutcome> {

    private static final long serialVersionUID = 1L;

    private final SupernetSpec spec;

    public TrainSupernetPartFunction(SupernetSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("a supernet spec is required");
        }
        this.spec = spec;
    }

    @Override
    public SupernetPartOutcome call(Integer part) throws Exception {
        GpuAffinity.bind(TaskGpus.addresses());
        NativeThreads.limit(NativeThreads.taskCores());
        try {
            return SupernetPartTraining.run(spec, part, ExecutorIdentity.executorId());
        } finally {
            // the task's thread may next train a network, whose measured memory would count these workspaces
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
    }
}
