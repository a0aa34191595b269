package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real faults on a real standalone cluster (two one-core executor JVMs): an executor JVM killed with
 * SIGKILL while it trains, and the driver JVM killed with SIGKILL mid-study and then resumed (also with a
 * torn journal line and a damaged snapshot). Trials are synthetic (they sleep), so the timing is
 * predictable; each test prints its figures: faults injected, results expected and found, duplicates,
 * time to recover.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class FaultToleranceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static StandaloneCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.builder().name("FaultToleranceIT").start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Path config(String name, int trials, int parallelism, double seconds) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                seed: 21
                trials: %d
                parallelism: %d
                strategy: {kind: evolution, population: 6, sample_size: 3}
                space:
                  min_blocks: 1
                  max_blocks: 5
                  layers: [conv, maxpool, dense]
                  kernel_sizes: [3, 5]
                  filters: [8, 16, 32]
                  dense_units: [16, 32]
                  activations: [relu, tanh]
                  batch_norm: [false, true]
                  dropout: [0.0, 0.25]
                  skip_modes: [add, concat]
                synthetic: {median_seconds: %s, sigma: 0}
                recovery: {snapshot_every: 3}
                spark:
                  conf:
                    spark.executor.cores: "1"
                    spark.cores.max: "2"
                    spark.executor.memory: 512m
                    spark.driver.host: %s
                """.formatted(name, trials, parallelism, seconds, StandaloneCluster.HOST));
    }

    private static void awaitResults(Path output, int count, Process driver) throws Exception {
        JournalRecords.awaitResults(output, count, driver::isAlive, cluster::logTails);
    }

    private static int duplicates(List<JsonNode> results) {
        Set<Integer> numbers = new HashSet<>();
        int duplicates = 0;
        for (JsonNode r : results) {
            duplicates += numbers.add(r.get("number").asInt()) ? 0 : 1;
        }
        return duplicates;
    }

    private static void figures(String test, int faults, int expected, List<JsonNode> results, Duration recovery) {
        System.out.printf(Locale.ROOT, "%s: faults injected %d, results expected %d, found %d, duplicates %d, "
                + "time to recover %.2f s%n", test, faults, expected, results.size(), duplicates(results),
                recovery.toMillis() / 1000.0);
    }

    private GalapagosLauncher.Finished galapagos(String log, String... args) throws Exception {
        return GalapagosLauncher.run(cluster.environment(), dir.resolve(log), 300, args);
    }

    /**
     * Finds, through the driver's Spark UI, a trial whose one Spark task has been running on an executor for
     * 0.2 to 0.7 s of its 3 s, SIGKILLs that executor's JVM, and follows the trial: Spark lost its task
     * (or the study ran it again), and it finished exactly once, on another executor JVM, after the kill.
     * The time to recover is from the kill to that trial's result.
     */
    @Test
    void anExecutorKilledWhileItTrainsCostsNoResultAndCountsItsTrialOnce() throws Exception {
        int trials = 12;
        int uiPort = StandaloneCluster.freePort();
        Path output = dir.resolve("executor-kill");
        Path config = Files.writeString(dir.resolve("executor-kill.yaml"), Files.readString(config("executor-kill",
                trials, 0, 3.0)) + """
                    spark.ui.enabled: "true"
                    spark.ui.port: "%d"
                """.formatted(uiPort));
        Process driver = GalapagosLauncher.start(cluster.environment(), dir.resolve("executor-kill.log"), "run",
                config.toString(), "--master", cluster.masterUrl(), "--output", output.toString());
        awaitResults(output, 3, driver);
        SparkUi ui = new SparkUi("http://" + StandaloneCluster.HOST + ":" + uiPort);
        RunningTrial target = ui.awaitTrialRunningFor(Duration.ofMillis(200), Duration.ofMillis(700),
                Duration.ofSeconds(60), driver);
        Map<String, ProcessHandle> executors = cluster.executorsById();
        assertEquals(2, executors.size(), executors + "\n" + cluster.logTails());
        ProcessHandle victim = executors.get(target.executor());
        assertNotNull(victim, target + " runs on an executor the Worker does not run: " + executors.keySet());
        assertTrue(JournalRecords.of(output, "result").stream().noneMatch(r -> r.get("trial").asText().equals(target.trial())),
                target.trial() + " had finished before the kill");
        Instant killed = Instant.now();
        assertTrue(victim.destroyForcibly(), "SIGKILL the executor");
        victim.onExit().get(10, TimeUnit.SECONDS);
        // the trials sleep 3 s, so that a stall of the test JVM between finding the target and killing it cannot
        // make the kill miss a running trial
        assertTrue(Duration.between(target.launched(), killed).compareTo(Duration.ofMillis(2900)) < 0,
                "the kill came after " + target + " could have ended (its trials sleep 3 s): " + killed);
        assertTrue(driver.waitFor(240, TimeUnit.SECONDS), "the search did not finish after the executor died");
        String log = Files.readString(dir.resolve("executor-kill.log"));
        assertEquals(0, driver.exitValue(), log + "\n" + cluster.logTails());
        String story = "killed executor " + target.executor() + " (pid " + victim.pid() + ") running " + target
                + " at " + killed + "\n" + log;

        List<JsonNode> results = JournalRecords.of(output, "result");
        assertEquals(trials, results.size(), story);
        assertEquals(0, duplicates(results), "a trial counted twice");
        assertTrue(results.stream().allMatch(r -> r.get("status").asText().equals("completed")), story);
        assertFalse(results.stream().anyMatch(r -> r.get("pid").asLong() == victim.pid()
                && Instant.parse(r.get("finished").asText()).isAfter(killed)), "a result from a dead JVM");
        // the killed trial: retried, by Spark (its task lost with the executor) or by the study
        Optional<String> retry = log.lines().filter(l -> l.contains("Lost task") && l.contains(" in stage "
                + target.stage() + ".") && l.contains("executor " + target.executor())
                || l.contains(target.trial() + " could not run")).findFirst();
        assertTrue(retry.isPresent(), "no retry of " + target.trial() + " in the driver's log: " + story);
        List<JsonNode> own = results.stream().filter(r -> r.get("trial").asText().equals(target.trial())).toList();
        assertEquals(1, own.size(), "the killed trial's results: " + own);
        JsonNode result = own.get(0);
        assertNotEquals(target.executor(), result.get("executor").asText(), "finished on the killed executor: " + result);
        assertNotEquals(victim.pid(), result.get("pid").asLong(), "finished in the killed JVM: " + result);
        Instant started = Instant.parse(result.get("started").asText());
        Instant recovered = Instant.parse(result.get("finished").asText());
        assertTrue(started.isAfter(killed), "its result is of a run that started after the kill: " + result);
        System.out.printf(Locale.ROOT, "executor SIGKILL: %s had run on executor %s for %d ms when it was killed;"
                        + " retried (%s); finished on executor %s%n", target.trial(), target.executor(),
                Duration.between(target.launched(), killed).toMillis(), retry.get().strip(),
                result.get("executor").asText());
        figures("executor SIGKILL", 1, trials, results, Duration.between(killed, recovered));
    }

    /** A trial's Spark task as the driver's UI shows it while it runs. */
    private record RunningTrial(String trial, int stage, String executor, Instant launched) {
    }

    /** The driver's Spark UI REST API ({@code /api/v1}), for what the journal cannot say until a trial ends. */
    private static final class SparkUi {
        private final String root;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        SparkUi(String root) {
            this.root = root + "/api/v1/applications";
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(root + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(root + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        }

        /**
         * Waits for a trial (a job group {@code trial-NNNN}: one trial, not a batch) whose task has been
         * running for at least {@code least} and less than {@code most}, and returns it.
         */
        RunningTrial awaitTrialRunningFor(Duration least, Duration most, Duration timeout, Process driver)
                throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            String app = null;
            Exception last = null;
            while (System.nanoTime() < deadline && driver.isAlive()) {
                try {
                    if (app == null) {
                        app = get("").get(0).get("id").asText();
                    }
                    for (JsonNode job : get("/" + app + "/jobs?status=running")) {
                        String group = job.path("jobGroup").asText();
                        if (!group.matches("trial-\\d+") || job.path("stageIds").size() != 1) {
                            continue;
                        }
                        int stage = job.get("stageIds").get(0).asInt();
                        for (JsonNode task : get("/" + app + "/stages/" + stage + "/0/taskList")) {
                            if (!task.path("status").asText().equals("RUNNING")) {
                                continue;
                            }
                            // e.g. 2026-11-30T07:17:36.458GMT
                            Instant launched = Instant.parse(task.get("launchTime").asText().replace("GMT", "Z"));
                            Duration running = Duration.between(launched, Instant.now());
                            if (running.compareTo(least) >= 0 && running.compareTo(most) < 0) {
                                return new RunningTrial(group, stage, task.get("executorId").asText(), launched);
                            }
                        }
                    }
                } catch (IOException e) {
                    last = e;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no trial seen starting on an executor through " + root + "; driver alive: "
                    + driver.isAlive(), last);
        }
    }

    @Test
    void aDriverKilledMidStudyResumesToTheResultsOfAnUninterruptedRun() throws Exception {
        int trials = 16;
        // synchronous: one trial at a time, and no batching, whose sizes follow measured timings
        Path config = Files.writeString(dir.resolve("driver-kill.yaml"), Files.readString(config("driver-kill", trials, 1, 0.3))
                + "scheduling: {batching: off}\n");
        Path reference = dir.resolve("reference");
        GalapagosLauncher.Finished whole = galapagos("reference.log", "run", config.toString(), "--master",
                cluster.masterUrl(), "--output", reference.toString());
        assertEquals(0, whole.exitCode(), whole.log());

        Path output = dir.resolve("killed");
        Process driver = GalapagosLauncher.start(cluster.environment(), dir.resolve("killed.log"), "run",
                config.toString(), "--master", cluster.masterUrl(), "--output", output.toString());
        awaitResults(output, 7, driver);
        driver.destroyForcibly().waitFor();
        List<JsonNode> before = JournalRecords.of(output, "result");
        assertTrue(before.size() < trials, "the driver finished before it was killed");

        Instant resumeStarted = Instant.now();
        GalapagosLauncher.Finished resumed = galapagos("resume.log", "resume", output.toString(), "--master",
                cluster.masterUrl());
        assertEquals(0, resumed.exitCode(), resumed.log() + "\n" + cluster.logTails());
        // known dead by its process on this machine: taken over at once, not after waiting for a silence
        assertTrue(resumed.log().contains("taking it over from a driver that has ended on this machine (pid "
                + driver.pid() + " "), resumed.log());
        List<JsonNode> after = JournalRecords.of(output, "result");
        assertEquals(trials, after.size(), resumed.log());
        assertEquals(0, duplicates(after), "a trial counted twice");
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i), after.get(i), "a result recorded before the kill changed");
        }
        String story = "\nkilled run:\n" + Files.readString(dir.resolve("killed.log")) + "\nresume:\n" + resumed.log()
                + "\nreference:\n" + whole.log();
        assertEquals(JournalRecords.of(reference, "result").stream().map(r -> r.get("trial").asText() + " "
                        + r.get("status").asText() + " " + r.get("architecture").asText()).toList(),
                after.stream().map(r -> r.get("trial").asText() + " " + r.get("status").asText() + " "
                        + r.get("architecture").asText()).toList(), story);
        assertEquals(best(reference), best(output), "the resumed search found another best than the uninterrupted one");
        figures("driver SIGKILL + resume", 1, trials, after, firstResultAfter(after, before.size(), resumeStarted));
    }

    /**
     * While a driver writes a search, a resume of its folder (a nightly job started while last night's still runs) and a
     * new search in it are refused, naming that driver, and leave its search alone.
     */
    @Test
    void aSecondDriverIsRefusedTheFolderOfALiveOne() throws Exception {
        Path output = dir.resolve("claimed");
        Process driver = GalapagosLauncher.start(cluster.environment(), dir.resolve("claimed.log"), "run",
                config("claimed", 8, 1, 5).toString(), "--master", cluster.masterUrl(), "--output", output.toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // searching: its journal begun, so that nothing but the claim can refuse the second driver
            while (!Files.exists(output.resolve("journal.jsonl")) && driver.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(driver.isAlive(), Files.readString(dir.resolve("claimed.log")));
            String live = "is being searched by a live driver (pid " + driver.pid() + " on ";
            GalapagosLauncher.Finished resume = galapagos("claimed-resume.log", "resume", output.toString(),
                    "--master", cluster.masterUrl());
            assertEquals(75, resume.exitCode(), resume.log());
            assertTrue(resume.log().contains(live), resume.log());
            GalapagosLauncher.Finished run = galapagos("claimed-run.log", "run", dir.resolve("claimed.yaml").toString(),
                    "--master", cluster.masterUrl(), "--output", output.toString());
            assertEquals(75, run.exitCode(), run.log());
            assertTrue(run.log().contains(live), run.log());
            assertTrue(driver.isAlive(), "the refusals stopped the live driver: " + Files.readString(dir.resolve("claimed.log")));
            assertTrue(Files.readString(output.resolve(".driver-lease.json")).contains("\"pid\":" + driver.pid() + ","),
                    "the live driver keeps its claim");
        } finally {
            driver.destroyForcibly().waitFor();
        }
    }

    @Test
    void aTornJournalLineAndADamagedSnapshotAreReportedAndSkipped() throws Exception {
        int trials = 16;
        Path config = config("torn", trials, 1, 0.2);
        Path output = dir.resolve("torn");
        Process driver = GalapagosLauncher.start(cluster.environment(), dir.resolve("torn.log"), "run",
                config.toString(), "--master", cluster.masterUrl(), "--output", output.toString());
        awaitResults(output, 8, driver);
        driver.destroyForcibly().waitFor();
        Path journal = output.resolve("journal.jsonl");
        String text = Files.readString(journal);
        String last = text.substring(text.lastIndexOf('\n', text.length() - 2) + 1);
        Files.writeString(journal, text.substring(0, text.length() - last.length()) + last.substring(0, last.length() / 2));
        Path newest;
        try (Stream<Path> snapshots = Files.list(output.resolve("snapshots"))) {
            newest = snapshots.max(Comparator.naturalOrder()).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x33;
        Files.write(newest, bytes);
        List<JsonNode> before = JournalRecords.of(output, "result");

        Instant resumeStarted = Instant.now();
        GalapagosLauncher.Finished resumed = galapagos("torn-resume.log", "resume", output.toString(), "--master",
                cluster.masterUrl());
        assertEquals(0, resumed.exitCode(), resumed.log());
        assertTrue(resumed.log().contains("journal.jsonl: line") && resumed.log().contains("is torn"), resumed.log());
        assertTrue(resumed.log().contains(newest.getFileName() + " is damaged"), resumed.log());
        List<JsonNode> after = JournalRecords.of(output, "result");
        assertEquals(trials, after.size(), resumed.log());
        assertEquals(0, duplicates(after));
        assertTrue(after.containsAll(before), "a result before the fault was lost");
        figures("torn journal line + damaged snapshot + resume", 2, trials, after,
                firstResultAfter(after, before.size(), resumeStarted));
    }

    @Test
    void aWarmStartedSearchAnswersKnownArchitecturesFromTheEarlierResults() throws Exception {
        Path config = Files.writeString(dir.resolve("warm.yaml"), Files.readString(config("warm", 10, 0, 0.2))
                .replace("max_blocks: 5", "max_blocks: 1").replace("filters: [8, 16, 32]", "filters: [8]"));
        Path first = dir.resolve("first");
        assertEquals(0, galapagos("first.log", "run", config.toString(), "--master", cluster.masterUrl(),
                "--output", first.toString()).exitCode());
        GalapagosLauncher.Finished second = galapagos("second.log", "run", config.toString(), "--master",
                cluster.masterUrl(), "--output", dir.resolve("second").toString(), "--warm-start", first.toString(),
                "--set", "seed=22");
        assertEquals(0, second.exitCode(), second.log());
        long cached = JournalRecords.of(dir.resolve("second"), "result").stream()
                .filter(r -> r.get("executor").asText().equals("cache")).count();
        assertTrue(cached > 0, second.log());
        assertTrue(second.log().contains(cached + " trials were answered from the warm start's results"), second.log());
    }

    private static String best(Path output) throws IOException {
        return JournalRecords.of(output, "result").stream()
                .max(Comparator.comparingDouble(r -> r.get("metrics").get("score").asDouble()))
                .map(r -> r.get("trial").asText() + " " + r.get("architecture").asText()).orElseThrow();
    }

    /** From the resume's start to its session's first result. */
    private static Duration firstResultAfter(List<JsonNode> results, int recorded, Instant resumeStarted) {
        Instant first = results.subList(recorded, results.size()).stream()
                .map(r -> Instant.parse(r.get("finished").asText())).min(Comparator.naturalOrder()).orElseThrow();
        return Duration.between(resumeStarted, first);
    }
}
