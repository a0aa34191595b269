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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A weight-sharing search on a real standalone cluster (executor JVMs of one core each), its driver JVM killed with
 * SIGKILL while the supernet trains, then resumed with {@code galapagos resume}: supernet training continues from
 * its last checkpoint (no epoch trained twice), and every measurement on the shared weights equals that of an
 * uninterrupted run of the same search (one native thread per task makes a continued training end exactly where an
 * uninterrupted one does).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class WeightSharingResumeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EPOCHS = 3;

    private static StandaloneCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.builder().name("WeightSharingResumeIT").start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Path config() throws IOException {
        Path data = GalapagosLauncher.repo().resolve("data").resolve("fashion-mnist");
        return Files.writeString(dir.resolve("oneshot.yaml"), """
                name: oneshot-kill
                seed: 8
                trials: 6
                scheduling: {mode: ordered, batching: off}
                strategy: {kind: evolution, population: 3, sample_size: 2}
                space: {kind: nb201, operations: [none, skip_connect, nor_conv_3x3]}
                oneshot: {epochs: %d, batch_size: 32, calibration_batches: 2, retrain_top: 1}
                data:
                  train_images: %2$s/train-images-idx3-ubyte.gz
                  train_labels: %2$s/train-labels-idx1-ubyte.gz
                  test_images: %2$s/t10k-images-idx3-ubyte.gz
                  test_labels: %2$s/t10k-labels-idx1-ubyte.gz
                  validation_fraction: 0.2
                  train_limit: 600
                training: {epochs: 1, batch_size: 32, cell_channels: 4, cells_per_stage: 1, latency_repeats: 1}
                spark:
                  conf:
                    spark.executor.cores: "1"
                    spark.cores.max: "2"
                    spark.executor.memory: 1g
                    spark.driver.host: %3$s
                """.formatted(EPOCHS, data, StandaloneCluster.HOST));
    }

    /** Validation accuracy on shared weights by trial, in trial order. */
    private static Map<String, Double> measurements(Path output) throws IOException {
        Map<String, Double> byTrial = new LinkedHashMap<>();
        for (JsonNode r : JournalRecords.of(output, "result")) {
            if (r.path("fidelity").asText().equals("supernet")) {
                byTrial.put(r.path("trial").asText() + " " + r.path("architecture").asText(),
                        r.path("metrics").path("val_accuracy").asDouble());
            }
        }
        return byTrial;
    }

    @Test
    void aDriverKilledDuringSupernetTrainingResumesFromTheCheckpoint() throws Exception {
        Path config = config();
        Path reference = dir.resolve("reference");
        GalapagosLauncher.Finished whole = GalapagosLauncher.run(cluster.environment(), dir.resolve("reference.log"), 300,
                "run", config.toString(), "--master", cluster.masterUrl(), "--output", reference.toString());
        assertEquals(0, whole.exitCode(), whole.log() + "\n" + cluster.logTails());

        Path output = dir.resolve("killed");
        Process driver = GalapagosLauncher.start(cluster.environment(), dir.resolve("killed.log"), "run",
                config.toString(), "--master", cluster.masterUrl(), "--output", output.toString());
        Path checkpoint = output.resolve("supernets").resolve("one-shot.zip");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(checkpoint) && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(checkpoint), "no checkpoint before the deadline\n" + Files.readString(dir.resolve("killed.log")));
        driver.destroyForcibly().waitFor();
        assertTrue(JournalRecords.of(output, "supernet").isEmpty(), "the supernet finished before the kill");

        GalapagosLauncher.Finished resumed = GalapagosLauncher.run(cluster.environment(), dir.resolve("resume.log"), 300,
                "resume", output.toString(), "--master", cluster.masterUrl());
        assertEquals(0, resumed.exitCode(), resumed.log() + "\n" + cluster.logTails());
        JsonNode supernet = JournalRecords.of(output, "supernet").get(0);
        int from = supernet.path("from_epoch").asInt();
        assertTrue(from >= 1 && from < EPOCHS, "continued from its checkpoint, not from scratch: " + supernet);
        assertEquals(EPOCHS, supernet.path("epochs").asInt());
        assertEquals(measurements(reference), measurements(output),
                "measurements on the resumed supernet differ from the uninterrupted run's\n" + resumed.log());
        assertEquals(JSON.readTree(reference.resolve("best.json").toFile()).path("architecture"),
                JSON.readTree(output.resolve("best.json").toFile()).path("architecture"));
        System.out.printf(Locale.ROOT, "weight sharing, driver SIGKILL during supernet training: resumed from epoch %d "
                + "of %d; %d measurements on shared weights equal to the uninterrupted run's%n", from, EPOCHS,
                measurements(output).size());
    }
}
