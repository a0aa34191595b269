package io.galapagos.worker.spark;

import io.galapagos.worker.ExecutorIdentity;
import io.galapagos.worker.darts.DartsEpochOutcome;
import io.galapagos.worker.darts.DartsEpochTraining;
import io.galapagos.worker.darts.DartsSpec;
import io.galapagos.worker.training.GpuAffinity;
import io.galapagos.worker.training.NativeThreads;
import org.apache.spark.api.java.function.Function;

/**
 * The function a DARTS Spark job maps over search indices: one task per seed, each training that search's next
 * epoch ({@link DartsEpochTraining}), so that the seeds of one epoch run at once on as many executors (or GPUs).
 * Binds the task's GPU and limits native threads to the task's cores. Only the spec and the epoch are serialised.
 * Thread-safe.
 */
public final class TrainDartsEpochFunction implements Function<Integer, DartsEpochOutcome> {

    private static final long serialVersionUID = 1L;

    private final DartsSpec spec;
    private final int epoch;

    public TrainDartsEpochFunction(DartsSpec spec, int epoch) {
        if (spec == null || epoch < 0 || epoch >= spec.settings().epochs()) {
            throw new IllegalArgumentException("a DARTS spec and one of its epochs are required");
        }
        this.spec = spec;
        this.epoch = epoch;
    }

    @Override
    public DartsEpochOutcome call(Integer search) throws Exception {
        GpuAffinity.bind(TaskGpus.addresses());
        NativeThreads.limit(NativeThreads.taskCores());
        return DartsEpochTraining.run(spec, search, epoch, ExecutorIdentity.executorId());
    }
}
