package io.galapagos.driver.latency;

import io.galapagos.worker.network.KernelProfile;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * Per-kernel latency costs fitted from measured networks: a network's latency is predicted as
 * {@code base + sum over kinds k of (perKernel[k] * count + perMac[k] * multiply-adds + perOutput[k] * output values)}
 * with every coefficient non-negative (a kernel never saves time). The coefficients minimise the squared
 * <em>relative</em> error over the measured networks (latencies span orders of magnitude, and a search screens by
 * rank against a bound, so a small network's error matters as much as a large one's), with a small ridge penalty
 * on the normalised coefficients that keeps collinear features (a kind's count and its outputs) from trading off
 * wildly. Solved by coordinate descent, projected on the non-negative orthant. Immutable.
 */
public final class LatencyModel {

    /** One measured network: its kernels and its median single-example latency. */
    public record Sample(KernelProfile kernels, double latencyMs) {

        public Sample {
            if (kernels == null || !(latencyMs > 0) || Double.isInfinite(latencyMs)) {
                throw new IllegalArgumentException("a sample needs kernels and a positive latency, got " + latencyMs);
            }
        }
    }

    private static final int FEATURES_PER_KIND = 3;
    private static final double RIDGE = 1e-3;
    private static final int MAX_SWEEPS = 20_000;

    private final List<String> kinds;
    /** Intercept first, then per kind its count, multiply-add and output coefficients. */
    private final double[] coefficients;

    private LatencyModel(List<String> kinds, double[] coefficients) {
        this.kinds = kinds;
        this.coefficients = coefficients;
    }

    /** The model fitted to {@code samples}; at least one. */
    public static LatencyModel fit(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a latency model needs at least one measured network");
        }
        TreeSet<String> seen = new TreeSet<>();
        samples.forEach(s -> seen.addAll(s.kernels().kinds().keySet()));
        List<String> kinds = List.copyOf(seen);
        int n = samples.size();
        int p = 1 + FEATURES_PER_KIND * kinds.size();
        // rows x / y against targets 1: the residual of a row is the relative error of its prediction
        double[][] columns = new double[p][n];
        for (int i = 0; i < n; i++) {
            double[] x = features(kinds, samples.get(i).kernels());
            for (int j = 0; j < p; j++) {
                columns[j][i] = x[j] / samples.get(i).latencyMs();
            }
        }
        double[] scale = new double[p];
        for (int j = 0; j < p; j++) {
            double norm = Math.sqrt(dot(columns[j], columns[j]));
            scale[j] = norm > 0 ? norm : 1;
            for (int i = 0; i < n; i++) {
                columns[j][i] /= scale[j];
            }
        }
        // the normalised columns' squared norms: 1, or 0 for a feature no sample has
        double[] squared = new double[p];
        for (int j = 0; j < p; j++) {
            squared[j] = dot(columns[j], columns[j]);
        }
        double[] w = new double[p];
        double[] residual = new double[n];
        Arrays.fill(residual, 1);
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double largest = 0;
            for (int j = 0; j < p; j++) {
                double next = Math.max(0, (w[j] * squared[j] + dot(columns[j], residual)) / (squared[j] + RIDGE));
                double delta = next - w[j];
                if (delta != 0) {
                    for (int i = 0; i < n; i++) {
                        residual[i] -= delta * columns[j][i];
                    }
                    w[j] = next;
                    largest = Math.max(largest, Math.abs(delta));
                }
            }
            if (largest < 1e-12) {
                break;
            }
        }
        for (int j = 0; j < p; j++) {
            w[j] /= scale[j];
        }
        return new LatencyModel(kinds, w);
    }

    /**
     * The predicted latency of a network of {@code kernels}, in milliseconds; empty when it holds a kind of kernel
     * no measured network had (its cost is unknown).
     */
    public OptionalDouble predict(KernelProfile kernels) {
        if (!kinds.containsAll(kernels.kinds().keySet())) {
            return OptionalDouble.empty();
        }
        double[] x = features(kinds, kernels);
        return OptionalDouble.of(dot(x, coefficients));
    }

    /** The kinds of kernel the model knows a cost for. */
    public List<String> kinds() {
        return kinds;
    }

    private static double[] features(List<String> kinds, KernelProfile kernels) {
        double[] x = new double[1 + FEATURES_PER_KIND * kinds.size()];
        x[0] = 1;
        for (Map.Entry<String, KernelProfile.Kernel> e : kernels.kinds().entrySet()) {
            int k = kinds.indexOf(e.getKey());
            if (k >= 0) {
                x[1 + FEATURES_PER_KIND * k] = e.getValue().count();
                x[2 + FEATURES_PER_KIND * k] = e.getValue().macs();
                x[3 + FEATURES_PER_KIND * k] = e.getValue().outputs();
            }
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** The coefficients by name ({@code base}, {@code <kind>.kernel}, {@code <kind>.mac}, {@code <kind>.output}). */
    public Map<String, Double> coefficients() {
        Map<String, Double> named = new LinkedHashMap<>();
        named.put("base", coefficients[0]);
        List<String> suffixes = List.of("kernel", "mac", "output");
        for (int k = 0; k < kinds.size(); k++) {
            for (int f = 0; f < FEATURES_PER_KIND; f++) {
                named.put(kinds.get(k) + "." + suffixes.get(f), coefficients[1 + FEATURES_PER_KIND * k + f]);
            }
        }
        return named;
    }
}
