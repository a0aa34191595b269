package io.galapagos.worker.supernet;

import io.galapagos.space.CellArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.worker.ExecutorIdentity;
import io.galapagos.worker.data.DataSplit;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.network.BuiltNetwork;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.spark.TaskGpus;
import io.galapagos.worker.training.GpuAffinity;
import io.galapagos.worker.training.NativeThreads;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures a candidate cell on the trained supernet of its part instead of training it: the supernet is read once
 * per executor JVM ({@link LoadedSupernets}), the cell's path network inherits its weights, batch normalisation is
 * recalibrated on the first {@code calibrationBatches} mini-batches of the training split, and the validation
 * accuracy is measured ({@link SupernetEvaluator}): about a second a candidate on a CPU (the study batches
 * candidates into one task when that is short against a task's overhead).
 *
 * <p>A candidate is {@link TrialResult.Completed} with {@link Metrics#VAL_ACCURACY} (on shared weights),
 * {@link Metrics#PARAMS} and {@link Metrics#FLOPS} of its stand-alone network; {@link TrialResult.Infeasible} when
 * it is not a cell of the spec's space or its network cannot be built. A supernet file that is missing, damaged or
 * of another supernet is an {@link UncheckedIOException} naming it (no candidate's fault). Thread-safe: besides
 * its settings it holds only the supernets it has used (one runner serves one task), and those are lent frozen.
 */
public final class SupernetTrialRunner implements TrialRunner {

    private final SupernetSpec spec;
    private final int calibrationBatches;
    /** The supernets this runner's candidates used, by part. */
    private final Map<Integer, SharedWeights> supernets = new ConcurrentHashMap<>();

    /** Made by {@link SupernetRunnerFactory}, which checks the settings. */
    SupernetTrialRunner(SupernetSpec spec, int calibrationBatches) {
        this.spec = spec;
        this.calibrationBatches = calibrationBatches;
    }

    @Override
    public TrialResult run(Candidate candidate) {
        Instant started = Instant.now();
        // this task's cores and GPU, as every trial and supernet training has them
        GpuAffinity.bind(TaskGpus.addresses());
        NativeThreads.limit(NativeThreads.taskCores());
        if (!(candidate.architecture() instanceof CellArchitecture cell) || spec.partOf(cell) < 0) {
            return new TrialResult.Infeasible(candidate, "not a cell of the supernet's space (operations "
                    + spec.operations().stream().map(op -> op.text()).toList() + ")", Metrics.EMPTY,
                    execution(started));
        }
        DataSplit split;
        try {
            split = DatasetCache.get(spec.data());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the data: " + e.getMessage(), e);
        }
        ImageDataset train = split.train();
        InputSpec input = InputSpec.of(train);
        SharedWeights weights = supernet(spec.partOf(cell), input);
        // a network per candidate, dropped after it: candidates of a search are seldom measured twice
        try (PathNetworks paths = spec.paths(input)) {
            BuiltNetwork network = paths.network(cell);
            double accuracy = new SupernetEvaluator(paths, weights).accuracy(cell, train, calibrationBatches,
                    spec.batchSize(), split.validation());
            Metrics metrics = Metrics.EMPTY.with(Metrics.VAL_ACCURACY, accuracy)
                    .with(Metrics.PARAMS, network.params()).with(Metrics.FLOPS, network.flops());
            return new TrialResult.Completed(candidate, metrics, execution(started));
        } catch (InfeasibleNetworkException e) {
            return new TrialResult.Infeasible(candidate, e.getMessage(), Metrics.EMPTY, execution(started));
        }
    }

    /**
     * The supernet of {@code part}: asked of {@link LoadedSupernets} (a file status, then a read once per JVM) the
     * first time this runner, i.e. one task, needs it, and kept for the task's later candidates.
     */
    private SharedWeights supernet(int part, InputSpec input) {
        return supernets.computeIfAbsent(part, p -> {
            try {
                return LoadedSupernets.get(new Path(spec.folder(), spec.fileName(p)), spec.identity(p, input));
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    private static Execution execution(Instant started) {
        return ExecutorIdentity.execution(started, Instant.now());
    }
}
