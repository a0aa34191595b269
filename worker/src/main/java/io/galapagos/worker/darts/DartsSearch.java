package io.galapagos.worker.darts;

import io.galapagos.space.CellArchitecture;
import io.galapagos.worker.data.ExampleOrder;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.supernet.NamedOptimiser;
import io.galapagos.worker.supernet.NamedSgd;
import io.galapagos.worker.supernet.SharedWeights;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * First-order DARTS (Liu et al. 2019) on a {@link MixedCellSupernet}: for every training mini-batch, one Adam step of
 * {@code alpha} on the gradient of a held-out mini-batch's loss (examples the weights never train on), then one
 * SGD-with-momentum step of the network weights on the training mini-batch's loss, the weights' rate annealed over the
 * epochs by a cosine. In the first {@code warmupEpochs} only the weights learn ({@code alpha} stays uniform; the
 * held-out batches are only measured), as PC-DARTS and DrNAS warm up: an untrained convolution cannot yet compete with
 * a parameter-free operation, and {@code alpha} would otherwise commit to pooling and skips in the first epoch. With
 * the remedy on, every edge carries DARTS-'s auxiliary skip connection (Chu et al. 2021) weighted {@code 1 - e / E} in
 * epoch {@code e} of {@code E}: the skip gives every edge the easy gradient path for free, so {@code alpha} need not
 * favour {@code skip_connect} to get it, and it is gone by the end, so the supernet whose cell is derived has none.
 *
 * <p>Deterministic: mini-batch orders come from the generator given to {@link #epoch}. Not thread-safe.
 */
public final class DartsSearch {

    /**
     * Mini-batches between two garbage collections: ND4J leaves native buffers to the collector (see Trainer), and a
     * supernet step leaves hundreds of megabytes of them; every 10 steps bounds a task at about 6 GB.
     */
    private static final int COLLECT_EVERY = 10;

    private final MixedCellSupernet supernet;
    private final Settings settings;
    private final NamedSgd weightOptimiser;
    private final SharedWeights weights;
    private final AlphaAdam alphaOptimiser;

    /**
     * @param epochs        the search's epochs, warm-up included (the cosine and the auxiliary skip's decay span them)
     * @param warmupEpochs  the first epochs, in which only the weights learn
     * @param batchSize     examples per mini-batch, for both steps
     * @param weightRate    SGD's initial learning rate for the network weights
     * @param momentum      SGD's momentum
     * @param weightDecay   L2 decay of the network weights
     * @param alphaRate     Adam's learning rate for {@code alpha}
     * @param alphaDecay    L2 decay of {@code alpha}
     * @param auxiliarySkip whether the edges carry DARTS-'s decaying auxiliary skip connection (the remedy)
     */
    public record Settings(int epochs, int warmupEpochs, int batchSize, double weightRate, double momentum,
                           double weightDecay, double alphaRate, double alphaDecay, boolean auxiliarySkip)
            implements Serializable {

        private static final long serialVersionUID = 1L;

        public Settings {
            if (epochs < 1 || batchSize < 1 || warmupEpochs < 0 || warmupEpochs >= epochs) {
                throw new IllegalArgumentException("need at least one epoch after the warm-up and one example a "
                        + "batch, got " + epochs + " epochs, " + warmupEpochs + " of warm-up, and " + batchSize);
            }
        }

        /** The auxiliary skip connection's weight in {@code epoch} (0 without the remedy). */
        public double auxiliarySkip(int epoch) {
            return auxiliarySkip ? 1 - (double) epoch / epochs : 0;
        }
    }

    /** What one epoch did: the means over its mini-batches, and {@code alpha} at its end. */
    public record Epoch(int epoch, double auxiliarySkip, double trainLoss, double trainAccuracy,
                        double heldOutLoss, double heldOutAccuracy, double[][] mixingWeights,
                        CellArchitecture derived) implements Serializable {

        private static final long serialVersionUID = 1L;

        /** Equal when every field is, the mixing weights compared by value. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Epoch e && epoch == e.epoch && Double.compare(auxiliarySkip, e.auxiliarySkip) == 0
                    && Double.compare(trainLoss, e.trainLoss) == 0 && Double.compare(trainAccuracy, e.trainAccuracy) == 0
                    && Double.compare(heldOutLoss, e.heldOutLoss) == 0
                    && Double.compare(heldOutAccuracy, e.heldOutAccuracy) == 0
                    && Arrays.deepEquals(mixingWeights, e.mixingWeights) && derived.equals(e.derived);
        }

        @Override
        public int hashCode() {
            return Objects.hash(epoch, auxiliarySkip, trainLoss, trainAccuracy, heldOutLoss, heldOutAccuracy,
                    Arrays.deepHashCode(mixingWeights), derived);
        }
    }

    public DartsSearch(MixedCellSupernet supernet, Settings settings) {
        this.supernet = supernet;
        this.settings = settings;
        this.weightOptimiser = new NamedSgd(settings.weightRate(), settings.momentum(), settings.weightDecay());
        this.weights = SharedWeights.of(supernet.weights());
        this.alphaOptimiser = new AlphaAdam(settings.alphaRate(), 0.5, 0.999, settings.alphaDecay());
    }

    /** The weights' optimiser, whose velocities (its state) a checkpoint holds. */
    public NamedSgd weightOptimiser() {
        return weightOptimiser;
    }

    /** {@code alpha}'s optimiser, whose state a checkpoint holds. */
    public AlphaAdam alphaOptimiser() {
        return alphaOptimiser;
    }

    /**
     * Epoch {@code epoch} (from 0) over {@code train}, stepping {@code alpha} on batches of {@code heldOut}, data the
     * weights do not train on ({@link SearchHalves}).
     */
    public Epoch epoch(int epoch, ImageDataset train, ImageDataset heldOut, SplittableRandom random) {
        double auxSkip = settings.auxiliarySkip(epoch);
        double rate = 0.5 * (1 + Math.cos(Math.PI * epoch / settings.epochs()));
        int[] order = ExampleOrder.shuffled(train.size(), random);
        int[] heldOutOrder = ExampleOrder.shuffled(heldOut.size(), random);
        int b = settings.batchSize();
        Totals trained = new Totals();
        Totals heldOutTotals = new Totals();
        int heldOutFrom = 0;
        for (int from = 0; from < train.size(); from += b) {
            if (heldOutFrom >= heldOut.size()) {
                heldOutFrom = 0;
            }
            DataSet heldOutBatch = heldOut.batch(heldOutOrder, heldOutFrom,
                    Math.min(heldOut.size(), heldOutFrom + b));
            heldOutFrom += b;
            // the warm-up measures its held-out batches by the same pass, without the step: SameDiff keeps another
            // cache of arrays for forward-only runs, and with it two tasks outgrew a 24 GiB machine
            MixedCellSupernet.Step alphaStep = supernet.gradients(heldOutBatch.getFeatures(),
                    heldOutBatch.getLabels(), auxSkip, List.of(MixedCellSupernet.ALPHA));
            if (epoch >= settings.warmupEpochs()) {
                alphaOptimiser.step(supernet.alpha(), alphaStep.gradients().get(MixedCellSupernet.ALPHA));
            }
            heldOutTotals.add(alphaStep, heldOutBatch.getLabels());

            DataSet batch = train.batch(order, from, Math.min(train.size(), from + b));
            MixedCellSupernet.Step weightStep = supernet.gradients(batch.getFeatures(), batch.getLabels(), auxSkip,
                    supernet.weightNames());
            Map<String, NamedOptimiser.Direction> directions = new HashMap<>();
            weightStep.gradients().forEach((name, g) -> directions.put(name, new NamedOptimiser.Direction(g, false)));
            weightOptimiser.step(List.of(directions), weights, rate);
            trained.add(weightStep, batch.getLabels());
            if ((from / b + 1) % COLLECT_EVERY == 0) {
                Nd4j.getMemoryManager().invokeGc();
            }
        }
        return new Epoch(epoch, auxSkip, trained.loss(), trained.accuracy(), heldOutTotals.loss(),
                heldOutTotals.accuracy(), supernet.mixingWeights().toDoubleMatrix(), supernet.derive());
    }

    /** Example-weighted sums of a run of steps' losses and correct predictions. */
    private static final class Totals {
        private double loss;
        private long correct;
        private long examples;

        void add(MixedCellSupernet.Step step, INDArray labels) {
            long n = labels.rows();
            loss += step.loss() * n;
            examples += n;
            INDArray predicted = step.logits().argMax(1);
            INDArray actual = labels.argMax(1);
            correct += predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        }

        double loss() {
            return loss / examples;
        }

        double accuracy() {
            return (double) correct / examples;
        }
    }
}
