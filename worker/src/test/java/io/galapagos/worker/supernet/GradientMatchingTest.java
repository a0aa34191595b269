package io.galapagos.worker.supernet;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.training.NativeThreads;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientMatchingTest {

    private static INDArray vector(double... values) {
        return Nd4j.createFromArray(values);
    }

    @Test
    void cosineComparesOnlyTheWeightsBothPathsHold() {
        Map<String, INDArray> a = Map.of("w", vector(1, 2), "only_a", vector(5));
        assertEquals(1, GradientMatching.cosine(a, Map.of("w", vector(2, 4), "only_b", vector(-7))), 1e-12);
        assertEquals(-1, GradientMatching.cosine(a, Map.of("w", vector(-1, -2))), 1e-12);
        assertEquals(0, GradientMatching.cosine(a, Map.of("w", vector(2, -1))), 1e-12);
        assertEquals(0, GradientMatching.cosine(a, Map.of("other", vector(1, 2))), "nothing shared, nothing to agree");
        // two weights together: (1*1 + 2*0 + 3*3) / (sqrt(14) * sqrt(10))
        assertEquals(10 / Math.sqrt(140), GradientMatching.cosine(Map.of("w", vector(1, 2), "v", vector(3)),
                Map.of("w", vector(1, 0), "v", vector(3))), 1e-12);
    }

    @Test
    void anEdgesScoreIsTheMeanOverPairsAndTheLowestScoreIsSplit() {
        List<Map<String, INDArray>> gradients = List.of(Map.of("w", vector(1, 0)), Map.of("w", vector(0, 1)),
                Map.of("w", vector(1, 0)));
        assertEquals((0 + 1 + 0) / 3.0, GradientMatching.meanCosine(gradients), 1e-12);
        assertEquals(2, GradientMatching.edgeToSplit(new double[]{0.4, 0.3, -0.2, 0.1, -0.2, 0.9}));
    }

    @Test
    void scoresAreCosinesAndTheSameForTheSameDraws() throws Exception {
        NativeThreads.limit(1);
        ImageDataset train = SupernetTest.images(240, 1);
        double[] first = scores(train, 11);
        assertEquals(CellArchitecture.EDGES, first.length);
        for (double score : first) {
            assertTrue(score >= -1 && score <= 1, "a mean cosine: " + score);
        }
        assertArrayEquals(first, scores(train, 11), 1e-9);
        assertTrue(java.util.Arrays.stream(first).distinct().count() > 1, "edges told apart");
        assertThrows(IllegalArgumentException.class, () -> GradientMatching.edgeScores(null, new SharedWeights(),
                List.of(CellOperation.values()), train, 16, 16, new SplittableRandom(1)), "more batches than data");
    }

    /** The scores of a freshly initialised supernet (seed 3) over 2 mini-batches drawn from {@code seed}. */
    private static double[] scores(ImageDataset train, long seed) throws Exception {
        try (PathNetworks paths = new PathNetworks(new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30,
                Constraints.NONE, new CellNetworkConfig(4, 1)), new InputSpec(8, 8, 1, 3), 16, 3)) {
            return GradientMatching.edgeScores(paths, new SharedWeights(), List.of(CellOperation.values()), train, 2,
                    16, new SplittableRandom(seed));
        }
    }
}
