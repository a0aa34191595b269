package io.galapagos.worker.supernet;

import io.galapagos.space.CellArchitecture;
import io.galapagos.worker.data.ExampleOrder;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.network.InfeasibleNetworkException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Single-path one-shot training (SPOS, Guo et al. 2020): each mini-batch draws one cell, or a strictly fair group
 * of cells ({@link CellSampler}), computes the gradients of each cell's path network ({@link PathNetworks}) with
 * the shared weights lent to it, and steps only those paths' weights ({@link NamedOptimiser}).
 *
 * <p>Deterministic: the mini-batch order and the cells drawn come from the generator given to {@link #epoch},
 * and a weight no path held before starts as {@link PathNetworks} initialises it. Not thread-safe: one supernet
 * trains on one thread.
 */
public final class SposTrainer {

    /** Mini-batches between two garbage collections: ND4J leaves native buffers to the collector (see Trainer). */
    private static final int COLLECT_EVERY = 200;

    private final PathNetworks paths;
    private final SharedWeights weights;
    private final NamedOptimiser optimiser;
    private final CellSampler sampler;
    private final int batchSize;
    private long batches;

    public SposTrainer(PathNetworks paths, SharedWeights weights, NamedOptimiser optimiser, CellSampler sampler,
                       int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.paths = paths;
        this.weights = weights;
        this.optimiser = optimiser;
        this.sampler = sampler;
        this.batchSize = batchSize;
    }

    /**
     * One pass over {@code train} in an order drawn from {@code random}, one sampled cell or group per mini-batch,
     * each step at the optimiser's rate times {@code rateFactor} of the share of the epoch done before it (in [0, 1)),
     * so that a schedule can fall within an epoch.
     *
     * @return the mean training loss of the epoch's mini-batches (over every path of a group)
     * @throws InfeasibleNetworkException when a sampled cell's network cannot be built
     */
    public double epoch(ImageDataset train, SplittableRandom random, DoubleUnaryOperator rateFactor)
            throws InfeasibleNetworkException {
        int n = train.size();
        int[] order = ExampleOrder.shuffled(n, random);
        double loss = 0;
        int count = 0;
        for (int from = 0; from < n; from += batchSize) {
            List<CellArchitecture> cells = sampler.sample(random);
            DataSet batch = train.batch(order, from, Math.min(n, from + batchSize));
            List<Map<String, NamedOptimiser.Direction>> directions = new ArrayList<>(cells.size());
            for (CellArchitecture cell : cells) {
                ComputationGraph path = paths.of(cell);
                weights.lend(path);
                path.setInputs(batch.getFeatures());
                path.setLabels(batch.getLabels());
                path.computeGradientAndScore();
                directions.add(optimiser.directions(path));
                loss += path.score();
                count++;
            }
            optimiser.step(directions, weights, rateFactor.applyAsDouble((double) from / n));
            batch.getFeatures().close();
            batch.getLabels().close();
            if (++batches % COLLECT_EVERY == 0) {
                Nd4j.getMemoryManager().invokeGc();
            }
        }
        return loss / count;
    }
}
