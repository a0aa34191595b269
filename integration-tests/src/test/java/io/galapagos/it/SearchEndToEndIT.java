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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real thing end to end: {@code bin/galapagos run} as its own JVM drives a search on a standalone
 * cluster whose Worker runs two one-core executor JVMs; candidates are built and trained with DL4J on the
 * shipped Fashion-MNIST subset. Checks where trials ran and what the output folder holds.
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
        GalapagosLauncher.Finished driver = GalapagosLauncher.run(cluster.environment(), log, 300, "run",
                config.toString(), "--master", cluster.masterUrl(), "--output", output.toString());
        String driverLog = driver.log();
        assertEquals(0, driver.exitCode(), driverLog + "\n" + cluster.logTails());
        long driverPid = driver.pid();

        List<JsonNode> results = new ArrayList<>();
        List<String> lines = Files.readAllLines(output.resolve("journal.jsonl"));
        assertEquals("study", JSON.readTree(lines.get(0)).get("type").asText());
        JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
        assertEquals("summary", summary.get("type").asText());
        assertEquals(TRIALS, summary.get("trials").asInt());
        assertEquals(2, summary.get("slots").asInt());
        double busy = summary.get("busy_fraction").asDouble();
        assertTrue(busy > 0 && busy <= 1, summary::toString);
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
        JsonNode best = JSON.readTree(Files.readString(output.resolve("best.json")));
        assertEquals(board.get(1).split(",")[1], best.get("trial").asText());
        assertTrue(Files.readString(output.resolve("config.yaml")).contains("train_limit: 1500"));
        assertTrue(driverLog.contains("[" + TRIALS + "/" + TRIALS + "]"), driverLog);
        assertTrue(driverLog.contains("Top 5 by val_accuracy"), driverLog);
    }
}
