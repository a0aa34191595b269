package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real thing end to end: {@code bin/galapagos run} as its own JVM drives a search on a standalone
 * cluster whose Worker runs two one-core executor JVMs; candidates are built and trained with DL4J on the
 * shipped Fashion-MNIST subset. Checks where trials ran (each once, in an executor JVM the Worker ran, under
 * the executor id Spark gave that JVM, both JVMs used), and what the output folder holds: the journal, the
 * leaderboard ranked by validation accuracy, a timeline that is the journal's trials slot by slot with no
 * slot running two at once, and a busy fraction that is the journal's durations over the study's
 * slot-seconds, the 2 slots more than half busy between the first trial's start and the last one's end.
 */
@Timeout(value = 360, unit = TimeUnit.SECONDS)
class SearchEndToEndIT {

    private static final int TRIALS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.builder().name("SearchEndToEndIT").start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void searchRunsOnExecutorJvmsAndWritesRankedResults(@TempDir Path dir) throws Exception {
        Path repo = GalapagosLauncher.repo();
        Path data = repo.resolve("data/fashion-mnist");
        Path config = Files.writeString(dir.resolve("e2e.yaml"), """
                name: e2e
                seed: 11
                trials: %d
                strategy: {kind: evolution, population: 3, sample_size: 2}
                space:
                  min_blocks: 1
                  max_blocks: 3
                  layers: [conv, maxpool, dense]
                  kernel_sizes: [3]
                  filters: [4, 8]
                  dense_units: [16, 32]
                  activations: [relu, tanh]
                  batch_norm: [false, true]
                  dropout: [0.0]
                  skip_modes: [add, concat]
                data:
                  train_images: %s/train-images-idx3-ubyte.gz
                  train_labels: %s/train-labels-idx1-ubyte.gz
                  test_images: %s/t10k-images-idx3-ubyte.gz
                  test_labels: %s/t10k-labels-idx1-ubyte.gz
                  train_limit: 1500
                training: {epochs: 2, max_seconds: 10, batch_size: 50, learning_rate: 0.005, latency_repeats: 5}
                spark:
                  conf:
                    spark.executor.cores: "1"
                    spark.cores.max: "2"
                    spark.executor.memory: 1g
                    spark.driver.host: %s
                """.formatted(TRIALS, data, data, data, data, StandaloneCluster.HOST));
        Path output = dir.resolve("out");
        Path log = dir.resolve("driver.log");
        Process process = GalapagosLauncher.start(cluster.environment(), log, "run", config.toString(), "--master",
                cluster.masterUrl(), "--output", output.toString());
        // the executor JVMs the Worker runs for this search, by Spark executor id, seen while it runs
        Map<String, Set<Long>> executors = new TreeMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (process.isAlive() && System.nanoTime() < deadline) {
            cluster.executorsById().forEach((id, jvm) -> executors.computeIfAbsent(id, k -> new TreeSet<>()).add(jvm.pid()));
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
        String driverLog = Files.readString(log);
        assertEquals(0, process.exitValue(), driverLog + "\n" + cluster.logTails());
        long driverPid = process.pid();

        List<JsonNode> results = new ArrayList<>();
        List<String> lines = Files.readAllLines(output.resolve("journal.jsonl"));
        assertEquals("study", JSON.readTree(lines.get(0)).get("type").asText());
        JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
        assertEquals("summary", summary.get("type").asText());
        assertEquals(TRIALS, summary.get("trials").asInt());
        assertEquals(2, summary.get("slots").asInt());
        Set<Integer> proposed = new HashSet<>();
        for (String line : lines.subList(1, lines.size() - 1)) {
            JsonNode record = JSON.readTree(line);
            if (record.get("type").asText().equals("proposal")) {
                assertTrue(proposed.add(record.get("number").asInt()), "proposed twice: " + line);
                continue;
            }
            assertEquals("result", record.get("type").asText(), line);
            assertTrue(proposed.contains(record.get("number").asInt()), "a result before its proposal: " + line);
            results.add(record);
        }
        assertEquals(TRIALS, results.size(), "one result per trial\n" + driverLog);
        Set<Integer> numbers = new HashSet<>();
        Set<Long> pids = new HashSet<>();
        double bestVal = 0;
        for (JsonNode r : results) {
            numbers.add(r.get("number").asInt());
            assertEquals("completed", r.get("status").asText(), r::toString);
            assertNotEquals("driver", r.get("executor").asText(), r::toString);
            assertNotEquals(driverPid, r.get("pid").asLong(), "trained in the driver JVM: " + r);
            assertTrue(executors.getOrDefault(r.get("executor").asText(), Set.of()).contains(r.get("pid").asLong()),
                    "ran in an executor JVM of the Worker under the id Spark gave it (" + executors + "): " + r);
            pids.add(r.get("pid").asLong());
            assertTrue(r.get("slot").asInt() == 0 || r.get("slot").asInt() == 1, r::toString);
            for (String metric : List.of("val_accuracy", "test_accuracy", "params", "flops", "latency_ms", "train_seconds")) {
                assertTrue(r.get("metrics").has(metric), metric + " missing in " + r);
            }
            double val = r.get("metrics").get("val_accuracy").asDouble();
            assertTrue(val >= 0 && val <= 1, r::toString);
            bestVal = Math.max(bestVal, val);
        }
        assertEquals(TRIALS, numbers.size(), "each trial once");
        assertTrue(bestVal > 0.5, "the best candidate learned (chance is 0.1): " + bestVal);
        assertEquals(2, pids.size(), "both executor JVMs trained");

        List<String> board = Files.readAllLines(output.resolve("leaderboard.csv"));
        assertTrue(board.get(0).startsWith("rank,trial,status,val_accuracy"), board.get(0));
        assertEquals(TRIALS + 1, board.size());
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 1; i < board.size(); i++) {
            String[] row = board.get(i).split(",");
            assertEquals(String.valueOf(i), row[0]);
            double val = Double.parseDouble(row[3]);
            assertTrue(val <= previous, "ranked by validation accuracy: " + board);
            previous = val;
        }
        List<String> timeline = Files.readAllLines(output.resolve("timeline.csv"));
        assertEquals(TRIALS + 1, timeline.size(), "one timeline row per trial");
        assertTrue(timeline.get(0).startsWith("slot,trial,status,executor"), timeline.get(0));
        assertTimelineIsTheJournals(timeline, results);
        assertBusy(summary, results);
        JsonNode best = JSON.readTree(Files.readString(output.resolve("best.json")));
        assertEquals(board.get(1).split(",")[1], best.get("trial").asText());
        assertTrue(Files.readString(output.resolve("config.yaml")).contains("train_limit: 1500"));
        assertTrue(driverLog.contains("[" + TRIALS + "/" + TRIALS + "]"), driverLog);
        assertTrue(driverLog.contains("Top 5 by val_accuracy"), driverLog);
    }

    /**
     * Each timeline row is its trial's journal record (slot, status, executor, host; start, end and duration
     * in seconds from one origin, to the millisecond), and no slot runs two trials at once.
     */
    private static void assertTimelineIsTheJournals(List<String> timeline, List<JsonNode> results) {
        Map<String, JsonNode> byTrial = new HashMap<>();
        results.forEach(r -> byTrial.put(r.get("trial").asText(), r));
        Double origin = null;
        Map<Integer, Double> slotFree = new HashMap<>();
        for (String line : timeline.subList(1, timeline.size())) {
            String[] f = line.split(",", -1);
            JsonNode r = byTrial.remove(f[1]);
            assertNotNull(r, "a timeline row of no trial, or of one twice: " + line);
            assertEquals(r.get("slot").asText(), f[0], line);
            assertEquals(r.get("status").asText(), f[2], line);
            assertEquals(r.get("executor").asText(), f[3], line);
            assertEquals(r.get("host").asText(), f[4], line);
            double start = Double.parseDouble(f[6]);
            double end = Double.parseDouble(f[7]);
            double started = epochSeconds(r.get("started"));
            double finished = epochSeconds(r.get("finished"));
            origin = origin == null ? started - start : origin;
            assertEquals(started - origin, start, 0.002, "start_s against the journal's started: " + line);
            assertEquals(finished - origin, end, 0.002, "end_s against the journal's finished: " + line);
            assertEquals(finished - started, Double.parseDouble(f[8]), 0.002, "duration_s: " + line);
            assertTrue(start >= 0, "before the study's start: " + line);
            int slot = Integer.parseInt(f[0]);
            assertTrue(start >= slotFree.getOrDefault(slot, Double.NEGATIVE_INFINITY),
                    "slot " + slot + " ran two trials at once: " + timeline);
            slotFree.put(slot, end);
        }
        assertTrue(byTrial.isEmpty(), "trials missing from the timeline: " + byTrial.keySet());
    }

    /**
     * The summary's busy fraction is what its definition makes of the journal: the trials' own durations (the
     * journal's, from the executors' clocks) over the study's slot-seconds (wall time x 2 slots, the slot
     * count constant here), and the wall time covers every trial. Within that span, from the first trial's
     * start to the last one's end, the 2 slots were more than half busy: trials ran two at a time for most
     * of the search (one at a time would be at most one half).
     */
    private static void assertBusy(JsonNode summary, List<JsonNode> results) {
        double work = results.stream().mapToDouble(r -> epochSeconds(r.get("finished")) - epochSeconds(r.get("started")))
                .sum();
        double first = results.stream().mapToDouble(r -> epochSeconds(r.get("started"))).min().orElseThrow();
        double last = results.stream().mapToDouble(r -> epochSeconds(r.get("finished"))).max().orElseThrow();
        int slots = summary.get("slots").asInt();
        double wall = summary.get("wall_seconds").asDouble();
        assertEquals(work, summary.get("busy_seconds").asDouble(), 0.01, "busy seconds against the journal: " + summary);
        assertEquals(wall * slots, summary.get("slot_seconds").asDouble(), 0.01, summary::toString);
        assertEquals(work / (wall * slots), summary.get("busy_fraction").asDouble(), 0.002, summary::toString);
        assertTrue(wall >= last - first - 0.01, "the wall time " + wall + " s is shorter than the trials' span "
                + (last - first) + " s: " + summary);
        double withinSpan = work / ((last - first) * slots);
        assertTrue(withinSpan > 0.5, "the slots were busy " + withinSpan + " of the trials' span: one idled: " + summary);
        System.out.printf(java.util.Locale.ROOT, "SearchEndToEndIT: busy fraction %.3f (wall %.1f s), %.3f from the"
                        + " first trial's start to the last one's end (%.1f s), %d slots, trials of %s s%n",
                summary.get("busy_fraction").asDouble(), wall, withinSpan, last - first, slots,
                results.stream().map(r -> String.format(java.util.Locale.ROOT, "%.1f",
                        epochSeconds(r.get("finished")) - epochSeconds(r.get("started")))).toList());
    }

    private static double epochSeconds(JsonNode instant) {
        Instant t = Instant.parse(instant.asText());
        return t.getEpochSecond() + t.getNano() / 1e9;
    }
}
