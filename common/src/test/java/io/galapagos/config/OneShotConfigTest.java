package io.galapagos.config;

import io.galapagos.space.CellOperation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.galapagos.config.ConfigAssertions.assertRejected;
import static io.galapagos.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code oneshot} section: its keys, its defaults, and every mistake named in one line before anything runs. */
class OneShotConfigTest {

    private static final String CELLS = ConfigAssertions.CELL_SEARCH + "trials: 20\n";

    @Test
    void withoutTheSectionEveryCandidateIsTrained() {
        assertTrue(load(CELLS).oneshot().isEmpty());
    }

    @Test
    void anEmptySectionIsOneShotWithTheDefaults() {
        assertEquals(OneShotConfig.DEFAULTS, load(CELLS + "oneshot: {}\n").oneshot().orElseThrow());
    }

    @Test
    void readsEveryKey() {
        OneShotConfig o = load(CELLS + """
                oneshot: {split: edge5, epochs: 6, warmup_epochs: 2, learning_rate: 0.05, momentum: 0.8,
                          weight_decay: 0.0003, batch_size: 32, calibration_batches: 4, retrain_top: 5,
                          correlation_sample: 12, sampling: fair}
                """).oneshot().orElseThrow();
        assertEquals(new OneShotConfig(5, 6, 2, 0.05, 0.05, OneShotConfig.Optimiser.SGD, 0.8, 0.0003, 32, 4, 5, 12,
                OneShotConfig.Sampling.FAIR,
                OneShotConfig.equalWeights()), o);
        assertTrue(o.fewShot());
        assertEquals(OneShotConfig.Sampling.UNIFORM, OneShotConfig.DEFAULTS.sampling());
        assertRejected("test.yaml: oneshot.sampling: 'sandwich' is not valid: expected uniform or fair",
                CELLS + "oneshot: {sampling: sandwich}\n");
    }

    @Test
    void theOptimiserIsSgdOrAdamEachWithItsOwnDefaultRate() {
        assertEquals(OneShotConfig.Optimiser.SGD, OneShotConfig.DEFAULTS.optimiser());
        assertEquals(0.1, OneShotConfig.DEFAULTS.learningRate());
        OneShotConfig adam = load(CELLS + "oneshot: {optimiser: adam}\n").oneshot().orElseThrow();
        assertEquals(OneShotConfig.Optimiser.ADAM, adam.optimiser());
        assertEquals(0.005, adam.learningRate());
        assertEquals(0.005, adam.splitLearningRate(), "without a split its rate is the rate");
        assertEquals(0.02, load(CELLS + "oneshot: {optimiser: adam, learning_rate: 0.02}\n").oneshot().orElseThrow()
                .learningRate());
        assertRejected("test.yaml: oneshot.optimiser: 'rmsprop' is not valid: expected sgd or adam",
                CELLS + "oneshot: {optimiser: rmsprop}\n");
    }

    @Test
    void operationWeightsDefaultToOneEach() {
        OneShotConfig o = load(CELLS + "oneshot: {operation_weights: {nor_conv_3x3: 3, avg_pool_3x3: 1.5}}\n")
                .oneshot().orElseThrow();
        assertEquals(List.of(1.0, 1.0, 1.0, 3.0, 1.5), o.weightsOf(List.of(CellOperation.values())));
        assertEquals(List.of(1.5, 3.0), o.weightsOf(List.of(CellOperation.AVG_POOL_3X3, CellOperation.NOR_CONV_3X3)));
        assertEquals(List.of(1.0, 1.0, 2.0, 1.0, 1.0), load(CELLS + "oneshot: {}\n",
                "oneshot.operation_weights.nor_conv_1x1=2").oneshot().orElseThrow()
                .weightsOf(List.of(CellOperation.values())));
        assertEquals(List.of(1.0, 1.0), OneShotConfig.DEFAULTS.weightsOf(
                List.of(CellOperation.NONE, CellOperation.NOR_CONV_1X1)));
    }

    @Test
    void operationWeightsArePositiveWeightsOfTheCellsOperationsForSinglePathSampling() {
        assertRejected("test.yaml: oneshot.operation_weights.conv3x3: unknown key (known here: avg_pool_3x3, none, "
                + "nor_conv_1x1, nor_conv_3x3, skip_connect)", CELLS + "oneshot: {operation_weights: {conv3x3: 2}}\n");
        assertRejected("oneshot.operation_weights.none: 0", CELLS + "oneshot: {operation_weights: {none: 0}}\n");
        assertRejected("test.yaml: oneshot.operation_weights: {none: 1.0, skip_connect: 1.0, nor_conv_1x1: 1.0, "
                + "nor_conv_3x3: 2.0, avg_pool_3x3: 1.0} need sampling: uniform (single-path)",
                CELLS + "oneshot: {sampling: fair, operation_weights: {nor_conv_3x3: 2}}\n");
        assertEquals(OneShotConfig.Sampling.FAIR, load(CELLS + "oneshot: {sampling: fair, operation_weights: "
                + "{none: 2, skip_connect: 2, nor_conv_1x1: 2, nor_conv_3x3: 2, avg_pool_3x3: 2}}\n")
                .oneshot().orElseThrow().sampling());
    }

    @Test
    void theSplitNamesAnEdgeOfTheCell() {
        assertRejected("test.yaml: oneshot.split: 'edge6' is not valid: expected none or edge0 to edge5",
                CELLS + "oneshot: {split: edge6}\n");
        assertRejected("oneshot.split: 'operation'", CELLS + "oneshot: {split: operation}\n");
        assertEquals(-1, load(CELLS + "oneshot: {split: none}\n").oneshot().orElseThrow().splitEdge());
    }

    @Test
    void retrainingMoreCellsThanTheSearchMeasuresIsRefused() {
        assertRejected("oneshot.retrain_top: 21 is larger than the sample", CELLS + "oneshot: {retrain_top: 21}\n");
        assertRejected("--set trials=4", CELLS + "oneshot: {retrain_top: 5}\n", "trials=4");
    }

    @Test
    void aWarmUpNeedsASplit() {
        assertRejected("oneshot.warmup_epochs: 2 needs a split", CELLS + "oneshot: {warmup_epochs: 2}\n");
    }

    @Test
    void theSubSupernetsRateDefaultsToTheRateAndNeedsASplit() {
        assertEquals(0.2, load(CELLS + "oneshot: {split: edge5, warmup_epochs: 3, split_learning_rate: 0.2}\n")
                .oneshot().orElseThrow().splitLearningRate());
        assertEquals(0.05, load(CELLS + "oneshot: {split: edge5}\n", "oneshot.learning_rate=0.05").oneshot()
                .orElseThrow().splitLearningRate());
        assertRejected("oneshot.split_learning_rate: 0.2 needs a split",
                CELLS + "oneshot: {split_learning_rate: 0.2}\n");
        assertRejected("oneshot.split_learning_rate: 0", CELLS + "oneshot: {split: edge5, split_learning_rate: 0}\n");
    }

    @Test
    void aCorrelationOfOneCellIsRefused() {
        assertRejected("oneshot.correlation_sample: 1 must be 0 (off) or at least 2",
                CELLS + "oneshot: {correlation_sample: 1}\n");
    }

    @Test
    void weightSharingNeedsTheCellSpaceRealTrainingSparkAndPlainProposals() {
        String macro = CELLS.replace("space: {kind: nb201}", "space: {kind: macro}")
                .replace(", cell_channels: 8, cells_per_stage: 1", "");
        assertRejected("needs the cell space", macro + "oneshot: {}\n");
        assertRejected("needs executor: spark", CELLS + "executor: in_process\noneshot: {}\n");
        assertRejected("cannot be used with strategy.kind hyperband", CELLS.replace("training: {epochs: 2,",
                "strategy: {kind: hyperband, fidelities: 2}\ntraining: {fidelity_epochs: [1, 2],") + "oneshot: {}\n");
        assertRejected("cannot be used with constraints yet", CELLS + "constraints: {max_params: 5000}\noneshot: {}\n");
    }
}
