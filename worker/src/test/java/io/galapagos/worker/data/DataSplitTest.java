package io.galapagos.worker.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSplitTest {

    @Test
    void holdsOutTheValidationShareOfTheShuffledExamples() {
        DataSplit split = DataSplit.of(indexed(100, 3), indexed(30, 3), 0.2, 0, 1);
        assertEquals(80, split.train().size());
        assertEquals(20, split.validation().size());
        assertEquals(30, split.test().size());
        Set<Integer> seen = trainedOrValidated(split);
        assertEquals(100, seen.size(), "train and validation are disjoint and cover every example");
        assertFalse(Arrays.equals(ids(split.train()), range(80)), "shuffled, not the first 80");
    }

    @Test
    void drawsTheTrainLimitsExamplesAtRandomBeforeSplitting() {
        ImageDataset sortedByClass = sortedByClass(300, 3);
        DataSplit split = DataSplit.of(sortedByClass, indexed(30, 3), 0.1, 30, 1);
        assertEquals(27, split.train().size());
        assertEquals(3, split.validation().size());
        Set<Integer> kept = trainedOrValidated(split);
        assertEquals(30, kept.size(), "30 distinct examples");
        Set<Integer> classes = new HashSet<>();
        for (int i = 0; i < split.train().size(); i++) {
            classes.add(split.train().label(i));
        }
        assertEquals(Set.of(0, 1, 2), classes, "a file sorted by class keeps every class under a limit");
    }

    @Test
    void keepsWhatTheSplitKeptWithAndWithoutALimit() {
        int[] all = DataSplit.kept(100, 0, 1);
        assertArrayEquals(all, DataSplit.kept(100, 100, 1), "a limit of the file's size keeps all");
        assertArrayEquals(Arrays.copyOf(all, 40), DataSplit.kept(100, 40, 1), "a limit keeps the shuffle's first");
        DataSplit split = DataSplit.of(indexed(100, 3), indexed(30, 3), 0.25, 40, 1);
        Set<Integer> used = trainedOrValidated(split);
        assertEquals(Arrays.stream(DataSplit.kept(100, 40, 1)).boxed().collect(Collectors.toSet()), used);
    }

    @Test
    void isDeterministicPerSeed() {
        DataSplit a = DataSplit.of(indexed(60, 3), indexed(10, 3), 0.25, 0, 5);
        DataSplit b = DataSplit.of(indexed(60, 3), indexed(10, 3), 0.25, 0, 5);
        DataSplit c = DataSplit.of(indexed(60, 3), indexed(10, 3), 0.25, 0, 6);
        assertArrayEquals(ids(a.validation()), ids(b.validation()));
        assertArrayEquals(ids(a.train()), ids(b.train()));
        assertFalse(Arrays.equals(ids(a.validation()), ids(c.validation())));
        for (int i = 0; i < a.train().size(); i++) {
            assertEquals(ids(a.train())[i] % 3, a.train().label(i), "labels travel with their images");
        }
    }

    @Test
    void keepsAtLeastOneExampleOnEachSide() {
        DataSplit split = DataSplit.of(indexed(2, 2), indexed(1, 2), 0.01, 0, 1);
        assertEquals(1, split.train().size());
        assertEquals(1, split.validation().size());
    }

    @Test
    void givesAllPartsTheLargerClassCount() {
        DataSplit split = DataSplit.of(indexed(10, 2), indexed(10, 5), 0.2, 0, 1);
        assertEquals(5, split.train().classes());
        assertEquals(5, split.validation().classes());
        assertEquals(5, split.test().classes());
    }

    @Test
    void rejectsImagesOfDifferentShapes() {
        ImageDataset other = new ImageDataset(new float[4 * 3], new int[3], 2, 2, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSplit.of(indexed(10, 2), other, 0.2, 0, 1));
        assertTrue(e.getMessage().contains("1x1x1") && e.getMessage().contains("2x2x1"), e.getMessage());
    }

    /** {@code n} one-pixel images whose pixel is the example's index (so it can be traced), label index % classes. */
    private static ImageDataset indexed(int n, int classes) {
        float[] features = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            features[i] = i;
            labels[i] = i % classes;
        }
        return new ImageDataset(features, labels, 1, 1, 1, classes);
    }

    /** {@code n} indexed one-pixel images whose labels come in runs: all of class 0 first, then class 1, and so on. */
    private static ImageDataset sortedByClass(int n, int classes) {
        float[] features = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            features[i] = i;
            labels[i] = i * classes / n;
        }
        return new ImageDataset(features, labels, 1, 1, 1, classes);
    }

    private static Set<Integer> trainedOrValidated(DataSplit split) {
        Set<Integer> ids = new HashSet<>();
        Arrays.stream(ids(split.train())).forEach(ids::add);
        Arrays.stream(ids(split.validation())).forEach(ids::add);
        return ids;
    }

    private static int[] ids(ImageDataset data) {
        int[] ids = new int[data.size()];
        float[] pixel = new float[1];
        for (int i = 0; i < ids.length; i++) {
            data.copyFeatures(i, pixel, 0);
            ids[i] = (int) pixel[0];
        }
        return ids;
    }

    private static int[] range(int n) {
        int[] values = new int[n];
        Arrays.setAll(values, i -> i);
        return values;
    }
}
