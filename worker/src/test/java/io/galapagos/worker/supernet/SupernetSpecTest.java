package io.galapagos.worker.supernet;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.DataConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The parts of a supernet spec: which part covers a cell, what each part samples, and the settings refused. */
class SupernetSpecTest {

    private static final DataConfig DATA = new DataConfig("a", "b", "c", "d", 0.1, 0);
    private static final List<CellOperation> OPERATIONS = List.of(CellOperation.SKIP_CONNECT,
            CellOperation.NOR_CONV_1X1, CellOperation.NOR_CONV_3X3);

    private static SupernetSpec spec(int splitEdge, int warmupEpochs) {
        return new SupernetSpec(DATA, OPERATIONS, new CellNetworkConfig(4, 1), splitEdge, 3, warmupEpochs, 0.01, 0.9,
                0, 32, false, 1, "file:/tmp/supernets");
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
    void badSettingsAreRefusedWithTheValue() {
        assertEquals("warm-up epochs must be >= 0, and 0 without a split, got 2",
                assertThrows(IllegalArgumentException.class, () -> spec(-1, 2)).getMessage());
        assertEquals("split edge must be -1 (none) or 0 to 5, got 6",
                assertThrows(IllegalArgumentException.class, () -> spec(6, 0)).getMessage());
        assertEquals("part must be 0 to 2, got 3",
                assertThrows(IllegalArgumentException.class, () -> spec(0, 0).fileName(3)).getMessage());
        assertThrows(IllegalStateException.class, () -> spec(0, 0).warmUp());
    }
}
