package io.galapagos.driver.report;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One regression tree of a {@link RandomForest} on categorical features. A split is "feature == value" against the
 * rest rather than an ordering of the values: a search space's choices (an activation, an operation) have no order,
 * and one-against-the-rest needs no search over subsets of values. Each split is the one that reduces the squared
 * error most over every feature, as scikit-learn's regression forests (and so Optuna's fANOVA evaluator) split by
 * default: drawing a few features per node, as classification forests do, made trees on a few dozen results split
 * on irrelevant decisions first and smeared a single decisive one's effect into interactions (its main effect fell
 * from near 1 to about 0.5 on 60 cells decided by one edge).
 *
 * <p>The tree is kept as flat arrays, a node's split or its leaf's mean, because the importance computation predicts
 * millions of altered rows and a prediction should then be a loop over ints.
 */
final class RegressionTree {

    /** Deep enough for the interactions of a few decisions; it also bounds the recursion while growing. */
    private static final int MAX_DEPTH = 12;
    /** A node of fewer rows is a leaf: splitting three trials says nothing about a decision. */
    private static final int MIN_ROWS = 4;
    /** A split improves only if it removes more than this fraction of the node's sum of squares: less is rounding. */
    private static final double MIN_GAIN = 1e-12;
    private static final int LEAF = -1;

    /** Per node: the feature it splits on, or {@link #LEAF}. */
    private final int[] feature;
    /** Per split node: the value whose rows go to {@link #equal}; the others go to {@link #other}. */
    private final int[] value;
    private final int[] equal;
    private final int[] other;
    /** Per leaf: the mean target of its training rows. */
    private final double[] mean;
    private final boolean[] splitsOn;

    private RegressionTree(int[] feature, int[] value, int[] equal, int[] other, double[] mean, int features) {
        this.feature = feature;
        this.value = value;
        this.equal = equal;
        this.other = other;
        this.mean = mean;
        this.splitsOn = new boolean[features];
        for (int f : feature) {
            if (f != LEAF) {
                splitsOn[f] = true;
            }
        }
    }

    /**
     * Grows a tree on the given rows (indices into the columns; a bootstrap sample may repeat them, and they are
     * reordered), considering at each node every feature that can split it, in an order drawn from {@code rng}
     * (which breaks ties between equally good splits).
     *
     * @param columns columns[j][i]: the index of row i's value of feature j, in [0, levels[j])
     */
    static RegressionTree grow(int[][] columns, int[] levels, double[] y, int[] rows, SplittableRandom rng) {
        Grower grower = new Grower(columns, levels, y, rng);
        grower.grow(rows, 0, rows.length, 0);
        return grower.tree();
    }

    double predict(int[] row) {
        int node = 0;
        while (feature[node] != LEAF) {
            node = row[feature[node]] == value[node] ? equal[node] : other[node];
        }
        return mean[node];
    }

    /** The prediction for the row with the given feature set to the given value, without copying the row. */
    double predictWith(int[] row, int changed, int changedValue) {
        int node = 0;
        while (feature[node] != LEAF) {
            int f = feature[node];
            int v = f == changed ? changedValue : row[f];
            node = v == value[node] ? equal[node] : other[node];
        }
        return mean[node];
    }

    /** Whether any node splits on the feature: if none does, the feature cannot change a prediction. */
    boolean splitsOn(int f) {
        return splitsOn[f];
    }

    /** The growing state of one tree: nodes in preorder, in arrays that double when full. */
    private static final class Grower {
        private final int[][] columns;
        private final int[] levels;
        private final double[] y;
        private final SplittableRandom rng;
        /** The features in the order of the last draw; each node reshuffles a prefix of it. */
        private final int[] order;
        private final int[] count;
        private final double[] deviation;
        private int[] feature = new int[64];
        private int[] value = new int[64];
        private int[] equal = new int[64];
        private int[] other = new int[64];
        private double[] mean = new double[64];
        private int nodes;
        /** The split {@link #findSplit} found last. */
        private int splitFeature;
        private int splitValue;

        Grower(int[][] columns, int[] levels, double[] y, SplittableRandom rng) {
            this.columns = columns;
            this.levels = levels;
            this.y = y;
            this.rng = rng;
            this.order = new int[levels.length];
            for (int f = 0; f < order.length; f++) {
                order[f] = f;
            }
            int maxLevels = Arrays.stream(levels).max().orElse(1);
            this.count = new int[maxLevels];
            this.deviation = new double[maxLevels];
        }

        /** Grows the subtree of rows[from, to) and returns its root node. */
        int grow(int[] rows, int from, int to, int depth) {
            int node = newNode();
            int n = to - from;
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                double target = y[rows[i]];
                sum += target;
                min = Math.min(min, target);
                max = Math.max(max, target);
            }
            double nodeMean = sum / n;
            mean[node] = nodeMean;
            // Equal targets are tested exactly: their mean need not be exact, and the rounding would look like a gain.
            if (depth == MAX_DEPTH || n < MIN_ROWS || min == max) {
                return node;
            }
            if (!findSplit(rows, from, to, nodeMean)) {
                return node;
            }
            feature[node] = splitFeature;
            value[node] = splitValue;
            int middle = partition(rows, from, to, columns[splitFeature], splitValue);
            int equalChild = grow(rows, from, middle, depth + 1);
            int otherChild = grow(rows, middle, to, depth + 1);
            equal[node] = equalChild;
            other[node] = otherChild;
            return node;
        }

        /**
         * Finds the best split of the node into {@link #splitFeature} and {@link #splitValue}; false if no split
         * improves. Features are examined in an order drawn afresh at each node, so that a tie between equally good
         * splits goes to a random feature, not always to the first decision.
         */
        private boolean findSplit(int[] rows, int from, int to, double nodeMean) {
            int n = to - from;
            double squares = 0;
            for (int i = from; i < to; i++) {
                double d = y[rows[i]] - nodeMean;
                squares += d * d;
            }
            double bestGain = MIN_GAIN * squares;
            boolean found = false;
            for (int k = 0; k < order.length; k++) {
                int pick = k + rng.nextInt(order.length - k);
                int f = order[pick];
                order[pick] = order[k];
                order[k] = f;
                int[] column = columns[f];
                int values = levels[f];
                Arrays.fill(count, 0, values, 0);
                Arrays.fill(deviation, 0, values, 0);
                for (int i = from; i < to; i++) {
                    int r = rows[i];
                    count[column[r]]++;
                    deviation[column[r]] += y[r] - nodeMean;
                }
                for (int v = 0; v < values; v++) {
                    int c = count[v];
                    if (c == 0 || c == n) {
                        continue;
                    }
                    // The squared error removed by separating v's rows: their deviations from the node's mean
                    // sum to -deviation[v] on the other side, so the removal is d²/c + d²/(n-c).
                    double gain = deviation[v] * deviation[v] * n / ((double) c * (n - c));
                    if (gain > bestGain) {
                        bestGain = gain;
                        splitFeature = f;
                        splitValue = v;
                        found = true;
                    }
                }
            }
            return found;
        }

        /** Moves the rows whose column holds the value to the front of [from, to); returns where the others start. */
        private static int partition(int[] rows, int from, int to, int[] column, int v) {
            int middle = from;
            for (int i = from; i < to; i++) {
                if (column[rows[i]] == v) {
                    int r = rows[i];
                    rows[i] = rows[middle];
                    rows[middle++] = r;
                }
            }
            return middle;
        }

        private int newNode() {
            if (nodes == feature.length) {
                int capacity = 2 * nodes;
                feature = Arrays.copyOf(feature, capacity);
                value = Arrays.copyOf(value, capacity);
                equal = Arrays.copyOf(equal, capacity);
                other = Arrays.copyOf(other, capacity);
                mean = Arrays.copyOf(mean, capacity);
            }
            feature[nodes] = LEAF;
            return nodes++;
        }

        RegressionTree tree() {
            return new RegressionTree(Arrays.copyOf(feature, nodes), Arrays.copyOf(value, nodes),
                    Arrays.copyOf(equal, nodes), Arrays.copyOf(other, nodes), Arrays.copyOf(mean, nodes),
                    levels.length);
        }
    }
}
