package io.galapagos.worker.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;

/** Single-example inference latency of a network. Stateless; thread-safe. */
final class Latency {

    private Latency() {
    }

    /**
     * The median of {@code repeats} timed inferences of {@code example} (one row, with its mask when it has one), in
     * milliseconds, after as many untimed warm-up inferences, which let the JIT compile and ND4J size its workspaces.
     */
    static double medianMillis(ComputationGraph graph, DataSet example, int repeats) {
        INDArray[] features = {example.getFeatures()};
        INDArray[] masks = example.getFeaturesMaskArray() == null ? null : new INDArray[]{example.getFeaturesMaskArray()};
        for (int i = 0; i < repeats; i++) {
            graph.output(false, features, masks)[0].close();
        }
        double[] millis = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            INDArray out = graph.output(false, features, masks)[0];
            millis[i] = (System.nanoTime() - start) / 1e6;
            out.close();
        }
        Arrays.sort(millis);
        return repeats % 2 == 1 ? millis[repeats / 2] : (millis[repeats / 2 - 1] + millis[repeats / 2]) / 2;
    }
}
