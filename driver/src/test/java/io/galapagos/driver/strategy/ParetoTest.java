package io.galapagos.driver.strategy;

import io.galapagos.space.CellSearchSpace;
import io.galapagos.space.CellArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NSGA-II's building blocks against examples worked by hand (all objectives maximised). */
class ParetoTest {

    @Test
    void dominance() {
        assertTrue(Pareto.dominates(new double[] {2, 2}, new double[] {1, 2}));
        assertFalse(Pareto.dominates(new double[] {2, 2}, new double[] {2, 2}));
        assertFalse(Pareto.dominates(new double[] {3, 1}, new double[] {1, 3}));
    }

    /**
     * Points a(1,5) b(2,4) c(4,1) d(1,4) e(3,1) f(0,3) g(1,1). Nothing dominates a, b or c; d is dominated
     * only by a and b, e only by c; f is dominated by a, b and d, g by a to e. So the fronts are {a,b,c},
     * {d,e}, {f,g}.
     */
    @Test
    void nonDominatedSortingByHand() {
        double[][] f = {{1, 5}, {2, 4}, {4, 1}, {1, 4}, {3, 1}, {0, 3}, {1, 1}};
        List<List<Integer>> fronts = Pareto.nonDominatedSort(f);
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4), List.of(5, 6)), fronts);
    }

    @Test
    void equalPointsShareAFront() {
        double[][] f = {{1, 1}, {1, 1}, {0, 0}};
        assertEquals(List.of(List.of(0, 1), List.of(2)), Pareto.nonDominatedSort(f));
    }

    /**
     * Front (1,5) (2,4) (4,1) (3,3): objective 1 range 3, objective 2 range 4. Sorted by objective 1: 1,2,3,4:
     * (2,4) gets (3-1)/3, (3,3) gets (4-2)/3. Sorted by objective 2: 1,3,4,5: (3,3) gets (4-1)/4, (2,4) gets
     * (5-3)/4. Extremes infinite. So (2,4): 2/3 + 1/2 = 7/6; (3,3): 2/3 + 3/4 = 17/12.
     */
    @Test
    void crowdingDistanceByHand() {
        double[][] f = {{1, 5}, {2, 4}, {4, 1}, {3, 3}};
        double[] d = Pareto.crowdingDistance(f, List.of(0, 1, 2, 3));
        assertEquals(Double.POSITIVE_INFINITY, d[0]);
        assertEquals(7.0 / 6, d[1], 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, d[2]);
        assertEquals(17.0 / 12, d[3], 1e-12);
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                Pareto.crowdingDistance(f, List.of(1, 3)));
    }

    /** Reference (0,0); points (1,3) (2,2) (3,1): a staircase of 3 + 2 + 1 = 6 unit squares; (1,1) adds nothing. */
    @Test
    void hypervolumeByHand() {
        List<double[]> points = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1}, new double[] {1, 1});
        assertEquals(6, Pareto.hypervolume(points, new double[] {0, 0}), 1e-12);
        assertEquals(1, Pareto.hypervolume(points, new double[] {1, 1}), 1e-12);
        assertEquals(0, Pareto.hypervolume(List.of(new double[] {-1, 5}), new double[] {0, 0}), 1e-12);
        // Three objectives: a unit cube and a 2x1x1 box overlapping in a unit cube: 1 + 2 - 1 = 2.
        List<double[]> boxes = List.of(new double[] {1, 1, 1}, new double[] {2, 1, 1});
        assertEquals(2, Pareto.hypervolume(boxes, new double[] {0, 0, 0}), 1e-12);
    }

    /** Minimised objectives are reported in their own units; the reference point is too. */
    @Test
    void nsga2ReportsItsFrontAndHypervolumeInMetricUnits() {
        Nsga2 nsga = new Nsga2(CellSearchSpace.nb201(), List.of(Objective.maximize("acc"), Objective.minimize("ms")),
                4, 1);
        Random rng = new Random(3);
        double[][] values = {{90, 10}, {80, 5}, {85, 20}, {70, 4}};
        for (int i = 0; i < values.length; i++) {
            CellArchitecture a = CellSearchSpace.nb201().sample(rng);
            nsga.tell(new TrialResult.Completed(new Candidate(i, a, i),
                    Metrics.EMPTY.with("acc", values[i][0]).with("ms", values[i][1]),
                    new Execution("t", "h", 1, Instant.EPOCH, Instant.EPOCH)));
        }
        List<double[]> front = nsga.front();
        assertEquals(3, front.size());
        assertArrayEquals(new double[] {70, 4}, front.get(0));
        assertArrayEquals(new double[] {90, 10}, front.get(2));
        // Reference (60 acc, 30 ms): (70,4) covers 10 x 26; (80,5) adds 10 x 25; (90,10) adds 10 x 20.
        assertEquals(260 + 250 + 200, nsga.hypervolume(new double[] {60, 30}), 1e-9);
    }
}
