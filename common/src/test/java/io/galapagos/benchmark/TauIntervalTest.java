package io.galapagos.benchmark;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bootstrap interval of Kendall's tau over a sample, alone and as a paired difference of two scorings. */
class TauIntervalTest {

    @Test
    void aScoringThatAgreesOnEveryPairHasTheIntervalOfOnePoint() {
        double[] x = {0.1, 0.4, 0.2, 0.9, 0.7};
        TauInterval interval = TauInterval.of(x, new double[]{1, 4, 2, 9, 7});
        assertEquals(1, interval.low(), 1e-12);
        assertEquals(1, interval.high(), 1e-12);
    }

    @Test
    void theIntervalHoldsTheSamplesTauAndNarrowsAsTheSampleGrows() {
        double[] widths = new double[2];
        int[] sizes = {20, 320};
        for (int s = 0; s < sizes.length; s++) {
            double[][] scores = noisyScorings(sizes[s], 0.5, 3);
            double tau = RankCorrelation.of(scores[0], scores[1], 1).kendallTau();
            TauInterval interval = TauInterval.of(scores[0], scores[1]);
            assertTrue(interval.low() < tau && tau < interval.high(), interval + " against " + tau);
            widths[s] = interval.high() - interval.low();
        }
        // the bootstrap's spread shrinks as one over the square root of the size: a quarter for 16 times the cells
        assertEquals(0.25, widths[1] / widths[0], 0.1);
    }

    @Test
    void theSameScoresGiveTheSameInterval() {
        double[][] scores = noisyScorings(30, 1, 4);
        assertEquals(TauInterval.of(scores[0], scores[1]), TauInterval.of(scores[0].clone(), scores[1].clone()));
    }

    @Test
    void aScoringAgainstItselfDiffersByNothing() {
        double[][] scores = noisyScorings(30, 1, 5);
        TauInterval difference = TauInterval.ofDifference(scores[0], scores[0], scores[1]);
        assertEquals(0, difference.low());
        assertEquals(0, difference.high());
    }

    @Test
    void aPairedDifferenceIsPositiveWhereTheSecondScoringIsTheReferenceItself() {
        // b is y itself; a is y with noise as large as y's spread: b is ahead on any redraw with an untied pair
        double[][] scores = noisyScorings(40, 1, 6);
        double[] y = scores[1];
        TauInterval difference = TauInterval.ofDifference(scores[0], y, y);
        double point = 1 - RankCorrelation.of(scores[0], y, 1).kendallTau();
        assertTrue(difference.low() > 0 && difference.low() < point && point < difference.high(),
                difference + " against " + point);
    }

    @Test
    void scoringsOfTwoSamplesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TauInterval.of(new double[]{1, 2}, new double[]{1, 2, 3}));
        assertThrows(IllegalArgumentException.class,
                () -> TauInterval.ofDifference(new double[]{1, 2, 3}, new double[]{1, 2}, new double[]{1, 2, 3}));
    }

    @Test
    void redrawsWithEveryScoreTiedAreLeftOutAndNoDefinedRedrawGivesNaN() {
        assertTrue(Double.isNaN(TauInterval.of(new double[]{1, 1}, new double[]{1, 2}).low()));
        TauInterval two = TauInterval.of(new double[]{1, 2}, new double[]{1, 2});
        assertEquals(1, two.low());
        assertEquals(1, two.high());
    }

    /** {@code y} uniform on [0, 1) and {@code x = y + noise * N(0, 1)}, seeded: {@code [x, y]}. */
    private static double[][] noisyScorings(int n, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextDouble();
            double u = 1 - random.nextDouble();
            double gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
            x[i] = y[i] + noise * gaussian;
        }
        return new double[][]{x, y};
    }
}
