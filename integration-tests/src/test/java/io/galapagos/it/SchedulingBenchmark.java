package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.driver.strategy.RegularizedEvolution;
import io.galapagos.space.Activation;
import io.galapagos.space.Architecture;
import io.galapagos.space.LayerType;
import io.galapagos.space.MacroSearchSpace;
import io.galapagos.space.SearchSpace;
import io.galapagos.space.SkipMode;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The scheduling benchmarks: numbers to read, not a test (no failsafe pattern matches the name, so
 * {@code mvn verify} never runs it). Run after a build (about 20 minutes with the defaults, which are the
 * settings of the README's table; the fork timeout is raised above the IT's 600 s):
 *
 * <pre>
 *   mvn -q -DskipTests install && mvn verify -pl integration-tests -Dit.test=SchedulingBenchmark -Dgalapagos.it.timeout=3000
 * </pre>
 *
 * It prints, and writes to {@code integration-tests/target/benchmarks/scheduling.md}, one row per run, its
 * settings in the second column: the busy fraction of {@code bench.clusterTrials} (default 1,000)
 * heavy-tailed synthetic trials on a real standalone cluster (2 executors of 2 slots), steady state beside
 * generations; the driver's time per trial in process (4 threads, 10,000 zero-length trials); trials per
 * second through Spark {@code local[2]} for 1 ms trials, 20,000 with batching and 3,000 without; the wall
 * time of 4 trials of 10 s with and without batching; and journal ingest (append, flush, tell the
 * strategy; 100,000 results) and the whole driver loop on the study's thread (100,000 zero-length trials)
 * in results per second. {@code -Dbench.parts=cluster,in-process,short,long,ingest} picks parts. Every run
 * but the journal ingest goes through {@code bin/galapagos} and reads the journal's summary record.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class SchedulingBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Trials of each cluster study ({@code -Dbench.clusterTrials}); the README's table quotes 1,000. */
    private static final int CLUSTER_TRIALS = Integer.getInteger("bench.clusterTrials", 1000);
    /** Which parts to run, e.g. {@code -Dbench.parts=cluster}; all by default. */
    private static final List<String> PARTS = List.of(System.getProperty("bench.parts",
            "cluster,in-process,short,long,ingest").split(","));

    private final List<String> report = new ArrayList<>();

    @Test
    void measure(@TempDir Path dir) throws Exception {
        Path conf = GalapagosLauncher.repo().resolve("conf/synthetic.yaml");
        report.add("| measure | setting (what ran) | value |");
        report.add("|---|---|---|");
        if (PARTS.contains("cluster")) {
            cluster(dir, conf);
        }
        if (PARTS.contains("in-process")) {
            inProcess(dir, conf);
        }
        if (PARTS.contains("short")) {
            shortTrials(dir, conf);
        }
        if (PARTS.contains("long")) {
            longTrials(dir, conf);
        }
        if (PARTS.contains("ingest")) {
            ingest(dir, conf);
        }
        String text = String.join("\n", report) + "\n";
        Path out = Path.of("target/benchmarks/scheduling.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
        System.out.print(text);
    }

    private void cluster(Path dir, Path conf) throws IOException, InterruptedException {
        try (StandaloneCluster cluster = StandaloneCluster.builder().name("SchedulingBenchmark").workerCores(4).start()) {
            Path config = Files.writeString(dir.resolve("cluster.yaml"), Files.readString(conf) + """

                    spark:
                      conf:
                        spark.executor.cores: "2"
                        spark.cores.max: "4"
                        spark.executor.memory: 512m
                        spark.driver.host: %s
                    """.formatted(StandaloneCluster.HOST));
            for (String mode : List.of("steady", "generational")) {
                JsonNode s = run(dir, cluster.environment(), "cluster-" + mode, config, "--master", cluster.masterUrl(),
                        "--set", "trials=" + CLUSTER_TRIALS, "--set", "scheduling.mode=" + mode);
                row("busy fraction", String.format(Locale.ROOT, "standalone cluster (master, worker and 2 executor JVMs of"
                                + " 2 slots), %,d synthetic trials (median 1 s, sigma 0.5, 2%% ten times longer), "
                                + "`scheduling.mode: %s`", CLUSTER_TRIALS, mode),
                        String.format(Locale.ROOT, "%.3f (wall %.1f s, %.2f trials/s; %s)", s.get("busy_fraction").asDouble(),
                                s.get("wall_seconds").asDouble(), s.get("trials_per_second").asDouble(),
                                idle(dir.resolve("cluster-" + mode), s)));
            }
        }
    }

    /** Where the idle slot-seconds went: before each slot's first trial, between trials, after its last. */
    private static String idle(Path output, JsonNode summary) throws IOException {
        Map<Integer, List<double[]>> slots = new TreeMap<>();
        List<String> rows = Files.readAllLines(output.resolve(RunOutput.TIMELINE));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            slots.computeIfAbsent(Integer.parseInt(f[0]), k -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(f[6]), Double.parseDouble(f[7])});
        }
        double wall = summary.get("wall_seconds").asDouble();
        double before = 0;
        double between = 0;
        double after = 0;
        int gaps = 0;
        for (List<double[]> spans : slots.values()) {
            spans.sort(Comparator.comparingDouble(span -> span[0]));
            before += spans.get(0)[0];
            after += Math.max(0, wall - spans.get(spans.size() - 1)[1]);
            for (int i = 1; i < spans.size(); i++) {
                between += Math.max(0, spans.get(i)[0] - spans.get(i - 1)[1]);
                gaps++;
            }
        }
        return String.format(Locale.ROOT, "idle slot-seconds: %.1f before the first trials, %.1f between trials "
                + "(%.1f ms a hand-over), %.1f after the last; an ideal scheduler (no hand-over cost, same trials in the "
                + "same order, one per free slot) would reach %.3f", before, between, 1000 * between / Math.max(1, gaps),
                after, ideal(rows, slots.size()));
    }

    /**
     * The busy fraction of greedy list scheduling of the same durations, in trial-number order, on the same
     * slots, with nothing lost between trials: what the workload's own tail allows.
     */
    private static double ideal(List<String> rows, int slots) {
        TreeMap<Integer, Double> durations = new TreeMap<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            durations.put(Integer.parseInt(f[1].substring("trial-".length())), Double.parseDouble(f[8]));
        }
        double[] free = new double[slots];
        double busy = 0;
        for (double d : durations.values()) {
            int earliest = 0;
            for (int i = 1; i < slots; i++) {
                earliest = free[i] < free[earliest] ? i : earliest;
            }
            free[earliest] += d;
            busy += d;
        }
        double makespan = java.util.Arrays.stream(free).max().orElse(0);
        return busy / (makespan * slots);
    }

    private void inProcess(Path dir, Path conf) throws IOException, InterruptedException {
        JsonNode inProcess = run(dir, Map.of(), "in-process", conf, "--set", "executor=in_process",
                "--set", "parallelism=4", "--set", "trials=10000", "--set", "synthetic.median_seconds=0");
        row("driver time per trial", "in process (4 threads), 10,000 zero-length trials, `scheduling.mode: steady`",
                String.format(Locale.ROOT, "%.4f ms (wall %.4f ms per trial)", inProcess.get("driver_ms_per_trial").asDouble(),
                        1000 * inProcess.get("wall_seconds").asDouble() / inProcess.get("trials").asInt()));
    }

    private void shortTrials(Path dir, Path conf) throws IOException, InterruptedException {
        for (String batching : List.of("auto", "off")) {
            int trials = batching.equals("auto") ? 20_000 : 3_000;
            JsonNode s = run(dir, Map.of(), "short-" + batching, conf, "--master", "local[2]",
                    "--set", "trials=" + trials, "--set", "synthetic.median_seconds=0.001", "--set", "synthetic.sigma=0",
                    "--set", "synthetic.straggler_probability=0", "--set", "scheduling.batching=" + batching);
            row("throughput", String.format(Locale.ROOT, "Spark `local[2]`, %,d trials of 1 ms, `scheduling.batching: %s`",
                            trials, batching),
                    String.format(Locale.ROOT, "%.0f trials/s (busy %.3f, %d dispatches, largest batch %d)",
                            s.get("trials_per_second").asDouble(), s.get("busy_fraction").asDouble(),
                            s.get("dispatches").asInt(), s.get("largest_batch").asInt()));
        }
    }

    private void longTrials(Path dir, Path conf) throws IOException, InterruptedException {
        for (String batching : List.of("auto", "off")) {
            JsonNode s = run(dir, Map.of(), "long-" + batching, conf, "--master", "local[2]",
                    "--set", "trials=4", "--set", "synthetic.median_seconds=10", "--set", "synthetic.sigma=0",
                    "--set", "synthetic.straggler_probability=0", "--set", "scheduling.batching=" + batching);
            row("wall time", "Spark `local[2]`, 4 trials of 10 s, `scheduling.batching: " + batching + "`",
                    String.format(Locale.ROOT, "%.2f s (%d dispatches)", s.get("wall_seconds").asDouble(),
                            s.get("dispatches").asInt()));
        }
    }

    private void ingest(Path dir, Path conf) throws IOException, InterruptedException {
        row("journal ingest: append, flush, tell regularized evolution", "100,000 made-up results, `file:` journal",
                String.format(Locale.ROOT, "%.0f results/s", appendAndTell(dir.resolve("ingest"), 100_000)));
        JsonNode direct = run(dir, Map.of(), "direct", conf, "--set", "executor=in_process", "--set", "parallelism=1",
                "--set", "trials=100000", "--set", "synthetic.median_seconds=0");
        row("whole driver loop (ask, run, journal, tell)", "in process on the study's thread (`parallelism: 1`), "
                        + "100,000 zero-length trials",
                String.format(Locale.ROOT, "%.0f trials/s", direct.get("trials_per_second").asDouble()));
    }

    private JsonNode run(Path dir, Map<String, String> environment, String name, Path config, String... extra)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("run", config.toString(), "--output", dir.resolve(name).toString()));
        args.addAll(List.of(extra));
        GalapagosLauncher.Finished finished = GalapagosLauncher.run(environment, dir.resolve(name + ".log"), 1200,
                args.toArray(String[]::new));
        assertEquals(0, finished.exitCode(), finished.log());
        List<String> lines = Files.readAllLines(dir.resolve(name).resolve(RunOutput.JOURNAL));
        JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
        assertEquals("summary", summary.get("type").asText(), finished.log());
        return summary;
    }

    /** Appends {@code count} made-up results to a journal, telling regularized evolution each; results per second. */
    private static double appendAndTell(Path folder, int count) throws IOException {
        SearchSpace space = new MacroSearchSpace(2, 8, EnumSet.allOf(LayerType.class), List.of(1, 3, 5),
                List.of(16, 32, 64, 128), List.of(64, 128, 256), List.of(Activation.values()), List.of(false, true),
                List.of(0.0, 0.25, 0.5), List.of(SkipMode.ADD, SkipMode.CONCAT));
        SplittableRandom random = new SplittableRandom(5);
        List<TrialResult> results = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            Architecture architecture = space.sample(random);
            results.add(new TrialResult.Completed(new Candidate(i, architecture, i),
                    Metrics.EMPTY.with("score", random.nextDouble()), new Execution("1", "host", 1, now, now).withSlot(i % 4)));
        }
        RegularizedEvolution strategy = new RegularizedEvolution(space, Objective.maximize("score"), 20, 5, 0, 1);
        RunOutput output = RunOutput.create(folder.toString(), new Configuration());
        long start = System.nanoTime();
        try (Journal journal = output.openJournal(false)) {
            for (int i = 0; i < count; i++) {
                journal.finished(results.get(i), i + 1, count);
                strategy.tell(results.get(i));
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private void row(String measure, String setting, String value) {
        String line = "| " + measure + " | " + setting + " | " + value + " |";
        report.add(line);
        System.out.println(line);
    }
}
