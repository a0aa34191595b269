package io.galapagos.worker.training;

import io.galapagos.worker.data.ImageDataset;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Classification accuracy of a network on a dataset, predicted in chunks. Stateless; thread-safe. */
public final class Accuracy {

    private Accuracy() {
    }

    /** The share of {@code data}'s examples (at least one) whose most probable class is their label. */
    public static double of(ComputationGraph graph, ImageDataset data, int chunk) {
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long correct = 0;
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            INDArray features = MiniBatches.features(data, order, from, to);
            INDArray probabilities = graph.outputSingle(false, features);
            INDArray predicted = probabilities.argMax(1);
            for (int i = from; i < to; i++) {
                if (predicted.getLong(i - from) == data.label(i)) {
                    correct++;
                }
            }
            features.close();
            probabilities.close();
            predicted.close();
        }
        return (double) correct / n;
    }
}
