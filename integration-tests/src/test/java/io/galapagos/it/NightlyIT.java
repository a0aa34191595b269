package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/nightly}, the cron wrapper, run for real as cron would (its own processes, {@code bin/galapagos}
 * without Spark's distribution, a synthetic search in process): the first night starts afresh, the next warm-starts
 * from it, a driver SIGKILLed mid-night is resumed by running the same command again with no result lost or counted
 * twice, a run of a night that ended changes nothing, and a second run while one holds the lock starts nothing.
 */
@Timeout(300)
class NightlyIT {

    private static final String PASSWORD = "n1ghtly-pa55word";
    private static final String CONFIG = """
            name: nightly-it
            seed: 7
            trials: 24
            executor: in_process
            parallelism: 2
            strategy: {kind: evolution, population: 6, sample_size: 3}
            space:
              min_blocks: 1
              max_blocks: 4
              layers: [conv, maxpool, dense]
              kernel_sizes: [3, 5]
              filters: [8, 16, 32]
              dense_units: [16, 32]
              activations: [relu, tanh]
              batch_norm: [false, true]
              dropout: [0.0, 0.25]
              skip_modes: [add]
            synthetic: {median_seconds: 0.25, sigma: 0.1}
            """;

    @TempDir
    Path dir;

    private Map<String, String> environment() {
        return Map.of("GALAPAGOS_NIGHTLY_LOCK", dir.resolve("nightly.lock").toString());
    }

    private Process nightly(Path log, String date) throws IOException {
        return GalapagosLauncher.startScript("deploy/nightly", environment(), log, "--", dir.resolve("nightly.yaml").toString(),
                dir.resolve("runs").toString(), "--date", date, "--set", "spark.conf.spark.foo.password=" + PASSWORD);
    }

    private String finish(Process process, Path log) throws Exception {
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "still running: " + Files.readString(log));
        String said = Files.readString(log);
        assertEquals(0, process.exitValue(), said);
        assertFalse(said.contains(PASSWORD), said);
        return said;
    }

    private static void assertWholeStudy(Path output) throws IOException {
        List<JsonNode> results = JournalRecords.of(output, "result");
        Set<String> trials = new HashSet<>();
        results.forEach(r -> trials.add(r.get("trial").asText()));
        assertEquals(24, results.size(), "every trial once");
        assertEquals(24, trials.size(), "no trial counted twice");
    }

    @Test
    void eachNightWarmStartsFromTheLastAndARunAgainContinuesTonights() throws Exception {
        Files.writeString(dir.resolve("nightly.yaml"), CONFIG);
        Path runs = dir.resolve("runs");

        String first = finish(nightly(dir.resolve("1.log"), "2026-11-30"), dir.resolve("1.log"));
        assertTrue(first.contains("tonight's search starts afresh"), first);
        Path lastNight = runs.resolve("2026-11-30");
        assertWholeStudy(lastNight);

        // tonight's driver is killed with SIGKILL after a few results
        Path log = dir.resolve("2.log");
        Process killed = nightly(log, "2026-12-01");
        Path tonight = runs.resolve("2026-12-01");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(tonight.resolve("journal.jsonl")) || JournalRecords.of(tonight, "result").size() < 4) {
            assertTrue(killed.isAlive() && System.nanoTime() < deadline, Files.readString(log));
            Thread.sleep(20);
        }
        killed.destroyForcibly().waitFor();
        int before = JournalRecords.of(tonight, "result").size();
        assertTrue(before < 24, "killed before the end: " + before);
        JsonNode study = JournalRecords.of(tonight, "study").get(0);
        assertEquals("file:" + lastNight, study.get("warm_start").asText(), "warm-started from last night's");

        String again = finish(nightly(dir.resolve("3.log"), "2026-12-01"), dir.resolve("3.log"));
        assertTrue(again.contains("Resuming file:" + tonight + ": " + before + " results recorded"), again);
        assertWholeStudy(tonight);
        assertTrue(Files.exists(tonight.resolve("journal.2.jsonl")));

        Map<String, byte[]> ended = contents(tonight);
        String third = finish(nightly(dir.resolve("4.log"), "2026-12-01"), dir.resolve("4.log"));
        assertTrue(third.contains("Nightly: " + tonight + " has ended already"), third);
        Map<String, byte[]> after = contents(tonight);
        assertEquals(ended.keySet(), after.keySet(), "nothing added or removed");
        ended.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
        for (Path output : List.of(lastNight, tonight)) {
            contents(output).forEach((name, bytes) -> assertFalse(new String(bytes).contains(PASSWORD), name));
        }
    }

    @Test
    void aSecondRunWhileOneHoldsTheLockStartsNothing() throws Exception {
        Files.writeString(dir.resolve("nightly.yaml"), CONFIG);
        Process holder = new ProcessBuilder("flock", dir.resolve("nightly.lock").toString(), "-c", "echo held; sleep 60")
                .start();
        try {
            assertEquals("held", new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine());
            String said = finish(nightly(dir.resolve("locked.log"), "2026-12-01"), dir.resolve("locked.log"));
            assertTrue(said.contains("is running already"), said);
            assertFalse(Files.exists(dir.resolve("runs")), "no search started");
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    private static Map<String, byte[]> contents(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }
}
