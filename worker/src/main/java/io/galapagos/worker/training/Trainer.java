package io.galapagos.worker.training;

import io.galapagos.config.TrainingConfig;
import io.galapagos.worker.data.ExampleOrder;
import io.galapagos.worker.data.LabelledExamples;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.IntConsumer;

/**
 * The training loop of one trial: mini-batches in a fresh seeded order every epoch, until the epochs are
 * done or the time budget is spent (checked after every mini-batch), stopping early when the loss
 * diverges. Training may start after epochs an earlier trial trained ({@link Start}): the orders of those
 * epochs are drawn again and skipped, so that the remaining epochs see exactly the order uninterrupted
 * training would have given them.
 *
 * <p>Memory. DL4J and ND4J leave native buffers (shape information, small temporaries) to the garbage
 * collector, which runs when the heap fills, and training fills native memory much faster than the heap:
 * a full-data Fashion-MNIST search grew by about 30 MB a second until the kernel killed it at 24 GB. So the
 * loop collects garbage every {@link #COLLECT_EVERY} of training (a full collection of a small heap, a few
 * tens of milliseconds: about 1% of the time), which keeps that garbage to a few hundred megabytes.
 * Stateless; thread-safe (each call trains its own graph).
 */
final class Trainer {

    /** How much training time may pass between two garbage collections. */
    static final Duration COLLECT_EVERY = Duration.ofSeconds(10);

    /**
     * Where training starts.
     *
     * @param seed      the seed of the example order (the seed of the trial that started this training)
     * @param epochs    whole epochs already trained, in that order (0: from scratch)
     * @param firstLoss the loss of the very first mini-batch, which divergence is measured against; NaN when
     *                  starting from scratch
     */
    record Start(long seed, int epochs, double firstLoss) {
        Start {
            if (epochs < 0) {
                throw new IllegalArgumentException("epochs already trained must be >= 0, got " + epochs);
            }
            if (epochs > 0 && !Double.isFinite(firstLoss)) {
                throw new IllegalArgumentException("a continued training needs its first loss, got " + firstLoss);
            }
        }

        /** A training from scratch in the order of {@code seed}. */
        static Start fresh(long seed) {
            return new Start(seed, 0, Double.NaN);
        }
    }

    /**
     * How training ended.
     *
     * @param epochs     epochs trained in all, those of the {@link Start} included: mini-batches trained over
     *                   mini-batches per epoch (fractional when stopped early)
     * @param seconds    wall-clock seconds this call spent training
     * @param divergence why the loss counts as diverged, or {@code null} when it did not
     * @param capped     whether the time budget ended training before its epochs were done
     * @param firstLoss  the loss of the very first mini-batch of the whole training (the start's, if it had one)
     * @param workspaceBytes the most the training thread's workspaces held after a mini-batch
     *                   ({@link TrainingMemory#workspaceBytes()})
     */
    record Outcome(double epochs, double seconds, String divergence, boolean capped, double firstLoss,
                   long workspaceBytes) {

        /** Whether every epoch asked for was trained: neither diverged nor cut by the time budget. */
        boolean finished() {
            return divergence == null && !capped;
        }
    }

    private Trainer() {
    }

    /**
     * Trains {@code graph} on {@code train} from {@code start} until {@code epochs} epochs are done in all.
     *
     * @throws CancellationException when the thread is interrupted (a Spark task being killed)
     */
    static Outcome train(ComputationGraph graph, LabelledExamples train, TrainingConfig config, Start start,
                         int epochs) {
        return train(graph, train, config, start, epochs, done -> {
        });
    }

    /**
     * As {@link #train(ComputationGraph, LabelledExamples, TrainingConfig, Start, int)}, calling {@code afterEpoch}
     * with the epochs done in all after each whole epoch this call trains.
     */
    static Outcome train(ComputationGraph graph, LabelledExamples train, TrainingConfig config, Start start,
                         int epochs, IntConsumer afterEpoch) {
        if (epochs <= start.epochs()) {
            throw new IllegalArgumentException("nothing to train: " + epochs + " epochs asked, " + start.epochs()
                    + " done");
        }
        int n = train.size();
        int batchSize = Math.min(config.batchSize(), n);
        int batchesPerEpoch = (n + batchSize - 1) / batchSize;
        if (config.schedule() == TrainingConfig.LearningRateSchedule.COSINE) {
            // over the full training's epochs, not this call's: a promotion continues the same decay
            LearningRates.set(graph, new CosineDecay(config.learningRate(), config.epochs() * batchesPerEpoch));
        }
        SplittableRandom random = new SplittableRandom(start.seed());
        int[] order = ExampleOrder.shuffled(n, random);
        long begin = System.nanoTime();
        long budget = (long) Math.min(Long.MAX_VALUE / 2.0, config.maxSeconds() * 1e9);
        long collected = begin;
        double firstLoss = start.firstLoss();
        long batches = (long) start.epochs() * batchesPerEpoch;
        long workspaces = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            if (epoch > 0) {
                ExampleOrder.shuffle(order, random);
            }
            if (epoch < start.epochs()) {
                // trained before: drawing its order (above) is all there is to do, so later epochs match
                continue;
            }
            for (int from = 0; from < n; from += batchSize) {
                DataSet batch = train.batch(order, from, Math.min(n, from + batchSize));
                graph.fit(batch);
                double loss = graph.score();
                workspaces = Math.max(workspaces, TrainingMemory.workspaceBytes());
                // free the batch's native memory now rather than whenever the garbage collector runs
                batch.getFeatures().close();
                batch.getLabels().close();
                if (batch.getFeaturesMaskArray() != null) {
                    batch.getFeaturesMaskArray().close();
                }
                if (System.nanoTime() - collected > COLLECT_EVERY.toNanos()) {
                    Nd4j.getMemoryManager().invokeGc();
                    collected = System.nanoTime();
                }
                batches++;
                if (batches == 1) {
                    firstLoss = loss;
                }
                double done = (double) batches / batchesPerEpoch;
                double seconds = (System.nanoTime() - begin) / 1e9;
                if (!Double.isFinite(loss)) {
                    return new Outcome(done, seconds, String.format(Locale.ROOT,
                            "diverged: loss %s at mini-batch %d (epoch %d)", loss, batches, epoch + 1), false,
                            firstLoss, workspaces);
                }
                if (loss > config.divergenceFactor() * firstLoss) {
                    return new Outcome(done, seconds, String.format(Locale.ROOT,
                            "diverged: loss %.4g at mini-batch %d (epoch %d), over %s x the first mini-batch's %.4g",
                            loss, batches, epoch + 1, config.divergenceFactor(), firstLoss), false, firstLoss,
                            workspaces);
                }
                Interrupts.stopIfInterrupted("after " + batches + " mini-batches");
                boolean last = epoch == epochs - 1 && from + batchSize >= n;
                if (!last && System.nanoTime() - begin >= budget) {
                    return new Outcome(done, seconds, null, true, firstLoss, workspaces);
                }
            }
            afterEpoch.accept(epoch + 1);
        }
        return new Outcome(epochs, (System.nanoTime() - begin) / 1e9, null, false, firstLoss, workspaces);
    }
}
