package io.galapagos.driver.results;

import java.util.Arrays;

/**
 * How a set of measurements spreads: the same quantity measured over seeds (a benchmark's strategies, an
 * architecture trained again).
 *
 * @param mean the average
 * @param sd   the sample standard deviation (n - 1); 0 for a single value
 * @param min  the smallest
 * @param max  the largest
 */
public record Spread(double mean, double sd, double min, double max) {

    /** The spread of {@code values}, at least one. */
    public static Spread of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return new Spread(mean, values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0,
                Arrays.stream(values).min().orElseThrow(), Arrays.stream(values).max().orElseThrow());
    }
}
