package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.config.ConfigLoader;
import io.galapagos.driver.cli.GalapagosCli;
import io.galapagos.driver.study.StudyOutcome;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A benchmark config through {@code validate} and {@link SearchJob}, in process, on the shipped NB201 table. */
class BenchmarkModeTest {

    static final Path NB201 = Path.of("..", "benchmarks", "nb201", "cifar10.csv").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Path config(String benchmark, String extra) throws IOException {
        return Files.writeString(dir.resolve("b.yaml"), """
                name: bm
                trials: 60
                executor: in_process
                parallelism: 1
                space: {kind: nb201}
                benchmark:
                """ + benchmark + extra);
    }

    private static String benchmark(String table, String signal) {
        return "  table: " + table + "\n  signal: " + signal + "\n  report: test_acc_200ep\n"
                + "  minimize: [latency_ms_pixel3]\n";
    }

    private int cli(String... args) {
        return GalapagosCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void validateChecksTheTableAndItsColumns() throws IOException {
        Path file = config(benchmark(NB201.toString(), "val_acc_12ep"), "");
        assertEquals(0, cli("validate", file.toString()), err::toString);
        assertTrue(out.toString().contains("valid: 60 trials"), out.toString());

        file = config(benchmark(NB201.toString(), "val_acc_12"), "");
        assertEquals(2, cli("validate", file.toString()));
        assertEquals("galapagos: error: " + file + ": benchmark.signal: 'val_acc_12' is not a column of " + NB201
                + " (its columns: index, val_acc_12ep, val_acc_200ep, test_acc_200ep, params_m, latency_ms_pixel3, "
                + "latency_ms_raspi4)", err.toString().strip());

        err.getBuffer().setLength(0);
        file = config(benchmark("absent.csv", "val_acc_12ep"), "");
        assertEquals(2, cli("validate", file.toString()));
        assertEquals("galapagos: error: " + file + ": benchmark.table: '" + dir.resolve("absent.csv")
                + "' does not exist", err.toString().strip());

        // a gap in a column the search reads is refused; one in a column it does not read is not
        List<String> rows = Files.readAllLines(NB201);
        String header = rows.get(0);
        int latency = List.of(header.split(",")).indexOf("latency_ms_pixel3");
        String[] third = rows.get(3).split(",", -1);
        third[latency] = "";
        rows.set(3, String.join(",", third));
        Path gapped = Files.write(dir.resolve("gapped.csv"), rows);
        err.getBuffer().setLength(0);
        file = config(benchmark(gapped.toString(), "val_acc_12ep"), "");
        assertEquals(2, cli("validate", file.toString()));
        assertTrue(err.toString().strip().startsWith("galapagos: error: " + file + ": benchmark.minimize[0]: "
                + "'latency_ms_pixel3' has no number on line 4 of " + gapped + " (it is empty, NaN or infinite, for "),
                err.toString());
        Files.writeString(file, Files.readString(file).replace("  minimize: [latency_ms_pixel3]\n", ""));
        out.getBuffer().setLength(0);
        assertEquals(0, cli("validate", file.toString()), err::toString);

        err.getBuffer().setLength(0);
        file = config(benchmark(NB201.toString(), "val_acc_12ep"), "").resolveSibling("b.yaml");
        Files.writeString(file, Files.readString(file).replace("{kind: nb201}", "{kind: macro}"));
        assertEquals(2, cli("validate", file.toString()));
        assertTrue(err.toString().contains("benchmark.table: '" + NB201 + "' has no architecture of the search space"),
                err.toString());
    }

    @Test
    void runsInProcessAndRanksByTheSignal() throws IOException, InterruptedException {
        for (String parallelism : List.of("1", "2")) {
            Path file = config(benchmark(NB201.toString(), "val_acc_12ep"), "");
            ConfigLoader.Loaded loaded = ConfigLoader.load(file, List.of("parallelism=" + parallelism));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            Path output = dir.resolve("run-" + parallelism);
            StudyOutcome outcome = new SearchJob(loaded.config(), loaded.effectiveYaml(),
                    new PrintStream(printed, true, StandardCharsets.UTF_8)).run(output.toString(), null);
            assertEquals(60, outcome.results().size());
            assertTrue(outcome.results().stream().allMatch(r -> r instanceof TrialResult.Completed));
            String leaderboard = Files.readString(output.resolve("leaderboard.csv"));
            assertTrue(leaderboard.startsWith("rank,trial,status,val_acc_12ep,test_acc_200ep,latency_ms_pixel3,index,"),
                    leaderboard.lines().findFirst().orElse(""));
            assertRankedBySignal(leaderboard, outcome, output);
            String text = printed.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("val_acc_12ep"), text);
            assertTrue(text.contains("Top 5 by val_acc_12ep (test_acc_200ep reported, never used to choose):"), text);
            assertTrue(Files.readString(output.resolve("journal.jsonl")).contains("\"objective\":\"val_acc_12ep\""));
        }
    }

    /**
     * When no trial completes (here every architecture drawn is missing from a one-row table), there is no answer:
     * no best.json, a line saying so, and a best.json left by an earlier session is removed when the search is
     * reported again.
     */
    @Test
    void noBestJsonWhenNoTrialCompleted() throws IOException, InterruptedException {
        List<String> lines = Files.readAllLines(NB201);
        Path table = Files.write(dir.resolve("one.csv"), List.of(lines.get(0), lines.get(1)));
        Path file = config(benchmark(table.toString(), "val_acc_12ep"), "");
        ConfigLoader.Loaded loaded = ConfigLoader.load(file, List.of("trials=3", "strategy.kind=random", "seed=1"));
        Path output = dir.resolve("none");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        StudyOutcome outcome = new SearchJob(loaded.config(), loaded.effectiveYaml(),
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run(output.toString(), null);
        assertEquals(3, outcome.results().size());
        assertTrue(outcome.results().stream().noneMatch(r -> r instanceof TrialResult.Completed));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains(
                "No trial completed (none of the 3 that ran did), so there is no best.json."), printed.toString());
        assertFalse(Files.exists(output.resolve("best.json")));
        assertEquals(4, Files.readAllLines(output.resolve("leaderboard.csv")).size(), "every trial still ranked");

        Files.writeString(output.resolve("best.json"), "{\"trial\" : \"trial-0000\"}\n");
        new SearchJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).resume(output.toString());
        assertFalse(Files.exists(output.resolve("best.json")), "a finished search's stale best.json is removed");
    }

    /**
     * A Hyperband search ended before any trial reached its top level answers with the best at the highest level
     * reached, and says so: best.json carries that level, the console names it.
     */
    @Test
    void anAnswerBelowTheTopFidelityLevelIsSaidToBe() throws IOException, InterruptedException {
        Path file = config(benchmark(NB201.toString(), "test_acc_200ep").replace("report: test_acc_200ep",
                "report: val_acc_200ep"), "  fidelities: [val_acc_12ep, val_acc_200ep, test_acc_200ep]\n");
        ConfigLoader.Loaded loaded = ConfigLoader.load(file, List.of("trials=5", "strategy.kind=hyperband",
                "strategy.fidelities=3", "strategy.inner=random", "seed=1"));
        Path output = dir.resolve("hb");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        StudyOutcome outcome = new SearchJob(loaded.config(), loaded.effectiveYaml(),
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run(output.toString(), null);
        int reached = outcome.results().stream().mapToInt(r -> r.candidate().fidelity()).max().orElseThrow();
        assertTrue(reached < 2, "the test needs a search that stops below the top level, reached " + reached);
        JsonNode best = new ObjectMapper().readTree(output.resolve("best.json").toFile());
        assertEquals(reached, best.get("fidelity").asInt(), best.toString());
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("No trial completed at the top fidelity level (2): " + best.get("trial").asText()
                + ", the best at the highest level reached, was measured at level " + reached), text);
        assertTrue(text.contains("(" + best.get("trial").asText() + " at level " + reached + ")"), text);
    }

    /**
     * A space smaller than the trials is said at the start, with how many trials at least repeat an architecture; the
     * default strategy (evolution) trains every architecture once before any again.
     */
    @Test
    void aSpaceSmallerThanTheTrialsIsSaidAndEachArchitectureComesFirstOnce() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("small.yaml"), """
                name: small
                trials: 70
                executor: in_process
                parallelism: 1
                space: {kind: nb201, operations: [none, nor_conv_3x3]}
                benchmark:
                """ + benchmark(NB201.toString(), "val_acc_12ep"));
        for (int trials : List.of(70, 64)) {
            ConfigLoader.Loaded loaded = ConfigLoader.load(file, List.of("trials=" + trials));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            StudyOutcome outcome = new SearchJob(loaded.config(), loaded.effectiveYaml(),
                    new PrintStream(printed, true, StandardCharsets.UTF_8)).run(dir.resolve("small-" + trials).toString(),
                    null);
            String text = printed.toString(StandardCharsets.UTF_8);
            String line = "The space holds 64 architectures, fewer than the 70 trials: at least 6 trials will repeat "
                    + "an architecture";
            assertEquals(trials == 70, text.contains(line), text);
            List<String> first = outcome.results().stream().sorted(java.util.Comparator.comparingInt(
                    r -> r.candidate().number())).limit(64).map(r -> r.candidate().architecture().text()).toList();
            assertEquals(64, new java.util.HashSet<>(first).size(), "the first 64 trials are the 64 cells");
        }
    }

    /**
     * Every trial is one row, ranked 1, 2, ... by {@code val_acc_12ep}, highest first, each row showing its
     * trial's values; the first row is the best by the signal and is {@code best.json}.
     */
    private static void assertRankedBySignal(String leaderboard, StudyOutcome outcome, Path output) throws IOException {
        List<String> lines = leaderboard.lines().toList();
        List<String> header = List.of(lines.get(0).split(","));
        int trial = header.indexOf("trial");
        int signal = header.indexOf("val_acc_12ep");
        int report = header.indexOf("test_acc_200ep");
        Map<String, TrialResult> byTrial = new HashMap<>();
        outcome.results().forEach(r -> byTrial.put(r.candidate().trialId(), r));
        List<String[]> rows = lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
        assertEquals(60, rows.size(), leaderboard);
        assertEquals(byTrial.keySet(), rows.stream().map(r -> r[trial]).collect(Collectors.toSet()), "each trial once");
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            assertEquals(String.valueOf(i + 1), row[0], "rank");
            TrialResult result = byTrial.get(row[trial]);
            double value = Double.parseDouble(row[signal]);
            assertEquals(result.metrics().require("val_acc_12ep"), value, 1e-9, row[trial]);
            assertEquals(result.metrics().require("test_acc_200ep"), Double.parseDouble(row[report]), 1e-9, row[trial]);
            assertTrue(value <= previous, "row " + (i + 1) + " (" + value + ") ranks below a lower signal " + previous);
            previous = value;
        }
        double best = outcome.results().stream().mapToDouble(r -> r.metrics().require("val_acc_12ep")).max().orElseThrow();
        assertEquals(best, Double.parseDouble(rows.get(0)[signal]), 1e-9, "the first row is the best by the signal");
        assertTrue(Files.readString(output.resolve("best.json")).contains("\"trial\" : \"" + rows.get(0)[trial] + "\""),
                "best.json is the first row's trial");
    }
}
