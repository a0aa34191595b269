package io.galapagos.benchmark;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * How far Kendall's tau over a sample of architectures would move with another sample of the same size: a
 * percentile bootstrap (Efron and Tibshirani 1993) that redraws the sample's architectures with replacement
 * {@value #RESAMPLES} times and keeps the middle 95% of the taus. A weight-sharing method's tau is read off a few
 * dozen architectures, and on 30 the interval is wide ({@code benchmarks/supernet-ranking/MEASUREMENTS.md} gives
 * measured ones). Two methods measured on one sample are compared by a paired interval ({@link #ofDifference}),
 * which redraws the same architectures for both. Redraws on which tau is undefined (every redrawn score tied) are
 * left out. Seeded: the same scores give the same interval.
 *
 * @param low  the 2.5th percentile of the redrawn taus (NaN when none is defined)
 * @param high the 97.5th percentile
 */
public record TauInterval(double low, double high) {

    /** Redraws of the sample. */
    static final int RESAMPLES = 2000;
    private static final long SEED = 1;

    /** The interval of tau between {@code x} and {@code y}, two scorings of the same architectures in one order. */
    public static TauInterval of(double[] x, double[] y) {
        RankCorrelation.requireOneSample(x, y);
        return bootstrap(x.length, cells -> RankCorrelation.kendallTauB(pick(x, cells), pick(y, cells)));
    }

    /**
     * The interval of tau(b, y) - tau(a, y): how much better {@code b} ranks the sample like {@code y} than {@code a}
     * does, the same architectures redrawn for both.
     */
    public static TauInterval ofDifference(double[] a, double[] b, double[] y) {
        RankCorrelation.requireOneSample(a, y);
        RankCorrelation.requireOneSample(b, y);
        return bootstrap(y.length, cells -> RankCorrelation.kendallTauB(pick(b, cells), pick(y, cells))
                - RankCorrelation.kendallTauB(pick(a, cells), pick(y, cells)));
    }

    private static TauInterval bootstrap(int n, ToDoubleFunction<int[]> statistic) {
        SplittableRandom random = new SplittableRandom(SEED);
        double[] values = new double[RESAMPLES];
        int defined = 0;
        int[] cells = new int[n];
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < n; i++) {
                cells[i] = random.nextInt(n);
            }
            double value = statistic.applyAsDouble(cells);
            if (Double.isFinite(value)) {
                values[defined++] = value;
            }
        }
        if (defined == 0) {
            return new TauInterval(Double.NaN, Double.NaN);
        }
        double[] sorted = Arrays.copyOf(values, defined);
        Arrays.sort(sorted);
        return new TauInterval(percentile(sorted, 0.025), percentile(sorted, 0.975));
    }

    /** The {@code p} quantile of sorted values, interpolated linearly between neighbours (numpy's default). */
    private static double percentile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static double[] pick(double[] scores, int[] cells) {
        double[] picked = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            picked[i] = scores[cells[i]];
        }
        return picked;
    }
}
