package io.galapagos.config;

import io.galapagos.space.InvalidValueException;
import io.galapagos.trial.Metrics;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Upper bounds on a trained network's metrics (the {@code constraints} section): a candidate over any of them is
 * infeasible, never a completed result. Bounds on what the architecture alone decides ({@link Limit#analytic}:
 * parameters, FLOPs, the memory figures) are checked before a network is allocated, by the driver before dispatch
 * as well as by the executor; bounds on measured metrics (latency, measured training memory) after training, and the
 * latency bound also by the driver once it can predict latency well.
 *
 * @param bounds the configured bounds, in {@link Limit} order, at most one per limit
 * @param screen whether the driver checks the analytic bounds before dispatch ({@code constraints.screen}, on by
 *               default; off only to measure what screening saves, since the executors check them anyway)
 */
public record Constraints(List<Bound> bounds, boolean screen) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** No bounds. */
    public static final Constraints NONE = new Constraints(List.of(), true);

    /** What can be bounded: the configuration key, the metric, and the metric's unit in the key. */
    public enum Limit {
        PARAMS("max_params", Metrics.PARAMS, 1, true),
        MFLOPS("max_mflops", Metrics.FLOPS, 1e6, true),
        PARAM_BYTES("max_param_bytes", Metrics.PARAM_BYTES, 1, true),
        INFERENCE_PEAK_BYTES("max_inference_peak_bytes", Metrics.INFERENCE_PEAK_BYTES, 1, true),
        TRAIN_PEAK_BYTES("max_train_peak_bytes", Metrics.TRAIN_PEAK_BYTES, 1, true),
        LATENCY_MS("max_latency_ms", Metrics.LATENCY_MS, 1, false),
        MEASURED_TRAIN_BYTES("max_measured_train_bytes", Metrics.MEASURED_TRAIN_BYTES, 1, false);

        /** The key in the {@code constraints} section. */
        public final String key;
        public final String metric;
        /** The metric's value per unit of the bound ({@code max_mflops} bounds FLOPs in millions). */
        public final double unit;
        /** Whether the architecture alone decides the metric; else it is measured. */
        public final boolean analytic;

        Limit(String key, String metric, double unit, boolean analytic) {
            this.key = key;
            this.metric = metric;
            this.unit = unit;
            this.analytic = analytic;
        }

    }

    /** {@code limit}'s metric at most {@code maximum} units. */
    public record Bound(Limit limit, double maximum) implements Serializable {

        private static final long serialVersionUID = 1L;

        public Bound {
            if (limit == null) {
                throw new IllegalArgumentException("a bound needs its limit");
            }
            if (!(maximum > 0) || Double.isInfinite(maximum)) {
                throw new InvalidValueException(limit.key, maximum, "must be a positive number (a bound of 0 "
                        + "admits no network)");
            }
        }

        /** Why {@code metrics} break this bound, or empty when they keep it or lack the metric. */
        Optional<String> violation(Metrics metrics) {
            OptionalDouble value = metrics.get(limit.metric);
            if (value.isEmpty() || value.getAsDouble() / limit.unit <= maximum) {
                return Optional.empty();
            }
            // named in the bound's unit: "mflops 5.2", where "flops 5.2" would read as five FLOPs
            return Optional.of(String.format(Locale.ROOT, "%s %s is over constraints.%s %s",
                    limit.key.substring("max_".length()), number(value.getAsDouble() / limit.unit), limit.key,
                    number(maximum)));
        }
    }

    public Constraints {
        bounds = bounds.stream().sorted(Comparator.comparing(Bound::limit)).toList();
        for (int i = 1; i < bounds.size(); i++) {
            if (bounds.get(i).limit() == bounds.get(i - 1).limit()) {
                throw new IllegalArgumentException("two bounds for " + bounds.get(i).limit().key);
            }
        }
    }

    /** Why {@code metrics} break a bound (the first broken, in {@link Limit} order), or empty. */
    public Optional<String> violation(Metrics metrics) {
        return bounds.stream().map(b -> b.violation(metrics)).flatMap(Optional::stream).findFirst();
    }

    /**
     * Whether the driver has anything to check before dispatch: an analytic bound, or a latency bound (screened once
     * a latency model learnt from the search's measurements predicts well).
     */
    public boolean screensBeforeDispatch() {
        return screen && (boundTheLayout() || maximum(Limit.LATENCY_MS).isPresent());
    }

    /** Whether any bound is on a figure the architecture alone decides ({@link Limit#analytic}). */
    public boolean boundTheLayout() {
        return bounds.stream().anyMatch(b -> b.limit().analytic);
    }

    /** The bound on {@code limit}'s metric, in the key's unit; empty when there is none. */
    public OptionalDouble maximum(Limit limit) {
        return bounds.stream().filter(b -> b.limit() == limit).mapToDouble(Bound::maximum).findFirst();
    }

    /** 12, 0.5, 2.31347, 262144: six significant digits, no trailing zeros, no exponent. */
    public static String number(double value) {
        return new BigDecimal(String.format(Locale.ROOT, "%.6g", value)).stripTrailingZeros().toPlainString();
    }
}
