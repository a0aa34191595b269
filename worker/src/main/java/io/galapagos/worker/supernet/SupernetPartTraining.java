package io.galapagos.worker.supernet;

import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.DataSplit;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.InputSpec;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Trains one part of a {@link SupernetSpec} to its epochs, where its Spark task runs: continues from the part's
 * checkpoint when there is one (a resumed search trains no epoch twice), else starts from the spec's warm-up
 * (when it has one) or from scratch, and writes a checkpoint after every epoch. The learning rate falls step by step
 * along a cosine to zero at the part's last step. Each epoch draws its example order and cells from a generator of its
 * own ({@link SupernetSpec#epochSeed}), so a continued training ends exactly where an uninterrupted one would (on one
 * native thread). Stateless.
 */
public final class SupernetPartTraining {

    private SupernetPartTraining() {
    }

    /**
     * @param executor names the executor in the outcome
     * @throws IOException when the data or the part's checkpoint cannot be read (a damaged or foreign checkpoint
     *                     is refused, naming the file), or a checkpoint cannot be written
     */
    public static SupernetPartOutcome run(SupernetSpec spec, int part, String executor)
            throws IOException, InfeasibleNetworkException {
        DataSplit split = DatasetCache.get(spec.data());
        ImageDataset train = split.train();
        InputSpec input = InputSpec.of(train);
        SupernetIdentity identity = spec.identity(part, input);
        Path file = new Path(spec.folder(), spec.fileName(part));
        FileSystem fs = HadoopFileSystems.of(file, HadoopFileSystems.configuration());
        // a sub-supernet's own rate; without a split it is the spec's one rate
        NamedOptimiser optimiser = spec.optimiser(spec.splitLearningRate());
        SharedWeights weights = new SharedWeights();
        int resumed = 0;
        if (SupernetCheckpoint.exists(fs, file)) {
            SupernetCheckpoint.Contents contents = SupernetCheckpoint.read(fs, file, identity);
            weights = contents.weights();
            optimiser.restore(contents.optimiser());
            resumed = contents.epochs();
        } else if (spec.warmupEpochs() > 0) {
            // a sub-supernet starts from the warmed-up one-shot weights (and the optimiser's state), as in few-shot NAS
            SupernetCheckpoint.Contents contents = warmUp(fs, spec, input);
            weights = contents.weights();
            optimiser.restore(contents.optimiser());
        }
        long start = System.nanoTime();
        double loss = Double.NaN;
        try (PathNetworks paths = spec.paths(input)) {
            SposTrainer trainer = new SposTrainer(paths, weights, optimiser, spec.sampler(part), spec.batchSize());
            for (int epoch = resumed; epoch < spec.epochs(); epoch++) {
                int done = epoch;
                // annealed step by step to zero over this part's epochs: the weights a cell is measured with settle
                DoubleUnaryOperator rate = share -> 0.5 * (1 + Math.cos(Math.PI * (done + share) / spec.epochs()));
                loss = trainer.epoch(train, new SplittableRandom(spec.epochSeed(part, epoch)), rate);
                SupernetCheckpoint.write(fs, file, identity, epoch + 1, weights, optimiser);
            }
        }
        return new SupernetPartOutcome(part, resumed, Math.max(resumed, spec.epochs()),
                (System.nanoTime() - start) / 1e9, loss, executor);
    }

    /**
     * The finished warm-up of {@code spec} (its one-shot supernet, {@link SupernetSpec#warmUp}).
     *
     * @throws IOException when it cannot be read, is damaged or foreign, or holds fewer epochs than the warm-up's
     */
    static SupernetCheckpoint.Contents warmUp(FileSystem fs, SupernetSpec spec, InputSpec input) throws IOException {
        SupernetSpec warmUp = spec.warmUp();
        Path warm = new Path(warmUp.folder(), warmUp.fileName(0));
        SupernetCheckpoint.Contents contents = SupernetCheckpoint.read(fs, warm, warmUp.identity(0, input));
        if (contents.epochs() < warmUp.epochs()) {
            throw new IOException(warm + ": the warm-up holds " + contents.epochs() + " epochs, not "
                    + warmUp.epochs());
        }
        return contents;
    }
}
