package io.galapagos.benchmark;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HypervolumeTest {

    private static final double[] ORIGIN = {0, 0};

    @Test
    void aStaircaseOfThreePoints() {
        // boxes 3x1, 2x2, 1x3 overlap; their union is 3*1 + 2*(2-1) + 1*(3-2) = 6
        assertEquals(6.0, Hypervolume.hypervolume(List.of(new double[] {1, 3}, new double[] {3, 1}, new double[] {2, 2}),
                ORIGIN), 1e-12);
    }

    @Test
    void dominatedRepeatedAndOutOfReferencePointsAddNothing() {
        List<double[]> points = List.of(new double[] {3, 1}, new double[] {2, 2}, new double[] {1, 3},
                new double[] {1, 1}, new double[] {2, 2}, new double[] {-1, 9}, new double[] {5, 0});
        assertEquals(6.0, Hypervolume.hypervolume(points, ORIGIN), 1e-12);
    }

    @Test
    void aReferenceOtherThanTheOrigin() {
        // reference (1, 0.5): (3,1) gives 2 x 0.5; (2,2) adds 1 x 1; (1,3) is not beyond x = 1
        assertEquals(2.0, Hypervolume.hypervolume(List.of(new double[] {3, 1}, new double[] {2, 2}, new double[] {1, 3}),
                new double[] {1, 0.5}), 1e-12);
        assertEquals(0.0, Hypervolume.hypervolume(List.of(), ORIGIN));
        assertEquals(0.25, Hypervolume.hypervolume(List.of(new double[] {0.5, 0.5}), ORIGIN), 1e-12);
    }

    @Test
    void theFrontKeepsNonDominatedPointsBestFirst() {
        List<double[]> front = Hypervolume.front(List.of(new double[] {1, 1}, new double[] {2, 2}, new double[] {3, 1},
                new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 0.5}));
        assertEquals(3, front.size());
        assertArrayEquals(new double[] {3, 1}, front.get(0));
        assertArrayEquals(new double[] {2, 2}, front.get(1));
        assertArrayEquals(new double[] {1, 3}, front.get(2));
    }

    @Test
    void badPointsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Hypervolume.hypervolume(List.of(new double[] {1}), ORIGIN));
        assertThrows(IllegalArgumentException.class,
                () -> Hypervolume.hypervolume(List.of(new double[] {Double.NaN, 1}), ORIGIN));
    }

    @Test
    void aTablesTrueFrontIsNormalisedByItsRanges() throws IOException {
        // acc in [50, 90], lat in [1, 5]: normalised (acc-50)/40, (5-lat)/4
        BenchmarkTable table = BenchmarkTable.read(new StringReader("""
                arch,acc,lat
                a,90,5
                b,70,1
                c,80,3
                d,50,4
                e,60,2
                """), "t.csv");
        TableFront front = TableFront.of(table, "acc", "lat");
        assertArrayEquals(new double[] {0.75, 0.5}, front.normalise(80, 3), 1e-12);
        // front: a (1, 0), c (0.75, 0.5), b (0.5, 1); d and e dominated
        assertEquals(3, front.trueFront().size());
        // area: 1*0 + 0.75*(0.5-0) + 0.5*(1-0.5) = 0.625
        assertEquals(0.625, front.trueHypervolume(), 1e-12);
        assertEquals(1.0, front.ratio(List.of(front.normalise(90, 5), front.normalise(80, 3), front.normalise(70, 1))), 1e-12);
        // c alone: 0.75 * 0.5 = 0.375 of 0.625
        assertEquals(0.6, front.ratio(List.of(front.normalise(80, 3), front.normalise(50, 4))), 1e-12);
    }
}
