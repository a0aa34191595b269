package io.galapagos.driver.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionImportancesTest {

    private static final List<String> ABC = List.of("a", "b", "c");

    /** Rows of 3 decisions with 4 values each ("0" to "3"), uniform at random. */
    private static List<String[]> uniformRows(int rows, Random random) {
        List<String[]> values = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            values.add(new String[] {"" + random.nextInt(4), "" + random.nextInt(4), "" + random.nextInt(4)});
        }
        return values;
    }

    /** objective = 1.0 [a == 2] + 0.3 [b == 0] + noise of sd 0.05; c is irrelevant. */
    private static double[] planted(List<String[]> values, Random random) {
        double[] objective = new double[values.size()];
        for (int i = 0; i < objective.length; i++) {
            String[] row = values.get(i);
            objective[i] = (row[0].equals("2") ? 1.0 : 0) + (row[1].equals("0") ? 0.3 : 0)
                    + 0.05 * random.nextGaussian();
        }
        return objective;
    }

    private static DecisionImportance named(List<DecisionImportance> importances, String decision) {
        return importances.stream().filter(i -> i.decision().equals(decision)).findFirst().orElseThrow();
    }

    /**
     * The true variance: Var(1.0 Bern(1/4)) = 0.1875 from a, Var(0.3 Bern(1/4)) = 0.016875 from b, 0.0025 noise,
     * 0.206875 in all, so a explains about 0.1875 / 0.206875 = 0.906 of it alone (0.917 of what a and b explain,
     * if the forest fits no noise), b 0.082.
     */
    @Test
    void ranksAPlantedFunctionsDecisionsByTheirEffect() {
        Random random = new Random(7);
        List<String[]> values = uniformRows(2_000, random);
        List<DecisionImportance> importances = DecisionImportances.of(ABC, values, planted(values, random), 1);

        assertEquals(ABC, importances.stream().map(DecisionImportance::decision).toList());
        DecisionImportance a = named(importances, "a");
        assertTrue(a.importance() > 0.6, "a: " + a);
        assertTrue(named(importances, "c").importance() < 0.05, "c: " + named(importances, "c"));
        assertEquals(0.906, a.mainEffect(), 0.05, "a: " + a);
        assertEquals(1, importances.stream().mapToDouble(DecisionImportance::importance).sum(), 1e-9);
    }

    @Test
    void aPureInteractionHasNoMainEffects() {
        Random random = new Random(5);
        List<String[]> values = new ArrayList<>();
        double[] objective = new double[400];
        for (int i = 0; i < objective.length; i++) {
            String[] row = {"" + random.nextInt(2), "" + random.nextInt(2)};
            values.add(row);
            objective[i] = row[0].equals(row[1]) ? 1 : 0;
        }
        List<DecisionImportance> importances = DecisionImportances.of(List.of("a", "b"), values, objective, 1);

        for (DecisionImportance importance : importances) {
            assertTrue(importance.mainEffect() < 0.1, importance.toString());
        }
    }

    @Test
    void theSameSeedGivesTheSameImportances() {
        Random random = new Random(9);
        List<String[]> values = uniformRows(300, random);
        double[] objective = planted(values, random);

        assertEquals(DecisionImportances.of(ABC, values, objective, 4),
                DecisionImportances.of(ABC, values, objective, 4));
    }

    @Test
    void aDecisionThatTookOneValueMattersNotAndComesLast() {
        Random random = new Random(2);
        List<String[]> values = new ArrayList<>();
        for (String[] row : uniformRows(300, random)) {
            values.add(new String[] {"same", row[0], row[1], row[2]});
        }
        double[] objective = planted(values.stream().map(row -> new String[] {row[1], row[2], row[3]}).toList(),
                random);
        List<DecisionImportance> importances = DecisionImportances.of(List.of("fixed", "a", "b", "c"), values,
                objective, 1);

        assertEquals(new DecisionImportance("fixed", 0, 0), importances.get(3));
        assertEquals(List.of("a", "b", "c"), importances.subList(0, 3).stream().map(DecisionImportance::decision)
                .toList());
    }

    @Test
    void tooFewRowsOrAConstantObjectiveExplainNothing() {
        Random random = new Random(1);
        List<String[]> seven = uniformRows(7, random);
        List<String[]> many = uniformRows(100, random);

        assertEquals(List.of(new DecisionImportance("a", 0, 0), new DecisionImportance("b", 0, 0),
                new DecisionImportance("c", 0, 0)), DecisionImportances.of(ABC, seven, planted(seven, random), 1));
        assertEquals(List.of(new DecisionImportance("a", 0, 0), new DecisionImportance("b", 0, 0),
                new DecisionImportance("c", 0, 0)), DecisionImportances.of(ABC, many, new double[100], 1));
    }
}
