package io.galapagos.worker.darts;

import io.galapagos.worker.data.ImageDataset;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The weights and alpha learn from the two halves of the training split, every example in exactly one. */
class SearchHalvesTest {

    /** {@code n} 1x1 images, each labelled and valued by its index, so that a half tells which examples it holds. */
    private static ImageDataset numbered(int n) {
        int[] labels = IntStream.range(0, n).toArray();
        float[] features = new float[n];
        for (int i = 0; i < n; i++) {
            features[i] = i / (float) n;
        }
        return ImageDataset.copyOf(features, labels, 1, 1, 1, n);
    }

    private static int[] labels(ImageDataset data) {
        return IntStream.range(0, data.size()).map(data::label).toArray();
    }

    @Test
    void theFirstHalfTrainsTheWeightsAndTheRestAlpha() {
        SearchHalves halves = SearchHalves.of(numbered(7));
        assertArrayEquals(new int[] {0, 1, 2, 3}, labels(halves.weights()));
        assertArrayEquals(new int[] {4, 5, 6}, labels(halves.alpha()));
        float[] image = new float[1];
        halves.alpha().copyFeatures(0, image, 0);
        assertEquals(4 / 7f, image[0], "an example keeps its image");
        assertEquals(7, halves.alpha().classes(), "both halves keep every class");
    }

    @Test
    void oneExampleCannotBeCut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchHalves.of(numbered(1)));
        assertEquals("DARTS needs at least 2 training examples, one for each half, got 1", e.getMessage());
    }
}
