package io.galapagos.worker.supernet;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.training.NativeThreads;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared weights, single-path training and evaluation with inherited weights, on a small separable image set. */
class SupernetTest {

    private static final int SIZE = 8;
    private static final int CLASSES = 3;
    private static final InputSpec INPUT = new InputSpec(SIZE, SIZE, 1, CLASSES);
    private static final CellNetworkConfig SKELETON = new CellNetworkConfig(4, 1);
    private static final CellArchitecture GOOD = CellArchitecture.parse(
            "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_1x1~2|");
    private static final CellArchitecture BLIND = CellArchitecture.parse(
            "|none~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|nor_conv_3x3~2|");

    private static final CellSampler UNIFORM = CellSampler.uniform(List.of(CellOperation.values()), -1, null);

    @BeforeAll
    static void oneNativeThread() {
        // multi-threaded native reductions sum in varying orders, and training on shared weights amplifies the
        // differences: one thread makes every run of these tests the same
        NativeThreads.limit(1);
    }

    /** A bright 3x3 patch whose column says the class, on noise (as the trainer's tests use). */
    static ImageDataset images(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int p = 0; p < SIZE * SIZE; p++) {
                int row = p / SIZE;
                int column = p % SIZE;
                boolean patch = row >= 1 && row < 4 && column >= 1 + 2 * labels[i] && column < 4 + 2 * labels[i];
                pixels[i * SIZE * SIZE + p] = patch ? 0.8f + 0.2f * (float) random.nextDouble()
                        : 0.3f * (float) random.nextDouble();
            }
        }
        return ImageDataset.copyOf(pixels, labels, SIZE, SIZE, 1, CLASSES);
    }

    private static PathNetworks paths(long seed) {
        return new PathNetworks(new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE,
                SKELETON), INPUT, 16, seed);
    }

    private static void train(PathNetworks paths, SharedWeights weights, CellSampler sampler, int epochs)
            throws Exception {
        SposTrainer trainer = new SposTrainer(paths, weights, new NamedSgd(0.01, 0.9, 0), sampler, 16);
        SplittableRandom random = new SplittableRandom(7);
        ImageDataset train = images(240, 1);
        for (int epoch = 0; epoch < epochs; epoch++) {
            // a cosine schedule: the shared weights settle as the rate falls
            int done = epoch;
            DoubleUnaryOperator rate = share -> 0.5 * (1 + Math.cos(Math.PI * (done + share) / epochs));
            assertTrue(Double.isFinite(trainer.epoch(train, random, rate)));
        }
    }

    @Test
    void aPathComputesWhatTheStandAloneNetworkComputesWithTheSameWeights() throws Exception {
        SharedWeights weights = new SharedWeights();
        try (PathNetworks paths = paths(3); PathNetworks other = paths(99)) {
            train(paths, weights, UNIFORM, 1);
            ComputationGraph path = paths.of(GOOD);
            weights.lend(path);
            // a network of the same cell initialised from another seed, given the supernet's weights by name
            ComputationGraph standAlone = other.of(GOOD);
            INDArray before = standAlone.params().dup();
            weights.lend(standAlone);
            assertNotEquals(before, standAlone.params(), "the stand-alone network started from other weights");
            INDArray features = images(12, 5).features(IntStream.range(0, 12).toArray(), 0, 12);
            INDArray expected = path.outputSingle(false, features);
            INDArray actual = standAlone.outputSingle(false, features);
            assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5);
        }
    }

    @Test
    void aSubSupernetNeverUpdatesTheWeightsOfAnotherPart() throws Exception {
        SharedWeights weights = new SharedWeights();
        try (PathNetworks paths = paths(3)) {
            // the supernet holds edge 0's 1x1 convolution, then trains only cells whose edge 0 is a 3x3 one
            weights.lend(paths.of(GOOD.with(0, CellOperation.NOR_CONV_1X1)));
            String other = "s0c0_n1from0_nor_conv_1x1_conv_W";
            String own = "s0c0_n1from0_nor_conv_3x3_conv_W";
            INDArray untouched = weights.get(other);
            CellSearchSpace space = CellSearchSpace.nb201();
            train(paths, weights, CellSampler.uniform(space.operations(), 0, CellOperation.NOR_CONV_3X3), 1);
            assertEquals(untouched, weights.get(other), "the other part's weights, bit for bit");
            assertTrue(weights.names().contains(own));
            try (PathNetworks fresh = paths(3)) {
                assertNotEquals(fresh.of(GOOD).getParam(own), weights.get(own), "the part's own weights were trained");
            }
        }
    }

    @Test
    void trainedSharedWeightsRankACellThatSeesTheImageAboveOneThatCannot() throws Exception {
        SharedWeights weights = new SharedWeights();
        try (PathNetworks paths = paths(3)) {
            train(paths, weights, UNIFORM, 8);
            SupernetEvaluator evaluator = new SupernetEvaluator(paths, weights);
            ImageDataset validation = images(90, 2);
            double good = evaluator.accuracy(GOOD, images(64, 3), 4, 16, validation);
            double blind = evaluator.accuracy(BLIND, images(64, 3), 4, 16, validation);
            assertTrue(blind <= 0.5, "a cell whose output no path reaches: " + blind);
            assertTrue(good >= blind + 0.3, "a cell with convolutions, with inherited weights: " + good);
        }
    }

    @Test
    void recalibrationSetsTheRunningStatisticsToThoseOfTheCalibrationData() throws Exception {
        SharedWeights weights = new SharedWeights();
        try (PathNetworks paths = paths(3)) {
            ComputationGraph path = paths.of(GOOD);
            weights.lend(path);
            ImageDataset calibration = images(32, 4);
            SupernetEvaluator.recalibrate(path, calibration, 2, 16);
            // the stem's batch normalisation reads the stem convolution's output
            Map<String, INDArray> stem = new HashMap<>();
            for (int from : new int[]{0, 16}) {
                INDArray x = path.feedForward(calibration.features(IntStream.range(0, 32).toArray(), from,
                        from + 16), true).get("stem_conv");
                stem.merge("mean", x.mean(0, 2, 3), INDArray::addi);
                stem.merge("var", x.var(false, 0, 2, 3), INDArray::addi);
            }
            assertEquals(0, stem.get("mean").divi(2).sub(path.getParam("stem_bn_mean").reshape(4)).amaxNumber()
                    .doubleValue(), 1e-5);
            assertEquals(0, stem.get("var").divi(2).sub(path.getParam("stem_bn_var").reshape(4)).amaxNumber()
                    .doubleValue(), 1e-5);
            assertFalse(weights.get("stem_bn_mean").equals(path.getParam("stem_bn_mean")),
                    "the supernet's own statistics are left as they were");
        }
    }

    @Test
    void aWeightOfAnotherShapeIsRefusedByName() throws Exception {
        SharedWeights weights = new SharedWeights();
        try (PathNetworks paths = paths(3)) {
            weights.lend(paths.of(GOOD));
        }
        ComputationGraph wider = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE,
                new CellNetworkConfig(8, 1)).build(GOOD, INPUT, 16, 1e-3, 1).graph();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> weights.lend(wider));
        assertTrue(e.getMessage().matches("weight \\S+ is \\[.*] in the supernet but \\[.*] in the network: another "
                + "space or skeleton"), e.getMessage());
        wider.close();
    }
}
