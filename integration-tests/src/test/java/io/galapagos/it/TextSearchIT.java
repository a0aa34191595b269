package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small search of the sequence space on the shipped TREC-6 data, on a real standalone cluster of two one-core
 * executor JVMs: the vocabulary is built on the driver and travels to the executors with the trials, every
 * candidate is a sequence network trained there with DL4J, and the output holds the vocabulary beside the
 * journal. Each trained candidate beats always answering the largest class (ENTY, 23% of the training file).
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class TextSearchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRIALS = 4;

    private static StandaloneCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.builder().name("TextSearchIT").start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTrecSearchTrainsSequenceNetworksOnTheExecutors() throws Exception {
        Path trec = GalapagosLauncher.repo().resolve("data").resolve("text").resolve("trec");
        Path config = Files.writeString(dir.resolve("trec.yaml"), """
                name: trec-it
                seed: 2
                trials: %d
                scheduling: {mode: ordered}
                strategy: {kind: random}
                space:
                  kind: sequence
                  max_blocks: 2
                  embedding_dims: [16]
                  blocks: [conv1d, maxpool1d, lstm]
                  units: [8]
                  filters: [16]
                  kernel_sizes: [3]
                  dropout: [0.0]
                  pooling: [max, mean]
                data:
                  format: label-space-text
                  train: %s/TREC.train.all
                  test: %s/TREC.test.all
                  encoding: ISO-8859-1
                  min_count: 2
                training: {epochs: 1, batch_size: 64, learning_rate: 0.005, latency_repeats: 2}
                spark:
                  conf:
                    spark.executor.cores: "1"
                    spark.cores.max: "2"
                    spark.executor.memory: 1g
                    spark.driver.host: %s
                """.formatted(TRIALS, trec, trec, StandaloneCluster.HOST));
        Path output = dir.resolve("out");
        GalapagosLauncher.Finished run = GalapagosLauncher.run(cluster.environment(), dir.resolve("run.log"), 300,
                "run", config.toString(), "--master", cluster.masterUrl(), "--output", output.toString());
        assertEquals(0, run.exitCode(), run.log() + "\n" + cluster.logTails());

        JsonNode vocabulary = JSON.readTree(output.resolve("vocabulary.json").toFile());
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), JSON.convertValue(vocabulary.path("classes"), List.class));
        assertEquals("<pad>", vocabulary.path("tokens").get(0).asText());
        List<JsonNode> results = JournalRecords.of(output, "result");
        assertEquals(TRIALS, results.size(), run.log());
        Set<String> executors = new HashSet<>();
        for (JsonNode r : results) {
            assertEquals("completed", r.path("status").asText(), r::toString);
            assertTrue(r.path("architecture").asText().startsWith("embed16/"), r::toString);
            executors.add(r.path("executor").asText());
            for (String metric : List.of("val_accuracy", "test_accuracy", "params", "flops", "latency_ms")) {
                assertTrue(r.path("metrics").has(metric), metric + " missing in " + r);
            }
            assertTrue(r.path("metrics").path("val_accuracy").asDouble() > 0.3, "no better than the largest class: " + r);
        }
        assertTrue(executors.stream().noneMatch("driver"::equals), "trained on the driver: " + executors);
        System.out.printf(Locale.ROOT, "TREC search on a 2-executor cluster: %d sequence networks, validation "
                + "accuracy %s, on executors %s%n", TRIALS, results.stream().map(r -> String.format(Locale.ROOT, "%.3f",
                r.path("metrics").path("val_accuracy").asDouble())).toList(), executors);
    }
}
