package io.galapagos.driver.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Which decisions of the search space matter: how much of the objective's variation each decision explains alone,
 * in the manner of fANOVA (Hutter, Hoos and Leyton-Brown 2014) and Optuna's {@code get_param_importances} with its
 * fANOVA evaluator. A {@link RandomForest} learns the objective from the trials' decisions, and its variance is
 * decomposed, tree by tree, into first-order (main) effects: how much a tree's prediction varies when only one
 * decision changes, averaged over everything else.
 *
 * <p>Unlike fANOVA, the average is taken over the observed configurations (a reference sample of the trials), not
 * over the uniform product of all decisions' values. A search concentrates its trials where it found good results,
 * and a space's decisions may constrain each other; the product space would weigh configurations that were never
 * tried and that the forest can only extrapolate. For the same reason a value weighs as often as it was tried. The
 * price is that with correlated decisions the main effects no longer add up to at most the whole variance, so each
 * tree's share is capped at 1.
 *
 * <p>Only main effects: interactions are what a forest gets least reliably from a few hundred trials, and "which
 * single decision matters" is the question a report answers. A decision whose effect lives in interactions (an XOR)
 * shows a small main effect, and one minus the main effects' sum is roughly the share of the variance that
 * interactions hold. The shares of tiny main effects are noise: when the sum is small, so is what the ranking says.
 *
 * <p>Single-threaded, and fast enough to run whenever a report is written: 10,000 trials of 40 decisions (2 to 8
 * values each) took 0.6 s (0.7 s with a cold JIT) on one core of a shared 2-core machine, on 2026-12-01.
 */
final class DecisionImportances {

    /** With fewer trials a forest explains noise; every importance is then 0. */
    static final int MIN_ROWS = 8;
    /**
     * The configurations the effects are averaged over: a sample of the trials, since the cost grows with it and
     * the mean of a few hundred predictions is already stable.
     */
    private static final int REFERENCE_ROWS = 256;

    private DecisionImportances() {
    }

    /**
     * @param decisions the decisions' names, in order
     * @param values    values.get(i)[j]: row i's value (text) of decision j
     * @param objective objective[i]: row i's value to explain; whether higher or lower is better does not matter
     * @return the decisions by importance, descending; decisions that took only one value get importance 0 and come
     *         last. With fewer than {@link #MIN_ROWS} rows, or an objective that never varies, every importance is 0.
     */
    static List<DecisionImportance> of(List<String> decisions, List<String[]> values, double[] objective, long seed) {
        if (values.size() != objective.length) {
            throw new IllegalArgumentException(values.size() + " rows of values but " + objective.length
                    + " objective values");
        }
        for (double v : objective) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("objective values must be finite, got " + v);
            }
        }
        int features = decisions.size();
        int[] levels = new int[features];
        int[][] x = encode(values, features, levels);
        double[] mainEffects = explainable(objective)
                ? mainEffects(x, levels, objective, seed)
                : new double[features];
        double total = Arrays.stream(mainEffects).sum();
        return IntStream.range(0, features).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> mainEffects[j]).reversed()
                        .thenComparing(j -> levels[j] < 2))
                .map(j -> new DecisionImportance(decisions.get(j), total > 0 ? mainEffects[j] / total : 0,
                        mainEffects[j]))
                .toList();
    }

    private static boolean explainable(double[] objective) {
        if (objective.length < MIN_ROWS) {
            return false;
        }
        for (double v : objective) {
            if (v != objective[0]) {
                return true;
            }
        }
        return false;
    }

    /** Each decision's values as indices in order of first appearance; fills in how many each took. */
    private static int[][] encode(List<String[]> values, int features, int[] levels) {
        List<Map<String, Integer>> indices = new ArrayList<>(features);
        for (int j = 0; j < features; j++) {
            indices.add(new HashMap<>());
        }
        int[][] x = new int[values.size()][features];
        for (int i = 0; i < x.length; i++) {
            String[] row = values.get(i);
            if (row.length != features) {
                throw new IllegalArgumentException("row " + i + " has " + row.length + " values for " + features
                        + " decisions");
            }
            for (int j = 0; j < features; j++) {
                Map<String, Integer> index = indices.get(j);
                x[i][j] = index.computeIfAbsent(row[j], v -> index.size());
            }
        }
        for (int j = 0; j < features; j++) {
            levels[j] = indices.get(j).size();
        }
        return x;
    }

    /**
     * Per decision, the mean over trees of V_j / V: V the variance of the tree's predictions over all rows, V_j the
     * variance over the decision's values v, weighted by how often v was tried, of the partial dependence PD_j(v) (the
     * tree's mean prediction over the reference rows with the decision set to v). Trees that predict a constant
     * explain nothing and are skipped.
     *
     * <p>V is taken over all rows, not over the reference rows, because V_j's weights are the frequencies in all rows:
     * a reference sample of 256 rows drawn from a decision whose values are each tried a quarter of the time holds one
     * of them 20% or 30% of the time by chance, and V from the sample then misstates the share of a dominant decision
     * by as much (a planted 0.91 came out above 1). Predicting every row once per tree costs little next to the
     * partial dependences, which stay on the sample: only their differences between values matter, and those are
     * exact whatever the sample for a decision without interactions.
     */
    private static double[] mainEffects(int[][] x, int[] levels, double[] objective, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        RandomForest forest = RandomForest.fit(x, levels, objective, RandomForest.TREES, rng.nextLong());
        int[][] reference = referenceRows(x, rng);
        double[][] frequencies = frequencies(x, levels);
        double[] effects = new double[levels.length];
        int explaining = 0;
        double[] predictions = new double[x.length];
        for (RegressionTree tree : forest.trees()) {
            for (int i = 0; i < x.length; i++) {
                predictions[i] = tree.predict(x[i]);
            }
            double variance = variance(predictions);
            if (variance == 0) {
                continue;
            }
            explaining++;
            for (int j = 0; j < levels.length; j++) {
                if (levels[j] > 1 && tree.splitsOn(j)) {
                    effects[j] += Math.min(1, weightedVariance(partialDependence(tree, reference, j, levels[j]),
                            frequencies[j]) / variance);
                }
            }
        }
        for (int j = 0; j < effects.length; j++) {
            effects[j] = explaining == 0 ? 0 : effects[j] / explaining;
        }
        return effects;
    }

    /** PD_j(v) for each value v of decision j. */
    private static double[] partialDependence(RegressionTree tree, int[][] reference, int j, int levels) {
        double[] dependence = new double[levels];
        for (int v = 0; v < levels; v++) {
            double sum = 0;
            for (int[] row : reference) {
                sum += tree.predictWith(row, j, v);
            }
            dependence[v] = sum / reference.length;
        }
        return dependence;
    }

    /** All rows if there are few, else a sample without replacement. */
    private static int[][] referenceRows(int[][] x, SplittableRandom rng) {
        int size = Math.min(REFERENCE_ROWS, x.length);
        int[] order = new int[x.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int[][] reference = new int[size][];
        for (int k = 0; k < size; k++) {
            int pick = k + rng.nextInt(order.length - k);
            int row = order[pick];
            order[pick] = order[k];
            order[k] = row;
            reference[k] = x[row];
        }
        return reference;
    }

    /** frequencies[j][v]: the fraction of the rows where decision j took value v. */
    private static double[][] frequencies(int[][] x, int[] levels) {
        double[][] frequencies = new double[levels.length][];
        for (int j = 0; j < levels.length; j++) {
            frequencies[j] = new double[levels[j]];
        }
        for (int[] row : x) {
            for (int j = 0; j < levels.length; j++) {
                frequencies[j][row[j]]++;
            }
        }
        for (double[] counts : frequencies) {
            for (int v = 0; v < counts.length; v++) {
                counts[v] /= x.length;
            }
        }
        return frequencies;
    }

    private static double variance(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return squares / values.length;
    }

    private static double weightedVariance(double[] values, double[] weights) {
        double mean = 0;
        for (int i = 0; i < values.length; i++) {
            mean += weights[i] * values[i];
        }
        double squares = 0;
        for (int i = 0; i < values.length; i++) {
            squares += weights[i] * (values[i] - mean) * (values[i] - mean);
        }
        return squares;
    }
}
