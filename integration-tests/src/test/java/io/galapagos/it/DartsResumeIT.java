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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A two-seed DARTS search on a real standalone cluster (two executor JVMs of one core each, so the seeds' tasks run
 * in separate processes), its driver JVM killed with SIGKILL once a seed has checkpointed an epoch, then resumed with
 * {@code galapagos resume}: no epoch is trained twice, and every epoch's {@code softmax(alpha)}, every derived cell and
 * the answer equal those of an uninterrupted run of the same search (one native thread per task makes a search
 * continued from a checkpoint end exactly where an uninterrupted one does).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class DartsResumeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SEEDS = 2;
    private static final int EPOCHS = 2;

    private static StandaloneCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.builder().name("DartsResumeIT").start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Path config() throws IOException {
        Path data = GalapagosLauncher.repo().resolve("data").resolve("fashion-mnist");
        return Files.writeString(dir.resolve("darts.yaml"), """
                name: darts-kill
                seed: 5
                scheduling: {mode: ordered}
                strategy: {kind: darts}
                darts: {seeds: %d, epochs: %d, warmup_epochs: 1, batch_size: 32, alpha_learning_rate: 0.003, remedy: none}
                space: {kind: nb201}
                data:
                  train_images: %3$s/train-images-idx3-ubyte.gz
                  train_labels: %3$s/train-labels-idx1-ubyte.gz
                  test_images: %3$s/t10k-images-idx3-ubyte.gz
                  test_labels: %3$s/t10k-labels-idx1-ubyte.gz
                  validation_fraction: 0.2
                  train_limit: 300
                training: {epochs: 1, batch_size: 32, cell_channels: 4, cells_per_stage: 1, cell_reduction: pool,
                           latency_repeats: 1}
                spark:
                  conf:
                    spark.executor.cores: "1"
                    spark.cores.max: "2"
                    spark.executor.memory: 1g
                    spark.driver.host: %4$s
                """.formatted(SEEDS, EPOCHS, data, StandaloneCluster.HOST));
    }

    /** Every seed's trajectory (per epoch the losses, {@code softmax(alpha)} and the derived cell) and its cell. */
    private static List<String> trajectories(Path output) throws IOException {
        List<String> seeds = new ArrayList<>();
        for (JsonNode seed : JSON.readTree(output.resolve("darts.json").toFile()).path("seeds")) {
            seeds.add(seed.path("trajectory") + " -> " + seed.path("derived").asText());
        }
        return seeds;
    }

    @Test
    void aDriverKilledDuringTheSearchResumesFromTheSeedsCheckpoints() throws Exception {
        Path config = config();
        Path reference = dir.resolve("reference");
        GalapagosLauncher.Finished whole = GalapagosLauncher.run(cluster.environment(), dir.resolve("reference.log"),
                300, "run", config.toString(), "--master", cluster.masterUrl(), "--output", reference.toString());
        assertEquals(0, whole.exitCode(), whole.log() + "\n" + cluster.logTails());

        Path output = dir.resolve("killed");
        Process driver = GalapagosLauncher.start(cluster.environment(), dir.resolve("killed.log"), "run",
                config.toString(), "--master", cluster.masterUrl(), "--output", output.toString());
        Path checkpoint = output.resolve("darts").resolve("seed-0.zip");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(checkpoint) && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(checkpoint),
                "no checkpoint before the deadline\n" + Files.readString(dir.resolve("killed.log")));
        driver.destroyForcibly().waitFor();
        List<JsonNode> before = JournalRecords.of(output, "darts-epoch");
        assertTrue(before.size() < SEEDS * EPOCHS, "the search finished before the kill: " + before.size());

        GalapagosLauncher.Finished resumed = GalapagosLauncher.run(cluster.environment(), dir.resolve("resume.log"),
                300, "resume", output.toString(), "--master", cluster.masterUrl());
        assertEquals(0, resumed.exitCode(), resumed.log() + "\n" + cluster.logTails());

        List<JsonNode> epochs = JournalRecords.of(output, "darts-epoch");
        assertEquals(SEEDS * EPOCHS, epochs.size(), "one record per seed and epoch");
        assertEquals(SEEDS * EPOCHS, epochs.stream().map(e -> e.path("search").asInt() + "/" + e.path("epoch").asInt())
                .distinct().count(), "no seed's epoch journaled twice");
        long trainedAfterKill = epochs.stream().skip(before.size()).filter(e -> e.path("trained").asBoolean()).count();
        long answeredFromCheckpoint = epochs.size() - before.size() - trainedAfterKill;
        assertTrue(trainedAfterKill < SEEDS * EPOCHS, "the resumed run trained every epoch again");
        assertEquals(trajectories(reference), trajectories(output),
                "the resumed search's trajectories differ from the uninterrupted run's\n" + resumed.log());
        assertEquals(JSON.readTree(reference.resolve("best.json").toFile()).path("architecture"),
                JSON.readTree(output.resolve("best.json").toFile()).path("architecture"));
        System.out.printf(Locale.ROOT, "DARTS, driver SIGKILL after %d of %d seed-epochs journaled: the resume trained "
                + "%d and answered %d from checkpoints; trajectories equal to the uninterrupted run's%n", before.size(),
                SEEDS * EPOCHS, trainedAfterKill, answeredFromCheckpoint);
    }
}
