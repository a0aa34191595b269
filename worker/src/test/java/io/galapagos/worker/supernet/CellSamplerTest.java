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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which cells a supernet step trains: one drawn uniformly or by operation weights, or a strictly fair group. */
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

    @Test
    void weightedSamplingDrawsEachOperationInProportionToItsWeight() {
        List<Double> weights = List.of(1.0, 1.5, 3.0, 3.0, 1.5);
        CellSampler sampler = CellSampler.singlePath(ALL, weights, 2, CellOperation.NONE);
        SplittableRandom random = new SplittableRandom(3);
        int steps = 20_000;
        int[] counts = new int[ALL.size()];
        for (int step = 0; step < steps; step++) {
            CellArchitecture cell = sampler.sample(random).get(0);
            assertEquals(CellOperation.NONE, cell.edges().get(2), "the part's edge stays fixed");
            for (int edge = 0; edge < CellArchitecture.EDGES; edge++) {
                if (edge != 2) {
                    counts[cell.edges().get(edge).ordinal()]++;
                }
            }
        }
        for (int op = 0; op < ALL.size(); op++) {
            double share = counts[op] / (steps * 5.0);
            // 100,000 draws: a share's standard error is under 0.0015, so 0.008 is more than five of them
            assertEquals(weights.get(op) / 10, share, 0.008, ALL.get(op).text());
        }
    }

    @Test
    void equalWeightsDrawTheCellsOfUniformSampling() {
        CellSampler weighted = CellSampler.singlePath(ALL, List.of(2.0, 2.0, 2.0, 2.0, 2.0), -1, null);
        CellSampler uniform = CellSampler.uniform(ALL, -1, null);
        SplittableRandom a = new SplittableRandom(11);
        SplittableRandom b = new SplittableRandom(11);
        for (int step = 0; step < 50; step++) {
            assertEquals(uniform.sample(a), weighted.sample(b));
        }
    }

    @Test
    void aWeightPerOperationAndPositiveIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> CellSampler.singlePath(ALL, List.of(1.0, 1.0), -1, null));
        assertThrows(IllegalArgumentException.class,
                () -> CellSampler.singlePath(ALL, List.of(1.0, 0.0, 1.0, 1.0, 1.0), -1, null));
    }
}
