package io.galapagos.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * Two objectives of a benchmark table, one maximised and one minimised, scaled by the table's ranges to
 * maximise-oriented values in [0, 1] ({@code 1} the table's best, {@code 0} its worst), so that the
 * hypervolume of any set of the table's architectures is a fraction of the unit square with reference
 * point {@code (0, 0)}. Knows the table's true Pareto front and its hypervolume, so that a search's front
 * can be scored as {@link #ratio a share of it}. Immutable; thread-safe.
 */
public final class TableFront {

    /** The reference point of normalised values: the table's worst in both objectives. */
    public static final double[] REFERENCE = {0, 0};

    private final String maximized;
    private final String minimized;
    private final double maxLow;
    private final double maxHigh;
    private final double minLow;
    private final double minHigh;
    private final List<double[]> trueFront;
    private final double trueHypervolume;

    private TableFront(BenchmarkTable table, String maximized, String minimized) {
        this.maximized = maximized;
        this.minimized = minimized;
        double[] up = table.column(maximized);
        double[] down = table.column(minimized);
        double[] upRange = range(up);
        double[] downRange = range(down);
        this.maxLow = upRange[0];
        this.maxHigh = upRange[1];
        this.minLow = downRange[0];
        this.minHigh = downRange[1];
        List<double[]> all = new ArrayList<>(up.length);
        for (int r = 0; r < up.length; r++) {
            all.add(normalise(up[r], down[r]));
        }
        this.trueFront = Hypervolume.front(all);
        this.trueHypervolume = Hypervolume.hypervolume(trueFront, REFERENCE);
    }

    /** The front of {@code table} for {@code maximized} (e.g. accuracy) against {@code minimized} (e.g. latency). */
    public static TableFront of(BenchmarkTable table, String maximized, String minimized) {
        return new TableFront(table, maximized, minimized);
    }

    public String maximized() {
        return maximized;
    }

    public String minimized() {
        return minimized;
    }

    /** A point's maximise-oriented, range-scaled values: {@code (up - min) / range}, {@code (max - down) / range}. */
    public double[] normalise(double up, double down) {
        return new double[] {scale(up, maxLow, maxHigh), scale(maxOf(down), minLow, minHigh)};
    }

    private double maxOf(double down) {
        return minHigh - down + minLow;
    }

    private static double scale(double v, double low, double high) {
        return high > low ? (v - low) / (high - low) : 1;
    }

    /** The table's true Pareto front, normalised, best {@link #maximized()} first. */
    public List<double[]> trueFront() {
        return trueFront.stream().map(double[]::clone).toList();
    }

    /** The hypervolume of the true front with {@link #REFERENCE}; at most 1. */
    public double trueHypervolume() {
        return trueHypervolume;
    }

    /** The hypervolume of normalised {@code points} over that of the true front: 1 when they span it. */
    public double ratio(List<double[]> normalisedPoints) {
        return trueHypervolume == 0 ? 1 : Hypervolume.hypervolume(normalisedPoints, REFERENCE) / trueHypervolume;
    }

    private static double[] range(double[] values) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            low = Math.min(low, v);
            high = Math.max(high, v);
        }
        return new double[] {low, high};
    }
}
