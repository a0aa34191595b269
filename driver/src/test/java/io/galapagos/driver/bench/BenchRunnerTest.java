package io.galapagos.driver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.benchmark.BenchmarkTable;
import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.worker.tabular.TabularBenchmark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code galapagos bench} on a synthetic table of the 64 cells that use only {@code none} and {@code nor_conv_3x3}. */
class BenchRunnerTest {

    static final CellSearchSpace SPACE = new CellSearchSpace(List.of(CellOperation.NONE, CellOperation.NOR_CONV_3X3));
    static String csv;
    static BenchmarkTable table;

    /** signal: convs + noise; report: signal + other noise; lat: convs + noise. Seeded, so fixed. */
    @BeforeAll
    static void writeTable() throws IOException {
        StringBuilder s = new StringBuilder("arch,signal,report,lat\n");
        Random rng = new Random(42);
        for (int code = 0; code < 64; code++) {
            List<CellOperation> edges = new ArrayList<>();
            int convs = 0;
            for (int e = 0; e < 6; e++) {
                boolean conv = ((code >> e) & 1) == 1;
                convs += conv ? 1 : 0;
                edges.add(conv ? CellOperation.NOR_CONV_3X3 : CellOperation.NONE);
            }
            double signal = 50 + 5 * convs + rng.nextDouble() * 8;
            double report = signal + rng.nextDouble() * 6;
            double lat = 1 + convs + rng.nextDouble() * 2;
            s.append(new CellArchitecture(edges).text()).append(',').append(signal).append(',').append(report)
                    .append(',').append(lat).append('\n');
        }
        csv = s.toString();
        table = BenchmarkTable.read(new StringReader(csv), "synthetic.csv");
    }

    private static BenchRunner runner(List<Integer> budgets, int seeds, List<String> minimize, String... strategies) {
        List<StrategySpec> specs = List.of(strategies).stream().map(StrategySpec::parse).toList();
        BenchSettings settings = new BenchSettings(new TabularTrainerConfig("synthetic.csv", "signal", "report", minimize),
                SPACE, budgets, seeds, specs, false);
        return new BenchRunner(settings, new TabularBenchmark(table));
    }

    @Test
    void eachSeedIsDeterministic() throws InterruptedException {
        BenchRunner runner = runner(List.of(5, 10, 20), 3, List.of(), "random", "evolution:population=5,sample_size=2");
        for (String spec : List.of("random", "evolution:population=5,sample_size=2")) {
            BenchRunner.SeedRun a = runner.runSeed(StrategySpec.parse(spec), 7);
            BenchRunner.SeedRun b = runner.runSeed(StrategySpec.parse(spec), 7);
            assertEquals(a.proposed(), b.proposed(), spec);
            assertArrayEquals(a.bestReported(), b.bestReported(), spec);
            assertEquals(20, a.proposed().size());
        }
        BenchReport first = runner.run(null);
        BenchReport second = runner.run(null);
        for (int s = 0; s < 2; s++) {
            for (int b = 0; b < 3; b++) {
                assertEquals(first.strategies().get(s).budgets().get(b).mean(), second.strategies().get(s).budgets().get(b).mean());
                assertEquals(first.strategies().get(s).budgets().get(b).sd(), second.strategies().get(s).budgets().get(b).sd());
            }
        }
    }

    @Test
    void recordsTheBestBySignalAtEachBudget() throws InterruptedException {
        BenchRunner runner = runner(List.of(3, 8, 30), 1, List.of(), "evolution:population=4,sample_size=2");
        for (long seed = 0; seed < 5; seed++) {
            BenchRunner.SeedRun run = runner.runSeed(StrategySpec.parse("evolution:population=4,sample_size=2"), seed);
            int[] budgets = {3, 8, 30};
            for (int b = 0; b < budgets.length; b++) {
                String best = null;
                double bestSignal = Double.NEGATIVE_INFINITY;
                for (String arch : run.proposed().subList(0, budgets[b])) {
                    double signal = table.value(table.row(arch).getAsInt(), "signal");
                    if (signal > bestSignal) {
                        bestSignal = signal;
                        best = arch;
                    }
                }
                assertEquals(best, run.best()[b], "seed " + seed + ", budget " + budgets[b]);
                assertEquals(table.value(table.row(best).getAsInt(), "report"), run.bestReported()[b]);
            }
        }
    }

    @Test
    void regretIsToTheTablesOptimumOfTheReportedColumn() throws InterruptedException {
        double optimum = java.util.Arrays.stream(table.column("report")).max().orElseThrow();
        BenchRunner runner = runner(List.of(4, 64), 4, List.of(), "random");
        assertEquals(optimum, runner.optimum());
        BenchReport report = runner.run(null);
        List<Double> values = new ArrayList<>();
        for (long seed = 0; seed < 4; seed++) {
            values.add(runner.runSeed(StrategySpec.parse("random"), seed).bestReported()[0]);
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double sd = Math.sqrt(values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / 3);
        BenchReport.BudgetResult at4 = report.strategies().get(0).budgets().get(0);
        assertEquals(mean, at4.mean(), 1e-9);
        assertEquals(sd, at4.sd(), 1e-9);
        assertEquals(optimum - mean, at4.meanRegret(), 1e-9);
        // 64 distinct queries cover this space: the best by signal is the table's best by signal
        BenchReport.BudgetResult at64 = report.strategies().get(0).budgets().get(1);
        int bestBySignal = argmax(table.column("signal"));
        assertEquals(table.value(bestBySignal, "report"), at64.mean(), 1e-9);
        assertEquals(0, at64.sd(), 1e-12);
        assertEquals(4 * 64, report.strategies().get(0).queries());
    }

    @Test
    void hypervolumeReachesTheTrueFrontWhenEverythingIsQueried() throws InterruptedException {
        BenchReport report = runner(List.of(10, 64), 2, List.of("lat"), "random").run(null);
        BenchReport.BudgetResult at10 = report.strategies().get(0).budgets().get(0);
        BenchReport.BudgetResult at64 = report.strategies().get(0).budgets().get(1);
        assertTrue(at10.hypervolumeMean() > 0 && at10.hypervolumeMean() <= 1, String.valueOf(at10.hypervolumeMean()));
        assertEquals(1.0, at64.hypervolumeMean(), 1e-12);
        assertTrue(report.text().contains("hypervolume ratio"), report.text());
    }

    @Test
    void writesJsonAndText(@TempDir Path dir) throws IOException, InterruptedException {
        BenchReport report = runner(List.of(5, 10), 2, List.of(), "random", "evolution").run(null);
        Path file = dir.resolve("bench.json");
        Files.writeString(file, report.json());
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals("signal", json.get("signal").asText());
        assertEquals(2, json.get("strategies").size());
        assertEquals("evolution", json.get("strategies").get(1).get("strategy").asText());
        assertEquals(10, json.get("strategies").get(0).get("budgets").get(1).get("budget").asInt());
        assertEquals(report.strategies().get(0).budgets().get(1).mean(),
                json.get("strategies").get(0).get("budgets").get(1).get("mean").asDouble());
        assertTrue(json.get("strategies").get(0).get("queries_per_second").asDouble() > 0);
        String text = report.text();
        assertTrue(text.contains("queries/s"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("evolution") && l.contains(" 10 ")), text);
    }

    @Test
    void settingsAreChecked() {
        TabularTrainerConfig noReport = new TabularTrainerConfig("t.csv", "signal", null, List.of());
        assertThrows(IllegalArgumentException.class,
                () -> new BenchSettings(noReport, SPACE, List.of(5), 1, List.of(StrategySpec.parse("random")), false));
        TabularTrainerConfig ok = new TabularTrainerConfig("t.csv", "signal", "report", List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BenchSettings(ok, SPACE, List.of(10, 5), 1, List.of(StrategySpec.parse("random")), false));
        assertTrue(e.getMessage().contains("ascending"), e.getMessage());
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
