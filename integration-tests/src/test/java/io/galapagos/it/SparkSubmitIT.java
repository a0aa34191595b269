package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search submitted the way a user submits it to a cluster: {@code deploy/submit}, which runs
 * {@code $SPARK_HOME/bin/spark-submit}, on a standalone cluster whose {@code SPARK_HOME/jars} holds Spark's own
 * jars and nothing of ours, so that the driver and the executors get Galapagos only from what spark-submit ships.
 * In each deploy mode the driver is SIGKILLed mid-search and the search is submitted again with {@code --resume}
 * the same way: every trial ends up in the journal exactly once, and the results recorded before the kill are
 * kept as they were.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class SparkSubmitIT {

    /** The folder of Spark's own jars (its Maven runtime classpath), the cluster's {@code SPARK_HOME/jars}. */
    static final String SPARK_JARS_PROPERTY = "galapagos.spark.jars";

    private static final int TRIALS = 12;

    private static StandaloneCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws IOException {
        Path sparkJars = Paths.get(System.getProperty(SPARK_JARS_PROPERTY, "")).toAbsolutePath();
        // one core for a cluster-mode driver, two for its executors
        cluster = StandaloneCluster.builder().name("SparkSubmitIT").sparkJarsOnly(sparkJars).workerCores(3)
                .start();
        Path bin = Files.createDirectories(cluster.sparkHome().resolve("bin"));
        Files.copy(GalapagosLauncher.repo().resolve("deploy/spark-home/bin/spark-submit"), bin.resolve("spark-submit"),
                StandardCopyOption.COPY_ATTRIBUTES);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Path config() throws IOException {
        // no spark.master: deploy/submit's --master applies
        return Files.writeString(dir.resolve("submitted.yaml"), """
                name: submitted
                seed: 5
                trials: %d
                parallelism: 2
                strategy: {kind: evolution, population: 6, sample_size: 3}
                space:
                  min_blocks: 1
                  max_blocks: 3
                  layers: [conv, maxpool, dense]
                  kernel_sizes: [3, 5]
                  filters: [8, 16]
                  dense_units: [16, 32]
                  activations: [relu, tanh]
                synthetic: {median_seconds: 0.4, sigma: 0}
                recovery: {snapshot_every: 3}
                spark:
                  conf:
                    spark.executor.cores: "1"
                    spark.cores.max: "2"
                    spark.executor.memory: 512m
                """.formatted(TRIALS));
    }

    /** Runs {@code deploy/submit --master <cluster> --deploy-mode MODE -- run-arguments...}. */
    private Process submit(String log, String mode, String... runArguments) throws IOException {
        List<String> args = new ArrayList<>(List.of("--master", cluster.masterUrl(), "--deploy-mode", mode, "--"));
        args.addAll(List.of(runArguments));
        return GalapagosLauncher.startScript("deploy/submit", cluster.environment(), dir.resolve(log),
                args.toArray(String[]::new));
    }

    private String finished(Process submission, String log) throws Exception {
        if (!submission.waitFor(240, TimeUnit.SECONDS)) {
            submission.destroyForcibly().waitFor();
        }
        String text = Files.readString(dir.resolve(log));
        assertEquals(0, submission.exitValue(), text + "\n" + cluster.logTails());
        return text;
    }

    @Test
    void clientModeKilledAndResubmittedWithResumeRecordsEveryTrialOnce() throws Exception {
        Path config = config();
        Path output = dir.resolve("client");
        Process driver = submit("client.log", "client", config.toString(), "--output", output.toString());
        JournalRecords.awaitResults(output, 4, driver::isAlive, () -> "see client.log\n" + cluster.logTails());
        // deploy/submit and spark-submit exec the driver's JVM: the process is the driver
        String commandLine = StandaloneCluster.commandLine(driver.toHandle());
        assertTrue(commandLine.contains("org.apache.spark.deploy.SparkSubmit"), commandLine);
        driver.destroyForcibly().waitFor();
        List<JsonNode> before = JournalRecords.of(output, "result");
        assertTrue(before.size() < TRIALS, "the driver finished before it was killed");

        Instant resubmitted = Instant.now();
        finished(submit("client-resume.log", "client", config.toString(), "--output", output.toString(), "--resume"),
                "client-resume.log");
        checkComplete("client", output, before, resubmitted);
    }

    @Test
    void clusterModeDriverKilledOnItsWorkerAndResubmittedWithResumeRecordsEveryTrialOnce() throws Exception {
        Path config = config();
        Path output = dir.resolve("cluster");
        // in cluster mode spark-submit returns once the Master has the driver; the Worker runs it
        finished(submit("cluster.log", "cluster", config.toString(), "--output", output.toString()), "cluster.log");
        ProcessHandle driver = awaitDriverProcess();
        JournalRecords.awaitResults(output, 4, driver::isAlive,
                () -> "see the driver's stderr in " + cluster.workerWorkDir() + "\n" + cluster.logTails());
        driver.destroyForcibly();
        driver.onExit().get(30, TimeUnit.SECONDS);
        String killedId = awaitDriverState(Optional.empty(), "FAILED");
        List<JsonNode> before = JournalRecords.of(output, "result");
        assertTrue(before.size() < TRIALS, "the driver finished before it was killed");

        Instant resubmitted = Instant.now();
        finished(submit("cluster-resume.log", "cluster", config.toString(), "--output", output.toString(), "--resume"),
                "cluster-resume.log");
        awaitDriverState(Optional.of(killedId), "FINISHED");
        checkComplete("cluster", output, before, resubmitted);
        assertTrue(Files.exists(output.resolve("report.html")), "the resumed search wrote no report");
    }

    private void checkComplete(String mode, Path output, List<JsonNode> before, Instant resubmitted) throws IOException {
        List<JsonNode> after = JournalRecords.of(output, "result");
        Set<Integer> numbers = new HashSet<>();
        after.forEach(r -> numbers.add(r.get("number").asInt()));
        assertEquals(TRIALS, after.size(), "results after the resume: " + after.size());
        assertEquals(TRIALS, numbers.size(), "a trial counted twice");
        assertEquals(before, after.subList(0, before.size()), "a result recorded before the kill changed");
        Instant first = after.subList(before.size(), after.size()).stream()
                .map(r -> Instant.parse(r.get("finished").asText())).min(Instant::compareTo).orElseThrow();
        System.out.printf(Locale.ROOT, "spark-submit --deploy-mode %s: driver SIGKILLed after %d of %d results, "
                        + "resubmitted with --resume: %d results, 0 duplicates, first new result %.2f s after the "
                        + "resubmission%n", mode, before.size(), TRIALS, after.size(),
                Duration.between(resubmitted, first).toMillis() / 1000.0);
    }


    /** The Worker's driver JVM, waiting until it runs. */
    private static ProcessHandle awaitDriverProcess() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> drivers = cluster.driverProcesses();
            if (!drivers.isEmpty()) {
                assertEquals(1, drivers.size(), "drivers: " + drivers);
                return drivers.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the Worker started no driver\n" + cluster.logTails());
    }

    /**
     * Waits until the Master lists a completed driver in {@code state} (other than {@code other}) and returns its id.
     */
    private static String awaitDriverState(Optional<String> other, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        Map<String, String> seen = new HashMap<>();
        while (System.nanoTime() < deadline) {
            for (JsonNode d : cluster.masterState().path("completeddrivers")) {
                String id = d.path("id").asText();
                seen.put(id, d.path("state").asText());
                if (state.equals(d.path("state").asText()) && other.map(o -> !o.equals(id)).orElse(true)) {
                    return id;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no driver ended " + state + "; completed drivers: " + seen + "\n" + cluster.logTails());
    }
}
