package io.galapagos.driver.strategy;

import io.galapagos.benchmark.Hypervolume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto dominance tools on fitness vectors where every component is maximised: Deb's fast
 * non-dominated sort, crowding distance, hypervolume. Stateless.
 */
public final class Pareto {

    private Pareto() {
    }

    /** Whether {@code a} is at least as good as {@code b} everywhere and better somewhere. */
    public static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] < b[i]) {
                return false;
            }
            better |= a[i] > b[i];
        }
        return better;
    }

    /** The fronts (indices into {@code f}), best first; indices ascending within a front. */
    public static List<List<Integer>> nonDominatedSort(double[][] f) {
        int n = f.length;
        List<List<Integer>> dominated = new ArrayList<>(n);
        int[] dominators = new int[n];
        List<List<Integer>> fronts = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            dominated.add(new ArrayList<>());
        }
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                if (p == q) {
                    continue;
                }
                if (dominates(f[p], f[q])) {
                    dominated.get(p).add(q);
                } else if (dominates(f[q], f[p])) {
                    dominators[p]++;
                }
            }
            if (dominators[p] == 0) {
                current.add(p);
            }
        }
        while (!current.isEmpty()) {
            fronts.add(current);
            List<Integer> next = new ArrayList<>();
            for (int p : current) {
                for (int q : dominated.get(p)) {
                    if (--dominators[q] == 0) {
                        next.add(q);
                    }
                }
            }
            next.sort(null);
            current = next;
        }
        return fronts;
    }

    /**
     * Crowding distance of each member of {@code front} (same order): per objective, the gap between its
     * neighbours on that objective divided by the objective's range; the extremes get infinity.
     */
    static double[] crowdingDistance(double[][] f, List<Integer> front) {
        int size = front.size();
        double[] d = new double[size];
        if (size <= 2) {
            Arrays.fill(d, Double.POSITIVE_INFINITY);
            return d;
        }
        int objectives = f[front.get(0)].length;
        Integer[] order = new Integer[size];
        for (int m = 0; m < objectives; m++) {
            int obj = m;
            for (int k = 0; k < size; k++) {
                order[k] = k;
            }
            Arrays.sort(order, Comparator.comparingDouble(k -> f[front.get(k)][obj]));
            double min = f[front.get(order[0])][obj];
            double max = f[front.get(order[size - 1])][obj];
            d[order[0]] = Double.POSITIVE_INFINITY;
            d[order[size - 1]] = Double.POSITIVE_INFINITY;
            if (max == min) {
                continue;
            }
            for (int k = 1; k < size - 1; k++) {
                d[order[k]] += (f[front.get(order[k + 1])][obj] - f[front.get(order[k - 1])][obj]) / (max - min);
            }
        }
        return d;
    }

    /**
     * The volume dominated by {@code points} (maximised) and bounded below by {@code reference}: for two
     * objectives {@link Hypervolume#hypervolume}, for more by slicing along the last objective (exact; fine
     * for three or four objectives and fronts of hundreds).
     */
    public static double hypervolume(List<double[]> points, double[] reference) {
        List<double[]> inside = new ArrayList<>();
        for (double[] p : points) {
            boolean beats = true;
            for (int i = 0; i < reference.length; i++) {
                beats &= p[i] > reference[i];
            }
            if (beats) {
                inside.add(p);
            }
        }
        if (reference.length == 2) {
            return Hypervolume.hypervolume(inside, reference);
        }
        return volume(inside, reference, reference.length);
    }

    private static double volume(List<double[]> points, double[] reference, int dims) {
        if (points.isEmpty()) {
            return 0;
        }
        if (dims == 1) {
            double best = reference[0];
            for (double[] p : points) {
                best = Math.max(best, p[0]);
            }
            return best - reference[0];
        }
        int last = dims - 1;
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble((double[] p) -> -p[last]));
        double total = 0;
        List<double[]> above = new ArrayList<>();
        for (int k = 0; k < sorted.size(); k++) {
            above.add(sorted.get(k));
            double top = sorted.get(k)[last];
            double bottom = k + 1 < sorted.size() ? sorted.get(k + 1)[last] : reference[last];
            if (top > bottom) {
                total += volume(above, reference, last) * (top - bottom);
            }
        }
        return total;
    }
}
