package io.galapagos.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto fronts and hypervolume for two objectives, both <em>maximised</em> (negate or flip a minimised
 * objective first; {@link TableFront} does it for a table). Points are {@code double[2]}. Stateless.
 */
public final class Hypervolume {

    private Hypervolume() {
    }

    /**
     * The area dominated by {@code points} and bounded below by {@code reference}: the union of the boxes
     * {@code [reference[0], p[0]] x [reference[1], p[1]]}. Points not strictly better than the reference in
     * both objectives add nothing; dominated points and repeats add nothing. O(n log n).
     */
    public static double hypervolume(List<double[]> points, double[] reference) {
        checkPoint(reference, "reference");
        List<double[]> useful = new ArrayList<>(points.size());
        for (double[] p : points) {
            checkPoint(p, "point");
            if (p[0] > reference[0] && p[1] > reference[1]) {
                useful.add(p);
            }
        }
        useful.sort(Comparator.<double[]>comparingDouble(p -> p[0]).reversed()
                .thenComparing(Comparator.<double[]>comparingDouble(p -> p[1]).reversed()));
        double area = 0;
        double top = reference[1];
        for (double[] p : useful) {
            if (p[1] > top) {
                area += (p[0] - reference[0]) * (p[1] - top);
                top = p[1];
            }
        }
        return area;
    }

    /**
     * The non-dominated points (no other point is at least as good in both and better in one), repeats kept
     * once, sorted by the first objective, best first.
     */
    public static List<double[]> front(List<double[]> points) {
        List<double[]> sorted = new ArrayList<>(points);
        sorted.forEach(p -> checkPoint(p, "point"));
        sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).reversed()
                .thenComparing(Comparator.<double[]>comparingDouble(p -> p[1]).reversed()));
        List<double[]> front = new ArrayList<>();
        double top = Double.NEGATIVE_INFINITY;
        for (double[] p : sorted) {
            if (p[1] > top) {
                front.add(p.clone());
                top = p[1];
            }
        }
        return front;
    }

    private static void checkPoint(double[] p, String what) {
        if (p == null || p.length != 2 || Double.isNaN(p[0]) || Double.isNaN(p[1])) {
            throw new IllegalArgumentException("a " + what + " must be two numbers, got "
                    + (p == null ? "null" : java.util.Arrays.toString(p)));
        }
    }
}
