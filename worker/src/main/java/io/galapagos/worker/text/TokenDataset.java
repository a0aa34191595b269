package io.galapagos.worker.text;

import io.galapagos.text.TextExample;
import io.galapagos.text.Vocabulary;
import io.galapagos.worker.data.LabelledExamples;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Labelled texts as token ids: every example padded with {@link Vocabulary#PAD} to the vocabulary's maximum length,
 * so that every mini-batch has one shape ({@code [n, 1, maxLength]} ids, a {@code [n, maxLength]} mask of the real
 * positions) and the networks' sequence lengths are known when they are built. Immutable; shared by the trials of a
 * JVM.
 */
public final class TokenDataset implements LabelledExamples {

    private final int[][] ids;
    private final int[] labels;
    private final int classes;
    private final int length;

    private TokenDataset(int[][] ids, int[] labels, int classes, int length) {
        this.ids = ids;
        this.labels = labels;
        this.classes = classes;
        this.length = length;
    }

    /**
     * {@code examples} encoded by {@code vocabulary}, their labels the positions of their labels in {@code classes}.
     *
     * @throws IllegalArgumentException for a label outside {@code classes}
     */
    public static TokenDataset encode(List<TextExample> examples, Vocabulary vocabulary, List<String> classes) {
        int[][] ids = new int[examples.size()][];
        int[] labels = new int[examples.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.encode(examples.get(i).text());
            labels[i] = classes.indexOf(examples.get(i).label());
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label '" + examples.get(i).label() + "' is not one of " + classes);
            }
        }
        return new TokenDataset(ids, labels, classes.size(), vocabulary.maxLength());
    }

    /**
     * Texts without labels, to predict: {@code texts} encoded by {@code vocabulary}, every label 0 (as
     * {@code IdxReader.readImages} gives images without labels).
     */
    public static TokenDataset unlabelled(List<String> texts, Vocabulary vocabulary, int classes) {
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.encode(texts.get(i));
        }
        return new TokenDataset(ids, new int[ids.length], classes, vocabulary.maxLength());
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int label(int example) {
        return labels[example];
    }

    /** The padded length of every example. */
    public int length() {
        return length;
    }

    /** The token ids of {@code example}, without padding. */
    public int[] tokens(int example) {
        return ids[example].clone();
    }

    @Override
    public DataSet batch(int[] order, int from, int to) {
        int n = to - from;
        float[] features = new float[n * length];
        float[] mask = new float[n * length];
        for (int i = 0; i < n; i++) {
            int[] tokens = ids[order[from + i]];
            for (int t = 0; t < tokens.length; t++) {
                features[i * length + t] = tokens[t];
                mask[i * length + t] = 1f;
            }
        }
        return new DataSet(Nd4j.create(features, new long[]{n, 1, length}, DataType.FLOAT),
                oneHotLabels(order, from, to), Nd4j.create(mask, new long[]{n, length}, DataType.FLOAT), null);
    }

    @Override
    public String toString() {
        return "TokenDataset[" + size() + " texts of up to " + length + " tokens, " + classes + " classes]";
    }
}
