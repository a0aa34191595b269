package io.galapagos.worker.training;

import io.galapagos.config.DataConfig;
import io.galapagos.config.TrainingConfig;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.worker.ExecutorIdentity;
import io.galapagos.worker.data.LabelledExamples;
import io.galapagos.worker.data.Splits;
import io.galapagos.worker.network.BuiltNetwork;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.spark.TaskGpus;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * Trains and measures a candidate with DeepLearning4J on the CPU or GPU backend ND4J loaded.
 *
 * <p>One run: on the CUDA backend, bind the thread to the GPU Spark assigned to the task
 * ({@link GpuAffinity}, {@link TaskGpus}); limit ND4J's native threads to the cores the Spark task owns
 * ({@code spark.task.cpus}, 1 outside Spark); take the data's splits, loaded once per JVM ({@link TrainingData}:
 * images for macro and cell architectures, token sequences for sequence architectures); build the network
 * ({@link NetworkBuilder}, seeded by the candidate; cells on the configured skeleton, {@code training.cellNetwork()});
 * train it ({@code epochs} passes in a seeded order, or until {@code maxSeconds}); measure it (its execution
 * names the hardware measured on, {@link HardwareSignature}); close it.
 *
 * <p>Fidelity levels ({@code training.fidelity_epochs}): a candidate at level {@code k} trains
 * {@code fidelity_epochs[k]} epochs, one at full fidelity {@code epochs}. Given a checkpoint folder
 * ({@link LevelCheckpoints}), a training that finishes a level below the last is saved there (weights, updater
 * state, seed, epochs done), and a candidate at a higher level continues the highest such checkpoint of its
 * architecture: it trains only the remaining epochs, in the example order and with the weights of the trial
 * that started the training (its seed, not the candidate's), so that it ends exactly where uninterrupted
 * training would have. Without a usable checkpoint it trains from scratch with its own seed. The metric
 * {@link Metrics#CONTINUED_FROM_EPOCHS} (on every candidate at a level) says which happened; {@link Metrics#EPOCHS}
 * counts the epochs in all, {@link Metrics#TRAIN_SECONDS} this trial's own training only. A training cut by the
 * time budget, or diverged, saves nothing.
 *
 * <p>Outcomes:
 * <ul>
 *   <li>{@link TrialResult.Completed} with {@link Metrics#VAL_ACCURACY}, {@link Metrics#TEST_ACCURACY},
 *       {@link Metrics#PARAMS}, {@link Metrics#FLOPS}, {@link Metrics#TRAIN_SECONDS}, {@link Metrics#EPOCHS}
 *       (fewer than configured when the time budget ended training, which also sets
 *       {@link Metrics#TIME_CAPPED}) and {@link Metrics#LATENCY_MS} (median single-example inference,
 *       corrected for the machine's speed by {@link SpeedReference});</li>
 *   <li>{@link TrialResult.Failed} when the loss diverged (reason {@code diverged: ...}) or training
 *       threw (the reason names the exception), with the metrics known by then, or when the candidate asks for a
 *       fidelity level the training does not have (the reason names the configured levels);</li>
 *   <li>{@link TrialResult.Infeasible} when the network is over the limits or an analytic bound of
 *       {@code training.constraints()} (checked before it is allocated), cannot be built, or runs out of memory
 *       (heap or native); or, with all its metrics, when a measured metric (latency, measured training memory) is
 *       over its bound.</li>
 * </ul>
 * It throws only for what no candidate causes: unreadable data ({@link UncheckedIOException}) and a
 * task being killed ({@link CancellationException}).
 *
 * <p>Thread-safe: it holds only settings, and every run builds its own network, so one runner may serve
 * several concurrent tasks of a JVM.
 */
public final class Dl4jTrialRunner implements TrialRunner {

    /** Examples per forward pass when measuring accuracy: large enough to be fast, small in memory. */
    private static final int EVALUATION_CHUNK = 512;

    private final TrainingData<?> data;
    private final TrainingConfig training;
    private final int threads;
    private final NetworkBuilder builder;
    /** Where trainings at the lower fidelity levels are saved and continued; null for none. */
    private final LevelCheckpoints checkpoints;

    /**
     * A runner whose networks may hold up to {@link NetworkBuilder#DEFAULT_MAX_PARAMS} parameters and
     * whose estimated training memory must fit JavaCPP's off-heap limit ({@code
     * -Dorg.bytedeco.javacpp.maxbytes}, by default the JVM's maximum heap); each trial uses as many native
     * threads as its Spark task owns cores (1 outside Spark).
     */
    public Dl4jTrialRunner(DataConfig data, TrainingConfig training) {
        this(data, training, 0);
    }

    /**
     * @param threads native threads per trial; 0 for the cores of the Spark task (1 outside Spark). The
     *                JVM-wide limits are set by the first trial of the JVM ({@link NativeThreads})
     */
    public Dl4jTrialRunner(DataConfig data, TrainingConfig training, int threads) {
        this(data, training, threads, null);
    }

    /**
     * @param threads     native threads per trial, as above
     * @param checkpoints the folder (a Hadoop FileSystem URI or a local path) where trainings at the lower
     *                    fidelity levels are saved for their promotions to continue, or null to save none and
     *                    train every candidate from scratch
     */
    public Dl4jTrialRunner(DataConfig data, TrainingConfig training, int threads, String checkpoints) {
        this(new ImageTrainingData(data), training, threads, checkpoints);
    }

    /**
     * @param data        images or text
     * @param threads     native threads per trial, as above
     * @param checkpoints where lower fidelity levels are saved, as above
     */
    public Dl4jTrialRunner(TrainingData<?> data, TrainingConfig training, int threads, String checkpoints) {
        if (data == null || training == null) {
            throw new IllegalArgumentException("data and training settings are required");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (the task's cores) or positive, got " + threads);
        }
        this.data = data;
        this.training = training;
        this.threads = threads;
        this.builder = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, NetworkBuilder.offHeapLimit(), training.constraints(),
                training.cellNetwork());
        this.checkpoints = checkpoints == null ? null : new LevelCheckpoints(checkpoints, data, training);
    }

    @Override
    public TrialResult run(Candidate candidate) {
        int level = candidate.fidelity();
        if (level >= training.fidelityLevels().count()) {
            return new TrialResult.Failed(candidate, training.fidelityLevels().notConfigured(level), Metrics.EMPTY,
                    execution(Instant.now()));
        }
        return withNetwork(data, candidate, (network, split, started) ->
                trainAndMeasure(candidate, candidate.architecture().text(), network, split, started));
    }

    /**
     * The candidate's network timed as {@link Metrics#LATENCY_MS} untrained, beside its analytic metrics: inference
     * costs the same whatever the weights, so this answers in milliseconds what a trial answers after training. A
     * {@link TrialResult.Completed} without accuracies, or {@link TrialResult.Infeasible} as {@link #run} would be.
     */
    public TrialResult measureLatency(Candidate candidate) {
        return withNetwork(data, candidate, (network, split, started) -> {
            try {
                Metrics metrics = network.metrics().with(Metrics.LATENCY_MS, latency(network.graph(),
                        split.validation()));
                return new TrialResult.Completed(candidate, metrics, execution(started));
            } catch (RuntimeException | OutOfMemoryError e) {
                // as a trial's: a network that does not fit is infeasible, not a failed task Spark runs again
                if (Failures.outOfMemory(e)) {
                    return new TrialResult.Infeasible(candidate,
                            InfeasibleNetworkException.OUT_OF_MEMORY + Failures.describe(e), network.metrics(),
                            execution(started));
                }
                throw e;
            }
        });
    }

    /** What is done with a candidate's network once built. */
    @FunctionalInterface
    private interface NetworkUse {
        TrialResult apply(BuiltNetwork network, Splits split, Instant started);
    }

    /** Builds the candidate's network on this task's threads and devices, uses it, and frees it. */
    private <S extends Splits> TrialResult withNetwork(TrainingData<S> data, Candidate candidate, NetworkUse use) {
        Instant started = Instant.now();
        GpuAffinity.bind(TaskGpus.addresses());
        String hardware = HardwareSignature.of(NativeThreads.limit(threads > 0 ? threads : NativeThreads.taskCores()));
        // workspaces another use of this thread left (candidates measured on a supernet keep theirs for the next
        // one) would count in this training's measured memory
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        S split = load(data);
        BuiltNetwork network;
        try {
            network = builder.build(candidate.architecture(), data.input(split), training.batchSize(),
                    training.learningRate(), candidate.seed());
        } catch (InfeasibleNetworkException e) {
            return new TrialResult.Infeasible(candidate, e.getMessage(), e.metrics(), execution(started));
        }
        try {
            TrialResult result = use.apply(network, split, started);
            return result.withExecution(result.execution().withHardware(hardware));
        } finally {
            network.graph().close();
            // a task's thread may never train again: give its workspaces back now
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            // ND4J frees the native memory of arrays outside workspaces only when the garbage collector finds
            // them, and training fills native memory, not the heap, so the collector seldom runs: without this,
            // an executor grew by gigabytes a trial until the kernel killed it (a full-data search, 24 GB)
            Nd4j.getMemoryManager().invokeGc();
        }
    }

    private TrialResult trainAndMeasure(Candidate candidate, String architecture, BuiltNetwork network,
                                        Splits split, Instant started) {
        ComputationGraph graph = network.graph();
        Metrics metrics = network.metrics();
        int level = candidate.fidelity();
        int epochs = training.epochsAt(level);
        try {
            Trainer.Start start = checkpoints != null && level > 0
                    ? checkpoints.restore(architecture, level, epochs, graph, candidate.seed())
                    : Trainer.Start.fresh(candidate.seed());
            Trainer.Outcome outcome = Trainer.train(graph, split.train(), training, start, epochs);
            metrics = metrics.with(Metrics.EPOCHS, outcome.epochs()).with(Metrics.TRAIN_SECONDS, outcome.seconds())
                    .with(Metrics.MEASURED_TRAIN_BYTES, TrainingMemory.networkBytes(graph) + outcome.workspaceBytes());
            if (!candidate.fullFidelity()) {
                metrics = metrics.with(Metrics.CONTINUED_FROM_EPOCHS, start.epochs());
            }
            if (outcome.capped()) {
                metrics = metrics.with(Metrics.TIME_CAPPED, 1);
            }
            boolean promotable = !candidate.fullFidelity() && level < training.fidelityLevels().count() - 1;
            if (checkpoints != null && promotable && outcome.finished()) {
                // now, before measuring: the thread's random generator state is part of the checkpoint
                checkpoints.save(architecture, level, graph, start.seed(), epochs, outcome.firstLoss());
            }
            if (outcome.divergence() != null) {
                return new TrialResult.Failed(candidate, outcome.divergence(), metrics, execution(started));
            }
            metrics = metrics
                    .with(Metrics.VAL_ACCURACY, Accuracy.of(graph, split.validation(), EVALUATION_CHUNK))
                    .with(Metrics.TEST_ACCURACY, Accuracy.of(graph, split.test(), EVALUATION_CHUNK))
                    .with(Metrics.LATENCY_MS, latency(graph, split.validation()));
            Optional<String> violation = training.constraints().violation(metrics);
            return violation.isPresent()
                    ? new TrialResult.Infeasible(candidate, violation.get(), metrics, execution(started))
                    : new TrialResult.Completed(candidate, metrics, execution(started));
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            if (Failures.outOfMemory(e)) {
                return new TrialResult.Infeasible(candidate,
                        InfeasibleNetworkException.OUT_OF_MEMORY + Failures.describe(e), metrics, execution(started));
            }
            return new TrialResult.Failed(candidate, "exception during training: " + Failures.describe(e), metrics,
                    execution(started));
        }
    }

    private double latency(ComputationGraph graph, LabelledExamples examples) {
        DataSet example = examples.batch(new int[]{0}, 0, 1);
        try {
            return Latency.millis(graph, example, training.latencyRepeats());
        } finally {
            example.getFeatures().close();
            example.getLabels().close();
            if (example.getFeaturesMaskArray() != null) {
                example.getFeaturesMaskArray().close();
            }
        }
    }

    private static <S extends Splits> S load(TrainingData<S> data) {
        try {
            return data.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the data: " + e.getMessage(), e);
        }
    }

    private static Execution execution(Instant started) {
        return ExecutorIdentity.execution(started, Instant.now());
    }

    @Override
    public String toString() {
        return "Dl4jTrialRunner[" + data + ", " + training + (checkpoints == null ? "" : ", " + checkpoints) + "]";
    }
}
