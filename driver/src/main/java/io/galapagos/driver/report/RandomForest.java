package io.galapagos.driver.report;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random forest regressor on categorical features (Breiman 2001): {@link RegressionTree}s, each grown on a bootstrap
 * sample of the rows. A forest rather than one tree because the importance computation reads the variance of the
 * predictions, and one deep tree's variance is mostly its noise; averaged over trees that saw different rows and
 * features the noise cancels and what the decisions explain stays. Seeded: the same seed grows the same forest.
 */
final class RandomForest {

    /** Enough trees for a stable ranking of a few dozen decisions; more mostly cost time. */
    static final int TREES = 32;

    private final List<RegressionTree> trees;

    private RandomForest(List<RegressionTree> trees) {
        this.trees = List.copyOf(trees);
    }

    /**
     * @param x      x[i][j]: the index of row i's value of categorical feature j, in [0, levels[j])
     * @param levels per feature, how many values it has
     * @param y      y[i]: row i's target
     */
    static RandomForest fit(int[][] x, int[] levels, double[] y, int trees, long seed) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need as many targets as rows, and at least one; got " + x.length
                    + " rows and " + y.length + " targets");
        }
        if (trees < 1) {
            throw new IllegalArgumentException("a forest needs at least one tree, got " + trees);
        }
        int[][] columns = columns(x, levels);
        SplittableRandom rng = new SplittableRandom(seed);
        List<RegressionTree> grown = new ArrayList<>(trees);
        for (int t = 0; t < trees; t++) {
            SplittableRandom treeRng = rng.split();
            int[] rows = new int[x.length];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = treeRng.nextInt(x.length);
            }
            grown.add(RegressionTree.grow(columns, levels, y, rows, treeRng));
        }
        return new RandomForest(grown);
    }

    /** The mean of the trees' predictions. */
    double predict(int[] row) {
        double sum = 0;
        for (RegressionTree tree : trees) {
            sum += tree.predict(row);
        }
        return sum / trees.size();
    }

    List<RegressionTree> trees() {
        return trees;
    }

    /** The rows as columns, checked: a tree scans one feature over many rows at a time. */
    private static int[][] columns(int[][] x, int[] levels) {
        int[][] columns = new int[levels.length][x.length];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != levels.length) {
                throw new IllegalArgumentException("row " + i + " has " + x[i].length + " features, expected "
                        + levels.length);
            }
            for (int j = 0; j < levels.length; j++) {
                if (x[i][j] < 0 || x[i][j] >= levels[j]) {
                    throw new IllegalArgumentException("row " + i + ", feature " + j + ": value " + x[i][j]
                            + " is not in [0, " + levels[j] + ")");
                }
                columns[j][i] = x[i][j];
            }
        }
        return columns;
    }
}
