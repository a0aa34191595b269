package io.galapagos.benchmark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kendall's tau-b, Spearman's rho and the top-k overlap, against values worked out by hand. */
class RankCorrelationTest {

    @Test
    void agreementAndReversalAreOneAndMinusOne() {
        double[] x = {0.1, 0.5, 0.3, 0.9};
        RankCorrelation same = RankCorrelation.of(x, new double[]{1, 5, 3, 9}, 2);
        assertEquals(1, same.kendallTau(), 1e-12);
        assertEquals(1, same.spearmanRho(), 1e-12);
        assertEquals(1, same.topOverlap());
        RankCorrelation reversed = RankCorrelation.of(x, new double[]{-1, -5, -3, -9}, 2);
        assertEquals(-1, reversed.kendallTau(), 1e-12);
        assertEquals(-1, reversed.spearmanRho(), 1e-12);
        assertEquals(0, reversed.topOverlap());
    }

    @Test
    void oneSwappedPair() {
        // 6 pairs, one discordant: tau (5 - 1) / 6; rho 1 - 6 * (0 + 1 + 1 + 0) / (4 * 15)
        RankCorrelation r = RankCorrelation.of(new double[]{1, 2, 3, 4}, new double[]{1, 3, 2, 4}, 1);
        assertEquals(4 / 6.0, r.kendallTau(), 1e-12);
        assertEquals(0.8, r.spearmanRho(), 1e-12);
        assertEquals(4, r.n());
    }

    @Test
    void tiesCountAsTauBAndAverageRanks() {
        // one pair tied in x: tau-b 5 / sqrt((6 - 1) * 6); ranks of x 1, 2.5, 2.5, 4: rho 4.5 / sqrt(4.5 * 5)
        double[] x = {1, 2, 2, 3};
        RankCorrelation r = RankCorrelation.of(x, new double[]{1, 2, 3, 4}, 2);
        assertEquals(5 / Math.sqrt(30), r.kendallTau(), 1e-12);
        assertEquals(4.5 / Math.sqrt(22.5), r.spearmanRho(), 1e-12);
        assertArrayEquals(new double[]{1, 2.5, 2.5, 4}, RankCorrelation.averageRanks(x));
        assertTrue(Double.isNaN(RankCorrelation.of(new double[]{7, 7, 7}, new double[]{1, 2, 3}, 1).kendallTau()),
                "undefined when one scoring ties everything");
    }

    @Test
    void topOverlapIsTheShareOfTheBestKFoundByBoth() {
        // best two by x: 0 and 1; by y: 1 and 2
        RankCorrelation r = RankCorrelation.of(new double[]{0.9, 0.8, 0.7, 0.6}, new double[]{0.6, 0.9, 0.8, 0.7}, 2);
        assertEquals(0.5, r.topOverlap());
        assertEquals(2, r.k());
    }

    @Test
    void badInputIsRefusedWithTheValue() {
        assertEquals("the two scorings must score the same sample, got 2 and 3 scores",
                assertThrows(IllegalArgumentException.class,
                        () -> RankCorrelation.of(new double[]{1, 2}, new double[]{1, 2, 3}, 1)).getMessage());
        assertEquals("k must be between 1 and the sample size 2, got 3", assertThrows(IllegalArgumentException.class,
                () -> RankCorrelation.of(new double[]{1, 2}, new double[]{1, 2}, 3)).getMessage());
        assertEquals("scores must be finite, got NaN", assertThrows(IllegalArgumentException.class,
                () -> RankCorrelation.of(new double[]{1, Double.NaN}, new double[]{1, 2}, 1)).getMessage());
    }
}
