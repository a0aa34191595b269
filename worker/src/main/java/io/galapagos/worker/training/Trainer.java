package io.galapagos.worker.training;

import io.galapagos.config.TrainingConfig;
import io.galapagos.worker.data.ExampleOrder;
import io.galapagos.worker.data.ImageDataset;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * The training loop of one trial: mini-batches in a fresh seeded order every epoch, until the epochs are
 * done or the time budget is spent (checked after every mini-batch), stopping early when the loss
 * diverges. Stateless; thread-safe (each call trains its own graph).
 */
final class Trainer {

    /**
     * How training ended.
     *
     * @param epochs     mini-batches trained over mini-batches per epoch (fractional when stopped early)
     * @param seconds    wall-clock seconds spent training
     * @param divergence why the loss counts as diverged, or {@code null} when it did not
     * @param capped     whether the time budget ended training before its epochs were done
     */
    record Outcome(double epochs, double seconds, String divergence, boolean capped) {
    }

    private Trainer() {
    }

    /**
     * Trains {@code graph} on {@code train}.
     *
     * @throws CancellationException when the thread is interrupted (a Spark task being killed)
     */
    static Outcome train(ComputationGraph graph, ImageDataset train, TrainingConfig config, long seed) {
        int n = train.size();
        int batchSize = Math.min(config.batchSize(), n);
        int batchesPerEpoch = (n + batchSize - 1) / batchSize;
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = ExampleOrder.shuffled(n, random);
        long start = System.nanoTime();
        long budget = (long) Math.min(Long.MAX_VALUE / 2.0, config.maxSeconds() * 1e9);
        double firstLoss = Double.NaN;
        long batches = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            if (epoch > 0) {
                ExampleOrder.shuffle(order, random);
            }
            for (int from = 0; from < n; from += batchSize) {
                DataSet batch = MiniBatches.of(train, order, from, Math.min(n, from + batchSize));
                graph.fit(batch);
                double loss = graph.score();
                // free the batch's native memory now rather than whenever the garbage collector runs
                batch.getFeatures().close();
                batch.getLabels().close();
                batches++;
                if (batches == 1) {
                    firstLoss = loss;
                }
                double epochs = (double) batches / batchesPerEpoch;
                double seconds = (System.nanoTime() - start) / 1e9;
                if (!Double.isFinite(loss)) {
                    return new Outcome(epochs, seconds, String.format(Locale.ROOT,
                            "diverged: loss %s at mini-batch %d (epoch %d)", loss, batches, epoch + 1), false);
                }
                if (loss > config.divergenceFactor() * firstLoss) {
                    return new Outcome(epochs, seconds, String.format(Locale.ROOT,
                            "diverged: loss %.4g at mini-batch %d (epoch %d), over %s x the first mini-batch's %.4g",
                            loss, batches, epoch + 1, config.divergenceFactor(), firstLoss), false);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("interrupted after " + batches + " mini-batches");
                }
                boolean last = epoch == config.epochs() - 1 && from + batchSize >= n;
                if (!last && System.nanoTime() - start >= budget) {
                    return new Outcome(epochs, seconds, null, true);
                }
            }
        }
        return new Outcome(config.epochs(), (System.nanoTime() - start) / 1e9, null, false);
    }
}
