package io.galapagos.worker.training;

import io.galapagos.worker.data.ImageDataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Copies examples of an {@link ImageDataset} into ND4J arrays. Stateless; thread-safe. */
public final class MiniBatches {

    private MiniBatches() {
    }

    /** Features ({@code [n, featureSize]}) and one-hot labels of {@code order[from..to)}. */
    public static DataSet of(ImageDataset data, int[] order, int from, int to) {
        int n = to - from;
        float[] labels = new float[n * data.classes()];
        for (int i = 0; i < n; i++) {
            labels[i * data.classes() + data.label(order[from + i])] = 1f;
        }
        return new DataSet(features(data, order, from, to),
                Nd4j.create(labels, new long[]{n, data.classes()}, DataType.FLOAT));
    }

    /** Features ({@code [n, featureSize]}) of {@code order[from..to)}. */
    public static INDArray features(ImageDataset data, int[] order, int from, int to) {
        int n = to - from;
        int size = data.featureSize();
        float[] features = new float[n * size];
        for (int i = 0; i < n; i++) {
            data.copyFeatures(order[from + i], features, i * size);
        }
        return Nd4j.create(features, new long[]{n, size}, DataType.FLOAT);
    }
}
