package io.galapagos.worker.supernet;

import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which cells a supernet step trains: one uniformly drawn, or a strictly fair group. */
class CellSamplerTest {

    private static final List<CellOperation> ALL = List.of(CellOperation.values());

    @Test
    void aFairGroupCarriesEveryOperationOnceOnEveryEdge() {
        SplittableRandom random = new SplittableRandom(4);
        Set<List<CellArchitecture>> groups = new HashSet<>();
        for (int step = 0; step < 20; step++) {
            List<CellArchitecture> group = CellSampler.fair(ALL, -1, null).sample(random);
            assertEquals(ALL.size(), group.size());
            for (int edge = 0; edge < CellArchitecture.EDGES; edge++) {
                Set<CellOperation> seen = EnumSet.noneOf(CellOperation.class);
                for (CellArchitecture cell : group) {
                    seen.add(cell.edges().get(edge));
                }
                assertEquals(EnumSet.allOf(CellOperation.class), seen, "edge " + edge + " of " + group);
            }
            groups.add(group);
        }
        assertEquals(20, groups.size(), "each step draws its own permutations");
    }

    @Test
    void aSubSupernetsGroupKeepsItsEdgeAndIsFairOnTheOthers() {
        List<CellOperation> three = List.of(CellOperation.NONE, CellOperation.SKIP_CONNECT, CellOperation.NOR_CONV_3X3);
        List<CellArchitecture> group = CellSampler.fair(three, 2, CellOperation.SKIP_CONNECT)
                .sample(new SplittableRandom(1));
        assertEquals(3, group.size());
        for (int edge = 0; edge < CellArchitecture.EDGES; edge++) {
            Set<CellOperation> seen = EnumSet.noneOf(CellOperation.class);
            for (CellArchitecture cell : group) {
                seen.add(cell.edges().get(edge));
            }
            assertEquals(edge == 2 ? EnumSet.of(CellOperation.SKIP_CONNECT) : EnumSet.copyOf(three), seen, "edge " + edge);
        }
    }

    @Test
    void uniformSamplingDrawsOneCellOfThePart() {
        SplittableRandom random = new SplittableRandom(9);
        Set<CellOperation> seen = EnumSet.noneOf(CellOperation.class);
        for (int step = 0; step < 100; step++) {
            List<CellArchitecture> one = CellSampler.uniform(ALL, 5, CellOperation.AVG_POOL_3X3).sample(random);
            assertEquals(1, one.size());
            assertEquals(CellOperation.AVG_POOL_3X3, one.get(0).edges().get(5));
            seen.add(one.get(0).edges().get(0));
        }
        assertTrue(seen.containsAll(ALL), "every operation drawn on a free edge: " + seen);
    }
}
