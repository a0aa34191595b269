package io.galapagos.worker.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Labelled examples a network trains on or is measured on, images or token sequences, handed out as ND4J
 * mini-batches. Implementations are immutable, so one instance is shared by every trial of a JVM.
 */
public interface LabelledExamples {

    int size();

    int classes();

    /** The class of {@code example}, in {@code [0, classes)}. */
    int label(int example);

    /**
     * The mini-batch of the examples {@code order[from..to)}: their features, one-hot labels and, where examples
     * differ in length, a features mask (1 for a real position, 0 for padding; no mask otherwise).
     */
    DataSet batch(int[] order, int from, int to);

    /** One-hot labels ({@code [n, classes]}) of {@code order[from..to)}. */
    default INDArray oneHotLabels(int[] order, int from, int to) {
        int n = to - from;
        float[] labels = new float[n * classes()];
        for (int i = 0; i < n; i++) {
            labels[i * classes() + label(order[from + i])] = 1f;
        }
        return Nd4j.create(labels, new long[]{n, classes()}, DataType.FLOAT);
    }
}
