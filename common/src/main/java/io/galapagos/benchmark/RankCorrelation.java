package io.galapagos.benchmark;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * How well one scoring of a sample of architectures ranks them like another: the measure of a weight-sharing
 * method (supernet accuracy against stand-alone accuracy over a fixed sample; Yu et al. 2020, "How to train your
 * super-net"). Ties are handled as scipy does by default: Kendall's tau-b, and Spearman's rho as the Pearson
 * correlation of average ranks. Either is NaN when one scoring gives every architecture the same value.
 *
 * @param kendallTau  Kendall's tau-b, in [-1, 1]
 * @param spearmanRho Spearman's rho, in [-1, 1]
 * @param topOverlap  the share of the {@code k} best by one scoring that are among the {@code k} best by the other
 *                    (higher is better; ties at the cut are broken by position in the sample)
 * @param k           the size of the two top sets
 * @param n           the sample size
 */
public record RankCorrelation(double kendallTau, double spearmanRho, double topOverlap, int k, int n) {

    /**
     * @param x scores of the sample by one method (e.g. supernet accuracy); higher is better
     * @param y scores of the same architectures, in the same order, by the other (e.g. stand-alone accuracy)
     * @param k the size of the top sets compared, 1 to the sample size
     */
    public static RankCorrelation of(double[] x, double[] y, int k) {
        requireOneSample(x, y);
        if (k < 1 || k > x.length) {
            throw new IllegalArgumentException("k must be between 1 and the sample size " + x.length + ", got " + k);
        }
        return new RankCorrelation(kendallTauB(x, y), pearson(averageRanks(x), averageRanks(y)), overlap(x, y, k), k,
                x.length);
    }

    /** Checks that {@code x} and {@code y} are finite scores of one sample of at least 2 architectures. */
    static void requireOneSample(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("the two scorings must score the same sample, got " + x.length + " and "
                    + y.length + " scores");
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("a rank correlation needs at least 2 architectures, got " + x.length);
        }
        for (double[] scores : new double[][]{x, y}) {
            for (double v : scores) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("scores must be finite, got " + v);
                }
            }
        }
    }

    /** Kendall's tau-b; NaN when either scoring ties every pair. */
    static double kendallTauB(double[] x, double[] y) {
        long concordant = 0;
        long discordant = 0;
        long tiedX = 0;
        long tiedY = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                int dx = Double.compare(x[i], x[j]);
                int dy = Double.compare(y[i], y[j]);
                if (dx == 0) {
                    tiedX++;
                }
                if (dy == 0) {
                    tiedY++;
                }
                if (dx != 0 && dy != 0) {
                    if (dx == dy) {
                        concordant++;
                    } else {
                        discordant++;
                    }
                }
            }
        }
        long pairs = (long) x.length * (x.length - 1) / 2;
        return (concordant - discordant) / Math.sqrt((double) (pairs - tiedX) * (pairs - tiedY));
    }

    /** Ranks from 1 (lowest), tied values sharing the mean of the ranks they span. */
    static double[] averageRanks(double[] values) {
        Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) {
                ranks[order[i]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

    private static double pearson(double[] a, double[] b) {
        double meanA = Arrays.stream(a).average().orElseThrow();
        double meanB = Arrays.stream(b).average().orElseThrow();
        double covariance = 0;
        double varianceA = 0;
        double varianceB = 0;
        for (int i = 0; i < a.length; i++) {
            covariance += (a[i] - meanA) * (b[i] - meanB);
            varianceA += (a[i] - meanA) * (a[i] - meanA);
            varianceB += (b[i] - meanB) * (b[i] - meanB);
        }
        return covariance / Math.sqrt(varianceA * varianceB);
    }

    private static double overlap(double[] x, double[] y, int k) {
        Set<Integer> top = top(x, k);
        top.retainAll(top(y, k));
        return top.size() / (double) k;
    }

    private static Set<Integer> top(double[] scores, int k) {
        return new HashSet<>(IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparing(i -> i))
                .limit(k).toList());
    }
}
