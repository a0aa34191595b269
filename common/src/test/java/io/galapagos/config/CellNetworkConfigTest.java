package io.galapagos.config;

import io.galapagos.space.CellSearchSpace;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The cell space trained with DL4J: {@code training.cell_channels} and {@code training.cells_per_stage} say how a
 * cell becomes a network, default to NAS-Bench-201's skeleton, and are refused where no cell is trained.
 */
class CellNetworkConfigTest {

    private static final String CELLS = ConfigAssertions.CELL_SEARCH;

    private static ConfigLoader.Loaded load(String yaml, String... overrides) {
        return ConfigLoader.parse("c.yaml", yaml, Path.of("/configs"), List.of(overrides));
    }

    private static void assertRejected(String yaml, String expected, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml, overrides));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void aCellSpaceWithDataIsTrainedOnTheConfiguredSkeleton() {
        SearchConfig config = load(CELLS).config();
        assertInstanceOf(CellSearchSpace.class, config.space());
        Dl4jTrainerConfig trainer = assertInstanceOf(Dl4jTrainerConfig.class, config.trainer());
        assertEquals(new CellNetworkConfig(8, 1), trainer.training().cellNetwork());
        assertEquals(List.of(8, 16, 32), List.of(trainer.training().cellNetwork().channelsAt(0),
                trainer.training().cellNetwork().channelsAt(1), trainer.training().cellNetwork().channelsAt(2)));
        assertEquals(new CellNetworkConfig(4, 1),
                training(load(CELLS, "training.cell_channels=4")).cellNetwork());
    }

    @Test
    void theSkeletonDefaultsToNasBench201s() {
        String plain = CELLS.replace(", cell_channels: 8, cells_per_stage: 1", "");
        assertEquals(new CellNetworkConfig(16, 5), training(load(plain)).cellNetwork());
        assertEquals(CellNetworkConfig.Reduction.RESIDUAL, training(load(plain)).cellNetwork().reduction());
    }

    @Test
    void stagesMayBeJoinedByParameterFreeReductions() {
        assertEquals(new CellNetworkConfig(8, 1, CellNetworkConfig.Reduction.POOL),
                training(load(CELLS, "training.cell_reduction=pool")).cellNetwork());
        assertRejected(CELLS, "--set training.cell_reduction=conv: 'conv' is not valid: expected residual or pool",
                "training.cell_reduction=conv");
        assertRejected(CELLS.replace("{kind: nb201}", "{kind: macro}").replace(", cell_channels: 8, cells_per_stage: 1",
                ", cell_reduction: pool"), "c.yaml: training.cell_reduction: 'pool' is used only by the cell space "
                + "(space.kind: nb201), not by macro architectures");
    }

    @Test
    void badOrMisplacedSkeletonSettingsAreOneLineErrors() {
        assertRejected(CELLS.replace("cell_channels: 8", "cell_channels: 0"),
                "c.yaml: training.cell_channels: 0 is out of range (must be between 1 and 1024)");
        assertRejected(CELLS.replace("cells_per_stage: 1", "cells_per_stage: 1.5"),
                "c.yaml: training.cells_per_stage: 1.5 should be a whole number");
        assertRejected(CELLS.replace("{kind: nb201}", "{kind: macro}"),
                "c.yaml: training.cell_channels: 8 is used only by the cell space (space.kind: nb201), not by macro "
                        + "architectures");
    }

    private static TrainingConfig training(ConfigLoader.Loaded loaded) {
        return ((Dl4jTrainerConfig) loaded.config().trainer()).training();
    }
}
