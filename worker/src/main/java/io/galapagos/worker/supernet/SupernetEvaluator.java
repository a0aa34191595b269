package io.galapagos.worker.supernet;

import io.galapagos.space.CellArchitecture;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.training.Accuracy;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Measures a cell with the supernet's weights: its path network borrows them, its batch normalisation is
 * recalibrated, and its accuracy is measured. Recalibration (as SPOS does) replaces the running statistics the
 * supernet accumulated over many paths by this path's own: each batch-normalisation layer's running mean and
 * variance become the mean, over the calibration batches, of the per-channel mean and (biased) variance of its
 * input in training-mode forward passes. The supernet's weights are not changed ({@link SharedWeights#lendFrozen}),
 * so evaluators on several threads may share one supernet; an evaluator itself (its path networks) is not
 * thread-safe.
 */
public final class SupernetEvaluator {

    /** Examples per forward pass when measuring accuracy. */
    private static final int EVALUATION_CHUNK = 512;

    private final PathNetworks paths;
    private final SharedWeights weights;

    public SupernetEvaluator(PathNetworks paths, SharedWeights weights) {
        this.paths = paths;
        this.weights = weights;
    }

    /**
     * The accuracy of {@code cell} on {@code data} with the shared weights, after recalibrating on the first
     * {@code calibrationBatches} batches of {@code batchSize} examples of {@code calibration}.
     *
     * @throws InfeasibleNetworkException when the cell's network cannot be built
     */
    public double accuracy(CellArchitecture cell, ImageDataset calibration, int calibrationBatches, int batchSize,
                           ImageDataset data) throws InfeasibleNetworkException {
        ComputationGraph path = paths.of(cell);
        weights.lendFrozen(path);
        recalibrate(path, calibration, calibrationBatches, batchSize);
        return Accuracy.of(path, data, EVALUATION_CHUNK);
    }

    /** Sets every batch-normalisation layer's running statistics to those of its input on the calibration data. */
    static void recalibrate(ComputationGraph path, ImageDataset calibration, int batches, int batchSize) {
        if (batches < 1 || batchSize < 1) {
            throw new IllegalArgumentException("calibration needs at least one batch of one example, got " + batches
                    + " of " + batchSize);
        }
        Map<String, String> inputs = new HashMap<>();
        for (GraphVertex vertex : path.getVertices()) {
            if (vertex.hasLayer() && vertex.getLayer().conf().getLayer() instanceof BatchNormalization) {
                inputs.put(vertex.getVertexName(), path.getConfiguration().getVertexInputs()
                        .get(vertex.getVertexName()).get(0));
            }
        }
        Map<String, INDArray> means = new HashMap<>();
        Map<String, INDArray> variances = new HashMap<>();
        int n = calibration.size();
        int[] order = IntStream.range(0, n).toArray();
        int used = 0;
        for (int from = 0; from < n && used < batches; from += batchSize, used++) {
            INDArray features = calibration.features(order, from, Math.min(n, from + batchSize));
            Map<String, INDArray> activations = path.feedForward(features, true);
            for (Map.Entry<String, String> layer : inputs.entrySet()) {
                INDArray x = activations.get(layer.getValue());
                int[] axes = x.rank() == 4 ? new int[]{0, 2, 3} : new int[]{0};
                accumulate(means, layer.getKey(), x.mean(axes));
                accumulate(variances, layer.getKey(), x.var(false, axes));
            }
            features.close();
        }
        for (String layer : inputs.keySet()) {
            INDArray mean = path.getParam(layer + "_mean");
            mean.assign(means.get(layer).divi(used).reshape(mean.shape()));
            INDArray variance = path.getParam(layer + "_var");
            variance.assign(variances.get(layer).divi(used).reshape(variance.shape()));
        }
    }

    private static void accumulate(Map<String, INDArray> sums, String layer, INDArray value) {
        sums.merge(layer, value, INDArray::addi);
    }
}
