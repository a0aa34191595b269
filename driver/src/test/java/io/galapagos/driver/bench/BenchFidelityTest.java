package io.galapagos.driver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.benchmark.BenchmarkTable;
import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.worker.tabular.TabularBenchmark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Multi-fidelity bench runs: cost accounting and best-by-signal over full-fidelity results only. */
class BenchFidelityTest {

    static BenchmarkTable table;
    /** Per architecture text: {cheap_10ep, full_100ep, report}. */
    static final Map<String, double[]> rows = new HashMap<>();

    /** The 64 cells of {@link BenchRunnerTest#SPACE}; the cheap column is the full one plus noise. */
    @BeforeAll
    static void writeTable() throws java.io.IOException {
        StringBuilder s = new StringBuilder("arch,cheap_10ep,full_100ep,report\n");
        Random rng = new Random(7);
        for (int code = 0; code < 64; code++) {
            List<CellOperation> edges = new ArrayList<>();
            int convs = 0;
            for (int e = 0; e < 6; e++) {
                boolean conv = ((code >> e) & 1) == 1;
                convs += conv ? 1 : 0;
                edges.add(conv ? CellOperation.NOR_CONV_3X3 : CellOperation.NONE);
            }
            double full = 50 + 5 * convs + rng.nextDouble() * 8;
            double cheap = full - 20 + rng.nextDouble() * 10;
            double report = full + rng.nextDouble() * 3;
            String text = new CellArchitecture(edges).text();
            rows.put(text, new double[] {cheap, full, report});
            s.append(text).append(',').append(cheap).append(',').append(full).append(',').append(report).append('\n');
        }
        table = BenchmarkTable.read(new StringReader(s.toString()), "fidelity.csv");
    }

    private static TabularTrainerConfig config(List<String> fidelities) {
        return new TabularTrainerConfig("fidelity.csv", "full_100ep", "report", List.of(), fidelities);
    }

    private static BenchSettings settings(List<String> fidelities, List<Double> costs, List<Integer> budgets,
                                          String... strategies) {
        return new BenchSettings(config(fidelities), BenchRunnerTest.SPACE, budgets, 2,
                List.of(strategies).stream().map(StrategySpec::parse).toList(), false, costs);
    }

    @Test
    void costsDefaultToEpochsElseEqualAndCanBeGiven() {
        BenchSettings byEpochs = settings(List.of("cheap_10ep", "full_100ep"), List.of(), List.of(5), "random");
        assertEquals(List.of(10.0, 100.0), byEpochs.costs());
        assertEquals(0.1, byEpochs.cost(0), 1e-12);
        assertEquals(1.0, byEpochs.cost(1));
        assertEquals(1.0, byEpochs.cost(-1));
        TabularTrainerConfig plainNames = new TabularTrainerConfig("t.csv", "full", "report", List.of(),
                List.of("cheap", "full"));
        assertEquals(List.of(1.0, 1.0), BenchSettings.defaultCosts(plainNames));
        BenchSettings given = settings(List.of("cheap_10ep", "full_100ep"), List.of(1.0, 4.0), List.of(5), "random");
        assertEquals(0.25, given.cost(0));
        assertEquals(List.of(1.0), settings(List.of(), List.of(), List.of(5), "random").costs());
    }

    @Test
    void badCostsAndHyperbandWithoutMatchingFidelitiesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings(List.of("cheap_10ep", "full_100ep"), List.of(1.0), List.of(5), "random"));
        assertTrue(e.getMessage().startsWith("give one fidelity cost per fidelity column"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> settings(List.of("cheap_10ep", "full_100ep"), List.of(1.0, 0.0), List.of(5), "random"));
        e = assertThrows(IllegalArgumentException.class, () -> settings(List.of(), List.of(1.0, 2.0), List.of(5), "random"));
        assertEquals("--fidelity-costs prices the columns --fidelities lists, and no --fidelities are given",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> settings(List.of(), List.of(), List.of(5), "hyperband"));
        assertTrue(e.getMessage().contains("no --fidelities are given"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> settings(List.of("cheap_10ep", "full_100ep"), List.of(),
                List.of(5), "hyperband:fidelities=3"));
        assertTrue(e.getMessage().contains("--fidelities lists 2"), e.getMessage());
    }

    @Test
    void budgetsCountCostAndOnlyFullFidelityResultsAreTheBest() throws InterruptedException {
        List<Integer> budgets = List.of(2, 5, 8);
        BenchSettings settings = settings(List.of("cheap_10ep", "full_100ep"), List.of(), budgets,
                "hyperband:inner=random,eta=2");
        BenchRunner runner = new BenchRunner(settings, new TabularBenchmark(table));
        BenchRunner.SeedRun run = runner.runSeed(settings.strategies().get(0), 3);
        assertEquals(run.proposed().size(), run.levels().size());
        assertTrue(run.levels().contains(0) && run.levels().contains(1), run.levels().toString());
        assertTrue(run.proposed().size() > 8, "cheap queries let more than 8 through: " + run.proposed().size());
        // replay: the reading at budget B sees exactly the prefix of cost <= B
        double spent = 0;
        int b = 0;
        double bestFull = Double.NEGATIVE_INFINITY;
        double bestReport = Double.NaN;
        for (int i = 0; i < run.proposed().size() && b < budgets.size(); i++) {
            double cost = run.levels().get(i) == 0 ? 0.1 : 1.0;
            while (b < budgets.size() && spent + cost > budgets.get(b) + 1e-9) {
                assertEquals(spent, run.spent()[b], 1e-9);
                assertEquals(bestReport, run.bestReported()[b], 1e-12, "budget " + budgets.get(b));
                b++;
            }
            spent += cost;
            double[] row = rows.get(run.proposed().get(i));
            if (run.levels().get(i) == 1 && row[1] > bestFull) {
                bestFull = row[1];
                bestReport = row[2];
            }
            while (b < budgets.size() && spent >= budgets.get(b) - 1e-9) {
                assertEquals(spent, run.spent()[b], 1e-9);
                assertEquals(bestReport, run.bestReported()[b], 1e-12, "budget " + budgets.get(b));
                b++;
            }
        }
        assertEquals(budgets.size(), b, "every budget read");
        for (int i = 0; i < budgets.size(); i++) {
            assertTrue(run.spent()[i] <= budgets.get(i) + 1e-9 && run.spent()[i] > budgets.get(i) - 1 - 1e-9,
                    "spent " + run.spent()[i] + " at budget " + budgets.get(i));
        }
        // the study stops once the largest budget is spent: at most one query past it
        double total = run.levels().stream().mapToDouble(l -> l == 0 ? 0.1 : 1.0).sum();
        assertTrue(total <= 8 + 1 + 1e-9, "total cost " + total);
    }

    /**
     * Hyperband's first results are cheap: with a cheap query at half a full one's cost and eta 3, the first promotion
     * comes after three cheap results, past a budget of 2, so only seeds that started an architecture at full fidelity
     * early have a full-fidelity result by then, and by a budget of 1 none of these seeds has. A budget's figures are
     * over the seeds that have one, and say how many; one no seed has a result at says so, and its JSON holds nulls
     * (it held the string "NaN" where a number belongs).
     */
    @Test
    void aBudgetIsSummarisedOverTheSeedsWithAFullFidelityResult() throws Exception {
        int seeds = 6;
        BenchSettings settings = new BenchSettings(config(List.of("cheap_10ep", "full_100ep")), BenchRunnerTest.SPACE,
                List.of(1, 2, 8), seeds, List.of(StrategySpec.parse("hyperband:inner=random,eta=3")), false,
                List.of(1.0, 2.0));
        BenchRunner runner = new BenchRunner(settings, new TabularBenchmark(table));
        BenchReport report = runner.run(null);
        List<Double> found = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
            double[] reported = runner.runSeed(settings.strategies().get(0), seed).bestReported();
            assertTrue(Double.isNaN(reported[0]), "a full-fidelity result would have had to come first, at cost 1");
            double value = reported[1];
            if (!Double.isNaN(value)) {
                found.add(value);
            }
        }
        assertTrue(found.size() > 0 && found.size() < seeds, "some seeds but not all have a result: " + found);
        BenchReport.BudgetResult atTwo = report.strategies().get(0).budgets().get(1);
        assertEquals(found.size(), atTwo.found());
        assertEquals(found.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), atTwo.mean(), 1e-12);
        assertTrue(report.text().contains("(" + found.size() + " of 6 seeds)"), report.text());

        assertEquals(0, report.strategies().get(0).budgets().get(0).found());
        assertTrue(report.text().lines().anyMatch(l -> l.startsWith("hyperband") && l.contains(" 1 ")
                && l.contains("no full-fidelity result") && !l.contains("NaN")), report.text());
        JsonNode budget = new ObjectMapper().readTree(report.json()).path("strategies").get(0).path("budgets").get(0);
        assertTrue(budget.path("mean").isNull() && budget.path("mean_regret").isNull(), budget.toString());
        assertEquals(0, budget.path("seeds_with_result").asInt());
        JsonNode json = new ObjectMapper().readTree(report.json());
        assertEquals("[\"cheap_10ep\",\"full_100ep\"]", json.path("fidelities").toString(),
                "the budgets are costs: the JSON says of which columns");
        assertEquals("[0.5,1.0]", json.path("fidelity_costs").toString(), "in full-fidelity queries");
    }

    @Test
    void plainStrategiesSpendOneFullQueryEachAsBefore() throws InterruptedException {
        BenchSettings with = settings(List.of("cheap_10ep", "full_100ep"), List.of(), List.of(4, 9), "random");
        BenchSettings without = settings(List.of(), List.of(), List.of(4, 9), "random");
        BenchRunner.SeedRun a = new BenchRunner(with, new TabularBenchmark(table)).runSeed(with.strategies().get(0), 5);
        BenchRunner.SeedRun b = new BenchRunner(without, new TabularBenchmark(table)).runSeed(without.strategies().get(0), 5);
        assertEquals(9, a.proposed().size());
        assertEquals(a.proposed(), b.proposed());
        assertArrayEquals(a.bestReported(), b.bestReported());
        assertArrayEquals(new double[] {4, 9}, a.spent(), 1e-12);
        assertTrue(a.levels().stream().allMatch(l -> l == -1));
    }
}
