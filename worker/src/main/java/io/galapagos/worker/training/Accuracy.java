package io.galapagos.worker.training;

import io.galapagos.worker.data.LabelledExamples;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Classification accuracy of a network on a dataset, predicted in chunks; a cancelled trial's thread stops between
 * chunks ({@link java.util.concurrent.CancellationException}). Stateless; thread-safe.
 */
public final class Accuracy {

    private Accuracy() {
    }

    /** The share of {@code data}'s examples (at least one) whose most probable class is their label. */
    public static double of(ComputationGraph graph, LabelledExamples data, int chunk) {
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long correct = 0;
        for (int from = 0; from < n; from += chunk) {
            Interrupts.stopIfInterrupted("after predicting " + from + " of " + n + " examples");
            int to = Math.min(n, from + chunk);
            DataSet batch = data.batch(order, from, to);
            INDArray mask = batch.getFeaturesMaskArray();
            INDArray probabilities = graph.output(false, new INDArray[]{batch.getFeatures()},
                    mask == null ? null : new INDArray[]{mask})[0];
            INDArray predicted = probabilities.argMax(1);
            for (int i = from; i < to; i++) {
                if (predicted.getLong(i - from) == data.label(i)) {
                    correct++;
                }
            }
            batch.getFeatures().close();
            batch.getLabels().close();
            if (mask != null) {
                mask.close();
            }
            probabilities.close();
            predicted.close();
        }
        return (double) correct / n;
    }
}
