package io.galapagos.driver.report;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RandomForestTest {

    @Test
    void predictsEachLevelsMeanOfANoiselessStepFunctionWhateverTheIrrelevantFeature() {
        double[] step = {0.1, 0.5, 0.2, 0.9};
        Random random = new Random(3);
        int rows = 300;
        int[][] x = new int[rows][];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = new int[] {random.nextInt(4), random.nextInt(3)};
            y[i] = step[x[i][0]];
        }
        RandomForest forest = RandomForest.fit(x, new int[] {4, 3}, y, RandomForest.TREES, 11);
        for (int level = 0; level < 4; level++) {
            for (int irrelevant = 0; irrelevant < 3; irrelevant++) {
                assertEquals(step[level], forest.predict(new int[] {level, irrelevant}), 0.05,
                        "level " + level + ", irrelevant " + irrelevant);
            }
        }
    }
}
