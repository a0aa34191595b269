package io.galapagos.worker.supernet;

import io.galapagos.config.OneShotConfig;
import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.DataConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.worker.network.InputSpec;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of a supernet spec: which part covers a cell, what each part samples, and the settings refused. */
class SupernetSpecTest {

    private static final DataConfig DATA = new DataConfig("a", "b", "c", "d", 0.1, 0);
    private static final List<CellOperation> OPERATIONS = List.of(CellOperation.SKIP_CONNECT,
            CellOperation.NOR_CONV_1X1, CellOperation.NOR_CONV_3X3);

    private static SupernetSpec spec(int splitEdge, int warmupEpochs) {
        return new SupernetSpec(DATA, OPERATIONS, new CellNetworkConfig(4, 1), splitEdge, 3, warmupEpochs, 0.01, 0.01,
                OneShotConfig.Optimiser.SGD, 0.9, 0, 32, false, Collections.nCopies(OPERATIONS.size(), 1.0), 1, "file:/tmp/supernets");
    }

    @Test
    void aSplitMakesOnePartPerOperationEachSamplingItsOwnCells() {
        SupernetSpec fewShot = spec(4, 1);
        assertEquals(3, fewShot.parts());
        assertEquals("edge4-nor_conv_1x1.zip", fewShot.fileName(1));
        CellArchitecture cell = CellArchitecture.parse(
                "|skip_connect~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|nor_conv_1x1~1|skip_connect~2|");
        assertEquals(1, fewShot.partOf(cell), "edge 4 (node 3 <- node 1) carries nor_conv_1x1");
        assertEquals(-1, fewShot.partOf(cell.with(0, CellOperation.AVG_POOL_3X3)), "an operation outside the space");
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 50; i++) {
            CellArchitecture drawn = fewShot.sampler(2).sample(random).get(0);
            assertEquals(CellOperation.NOR_CONV_3X3, drawn.edges().get(4));
            assertEquals(2, fewShot.partOf(drawn));
        }
        SupernetSpec warmUp = fewShot.warmUp();
        assertEquals(List.of(1, -1, 1, "one-shot.zip"), List.of(warmUp.parts(), warmUp.splitEdge(), warmUp.epochs(),
                warmUp.fileName(0)));
        assertEquals(0, spec(-1, 0).partOf(cell));
    }

    @Test
    void noEpochOfAPartReplaysAnEpochOfTheWarmUpOrOfAnotherPart() {
        SupernetSpec fewShot = spec(4, 2);
        SupernetSpec warmUp = fewShot.warmUp();
        Set<Long> seeds = new HashSet<>();
        for (int epoch = 0; epoch < warmUp.epochs(); epoch++) {
            seeds.add(warmUp.epochSeed(0, epoch));
        }
        for (int part = 0; part < fewShot.parts(); part++) {
            for (int epoch = 0; epoch < fewShot.epochs(); epoch++) {
                seeds.add(fewShot.epochSeed(part, epoch));
            }
        }
        assertEquals(warmUp.epochs() + fewShot.parts() * fewShot.epochs(), seeds.size(), seeds.toString());
        assertEquals(spec(-1, 0).epochSeed(0, 1), warmUp.epochSeed(0, 1), "the warm-up draws as one-shot does");
    }

    @Test
    void badSettingsAreRefusedWithTheValue() {
        assertEquals("warm-up epochs must be >= 0, and 0 without a split, got 2",
                assertThrows(IllegalArgumentException.class, () -> spec(-1, 2)).getMessage());
        assertEquals("split edge must be -1 (none) or 0 to 5, got 6",
                assertThrows(IllegalArgumentException.class, () -> spec(6, 0)).getMessage());
        assertEquals("part must be 0 to 2, got 3",
                assertThrows(IllegalArgumentException.class, () -> spec(0, 0).fileName(3)).getMessage());
        assertThrows(IllegalStateException.class, () -> spec(0, 0).warmUp());
        assertEquals("without a split the split rate must be the rate, got 0.05 and 0.01", assertThrows(
                IllegalArgumentException.class, () -> new SupernetSpec(DATA, OPERATIONS, new CellNetworkConfig(4, 1),
                        -1, 3, 0, 0.01, 0.05, OneShotConfig.Optimiser.SGD, 0.9, 0, 32, false, Collections.nCopies(OPERATIONS.size(), 1.0), 1,
                        "file:/tmp/supernets")).getMessage());
        SupernetSpec s = spec(-1, 0);
        assertThrows(IllegalArgumentException.class, () -> withWeights(s, false, List.of(1.0, 2.0)));
        assertThrows(IllegalArgumentException.class, () -> withWeights(s, false, List.of(1.0, -2.0, 1.0)));
        assertEquals("need one positive weight per operation, all equal with fair sampling, got [1.0, 2.0, 1.0] for "
                        + "[SKIP_CONNECT, NOR_CONV_1X1, NOR_CONV_3X3]",
                assertThrows(IllegalArgumentException.class, () -> withWeights(s, true, List.of(1.0, 2.0, 1.0)))
                        .getMessage());
    }

    @Test
    void theWeightsReachTheSamplerAndTheWarmUp() {
        SupernetSpec fewShot = withWeights(spec(5, 1), false, List.of(1.0, 1.0, 8.0));
        assertEquals(fewShot.operationWeights(), fewShot.warmUp().operationWeights());
        SplittableRandom random = new SplittableRandom(6);
        int convs = 0;
        for (int i = 0; i < 200; i++) {
            CellArchitecture drawn = fewShot.sampler(0).sample(random).get(0);
            assertEquals(CellOperation.SKIP_CONNECT, drawn.edges().get(5));
            convs += (int) drawn.edges().subList(0, 5).stream().filter(op -> op == CellOperation.NOR_CONV_3X3).count();
        }
        // 1,000 free edges at 0.8 each: 800 expected, standard deviation 12.6
        assertTrue(convs > 740 && convs < 860, convs + " of 1,000 free edges carry nor_conv_3x3");
    }

    /**
     * A supernet file names how it was trained, so that a search resumed with other settings refuses it: more
     * epochs (a file on another cosine), another rate, another seed, or a one-shot supernet taken for a warm-up.
     */
    @Test
    void everyTrainingSettingIsPartOfWhatAFileIsOf() {
        InputSpec input = new InputSpec(8, 8, 1, 3);
        SupernetSpec oneShot = spec(-1, 0);
        assertEquals("3 epochs from rate 0.01, momentum 0.9, weight decay 0.0, batches of 32, operations drawn by "
                + "weights [1.0, 1.0, 1.0], seed 1", oneShot.identity(0, input).fields().get("training"));
        SupernetSpec longer = new SupernetSpec(DATA, OPERATIONS, oneShot.skeleton(), -1, 4, 0, 0.01, 0.01,
                oneShot.optimiser(), 0.9, 0, 32, false, oneShot.operationWeights(), 1, oneShot.folder());
        SupernetSpec faster = new SupernetSpec(DATA, OPERATIONS, oneShot.skeleton(), -1, 3, 0, 0.02, 0.02,
                oneShot.optimiser(), 0.9, 0, 32, false, oneShot.operationWeights(), 1, oneShot.folder());
        SupernetSpec reseeded = new SupernetSpec(DATA, OPERATIONS, oneShot.skeleton(), -1, 3, 0, 0.01, 0.01,
                oneShot.optimiser(), 0.9, 0, 32, false, oneShot.operationWeights(), 2, oneShot.folder());
        Set<String> trainings = new HashSet<>();
        for (SupernetSpec s : List.of(oneShot, longer, faster, reseeded, withWeights(oneShot, true,
                oneShot.operationWeights()), withWeights(oneShot, false, List.of(1.0, 2.0, 2.0)))) {
            trainings.add(s.identity(0, input).fields().get("training"));
        }
        assertEquals(6, trainings.size(), trainings.toString());
        // a few-shot search's warm-up of 1 epoch is not the one-shot supernet of 3 a search before it trained
        assertTrue(!spec(5, 1).warmUp().identity(0, input).equals(oneShot.identity(0, input)));
        assertTrue(spec(5, 1).identity(0, input).training().contains("after a 1-epoch warm-up"));
    }

    /** The training files, the validation share and the limit decide what a supernet is of; the test files do not. */
    @Test
    void theTrainingDataIsPartOfWhatAFileIsOfAndTheTestFilesAreNot() {
        InputSpec input = new InputSpec(8, 8, 1, 3);
        SupernetSpec spec = spec(-1, 0);
        Set<String> data = new HashSet<>();
        for (DataConfig other : List.of(DATA,
                new DataConfig(DATA.trainImages(), DATA.trainLabels(), DATA.testImages(), DATA.testLabels(), 0.3, 0),
                new DataConfig(DATA.trainImages(), DATA.trainLabels(), DATA.testImages(), DATA.testLabels(),
                        DATA.validationFraction(), 500),
                new DataConfig("other-images", DATA.trainLabels(), DATA.testImages(), DATA.testLabels(),
                        DATA.validationFraction(), 0))) {
            data.add(withData(spec, other).identity(0, input).fields().get("data"));
        }
        assertEquals(4, data.size(), data.toString());
        DataConfig otherTest = new DataConfig(DATA.trainImages(), DATA.trainLabels(), "other-test-images",
                "other-test-labels", DATA.validationFraction(), 0);
        assertEquals(spec.identity(0, input), withData(spec, otherTest).identity(0, input));
    }

    private static SupernetSpec withData(SupernetSpec s, DataConfig data) {
        return new SupernetSpec(data, s.operations(), s.skeleton(), s.splitEdge(), s.epochs(), s.warmupEpochs(),
                s.learningRate(), s.splitLearningRate(), s.optimiser(), s.momentum(), s.weightDecay(), s.batchSize(),
                s.fair(), s.operationWeights(), s.seed(), s.folder());
    }

    private static SupernetSpec withWeights(SupernetSpec s, boolean fair, List<Double> weights) {
        return new SupernetSpec(s.data(), s.operations(), s.skeleton(), s.splitEdge(), s.epochs(), s.warmupEpochs(),
                s.learningRate(), s.splitLearningRate(), s.optimiser(), s.momentum(), s.weightDecay(), s.batchSize(), fair, weights,
                s.seed(), s.folder());
    }
}
