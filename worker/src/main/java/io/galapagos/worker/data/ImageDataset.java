package io.galapagos.worker.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Labelled images: features scaled to [0, 1] as floats, one row of {@code height * width * channels}
 * values per example (channel-major, then row-major, the layout of ND4J's {@code convolutionalFlat}
 * input), and integer labels in {@code [0, classes)}.
 *
 * <p>Immutable, so one instance is safely shared by every trial of a JVM: {@link #copyOf} copies its
 * arrays and the accessors copy out.
 */
public final class ImageDataset implements LabelledExamples {

    private final float[] features;
    private final int[] labels;
    private final int height;
    private final int width;
    private final int channels;
    private final int classes;

    /**
     * A dataset of copies of the given arrays.
     *
     * @param features {@code labels.length * height * width * channels} values in [0, 1]
     * @param labels   the class of each example, non-negative
     * @param classes  number of classes; at least the largest label + 1
     */
    public static ImageDataset copyOf(float[] features, int[] labels, int height, int width, int channels,
                                      int classes) {
        return new ImageDataset(features.clone(), labels.clone(), height, width, channels, classes);
    }

    /** Takes ownership of the arrays: callers in this package hand over arrays nobody else holds. */
    ImageDataset(float[] features, int[] labels, int height, int width, int channels, int classes) {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("image dimensions must be positive, got " + height + "x" + width
                    + "x" + channels);
        }
        if ((long) labels.length * height * width * channels != features.length) {
            throw new IllegalArgumentException(features.length + " feature values do not make " + labels.length
                    + " images of " + height + "x" + width + "x" + channels);
        }
        int maxLabel = maxLabel(labels);
        if (classes < Math.max(1, maxLabel + 1)) {
            throw new IllegalArgumentException("classes " + classes + " is below the largest label + 1 ("
                    + (maxLabel + 1) + ")");
        }
        this.features = features;
        this.labels = labels;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.classes = classes;
    }

    /** The largest label, or -1 for no labels; fails on a negative label. */
    static int maxLabel(int[] labels) {
        int max = -1;
        for (int label : labels) {
            if (label < 0) {
                throw new IllegalArgumentException("labels must be non-negative, got " + label);
            }
            max = Math.max(max, label);
        }
        return max;
    }

    @Override
    public int size() {
        return labels.length;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    @Override
    public int classes() {
        return classes;
    }

    /** Values per example: {@code height * width * channels}. */
    public int featureSize() {
        return height * width * channels;
    }

    @Override
    public int label(int example) {
        return labels[example];
    }

    /** Copies the features of {@code example} into {@code target} at {@code offset}. */
    public void copyFeatures(int example, float[] target, int offset) {
        int size = featureSize();
        System.arraycopy(features, example * size, target, offset, size);
    }

    /** Flat features ({@code [n, featureSize]}) and one-hot labels; images need no mask. */
    @Override
    public DataSet batch(int[] order, int from, int to) {
        return new DataSet(features(order, from, to), oneHotLabels(order, from, to));
    }

    /** Features ({@code [n, featureSize]}) of {@code order[from..to)}. */
    public INDArray features(int[] order, int from, int to) {
        int n = to - from;
        int size = featureSize();
        float[] rows = new float[n * size];
        for (int i = 0; i < n; i++) {
            copyFeatures(order[from + i], rows, i * size);
        }
        return Nd4j.create(rows, new long[]{n, size}, DataType.FLOAT);
    }

    /** The examples {@code from} (inclusive) to {@code to} (exclusive), in this data's order. */
    public ImageDataset range(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("a range of examples within 0 to " + size() + ", not empty, got "
                    + from + " to " + to);
        }
        return select(java.util.stream.IntStream.range(from, to).toArray(), classes);
    }

    /** The examples at {@code indices}, in that order, with {@code newClasses} classes. */
    ImageDataset select(int[] indices, int newClasses) {
        int size = featureSize();
        float[] f = new float[indices.length * size];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * size, f, i * size, size);
            l[i] = labels[indices[i]];
        }
        return new ImageDataset(f, l, height, width, channels, newClasses);
    }

    /** This data with {@code newClasses} classes, sharing the (immutable) arrays. */
    ImageDataset withClasses(int newClasses) {
        if (newClasses < classes) {
            throw new IllegalArgumentException("cannot lower classes from " + classes + " to " + newClasses);
        }
        return new ImageDataset(features, labels, height, width, channels, newClasses);
    }

    /** Whether {@code other} holds images of the same height, width and channels. */
    boolean sameShape(ImageDataset other) {
        return height == other.height && width == other.width && channels == other.channels;
    }

    String shapeText() {
        return height + "x" + width + "x" + channels;
    }

    @Override
    public String toString() {
        return "ImageDataset[" + size() + " images of " + shapeText() + ", " + classes + " classes]";
    }
}
