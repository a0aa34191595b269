package io.galapagos.it;

import io.galapagos.config.SparkSettings;
import io.galapagos.driver.execution.SparkContexts;
import io.galapagos.driver.execution.SparkTrialExecutor;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.TrialResult;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GPU-aware placement on a standalone cluster whose Worker offers two (pretend) GPUs, addresses "0" and "1",
 * found by a discovery script: Spark assigns each trial's task GPU addresses, and every result records the
 * ones its task got ({@link Execution#gpus()}). With one GPU per task, trials that run at the same time hold
 * different GPUs; with half a GPU per task, at most two trials share a GPU at any moment. No CUDA is needed:
 * the placement is Spark's, the recording is ours. One cluster (a 4-core Worker) serves both applications,
 * one after the other.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class GpuPlacementIT {

    private static final Set<String> GPUS = Set.of("0", "1");
    private static final String ARCHITECTURE = "conv3x3x16:relu/maxpool/dense10:relu";

    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.builder().name("GpuPlacementIT").workerCores(4).workerMemory("2g")
                .workerResource("gpu", "0", "1").start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void oneGpuPerTrialAndConcurrentTrialsOnDifferentGpus() throws Exception {
        JavaSparkContext sc = SparkContexts.create(settings(2, "1"), "GpuPlacementIT-whole");
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, new WhereAmIRunnerFactory(3000),
                Duration.ofSeconds(60))) {
            assertEquals(2, executor.slots(), "2 cores, 2 GPUs, 1 GPU per task\n" + cluster.logTails());
            List<Execution> runs = runTrials(executor, 6);
            for (Execution e : runs) {
                assertEquals(1, e.gpus().size(), "one GPU per trial: " + e);
                assertTrue(GPUS.contains(e.gpus().get(0)), "a GPU the Worker has: " + e);
            }
            int overlapping = 0;
            for (int i = 0; i < runs.size(); i++) {
                for (int j = i + 1; j < runs.size(); j++) {
                    if (overlap(runs.get(i), runs.get(j))) {
                        overlapping++;
                        assertNotEquals(runs.get(i).gpus(), runs.get(j).gpus(),
                                "trials running at the same time share a GPU:\n" + runs.get(i) + "\n" + runs.get(j));
                    }
                }
            }
            assertTrue(overlapping > 0, "two trials ran at a time: " + runs);
            assertEquals(GPUS, usedGpus(runs), "both GPUs were used");
        } finally {
            sc.stop();
        }
    }

    @Test
    void halfAGpuPerTrialSharesEachGpuBetweenTwo() throws Exception {
        JavaSparkContext sc = SparkContexts.create(settings(4, "0.5"), "GpuPlacementIT-half");
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, new WhereAmIRunnerFactory(3000),
                Duration.ofSeconds(60))) {
            assertEquals(4, executor.slots(), "4 cores, 2 GPUs, half a GPU per task\n" + cluster.logTails());
            List<Execution> runs = runTrials(executor, 8);
            Map<String, List<Execution>> byGpu = new HashMap<>();
            for (Execution e : runs) {
                assertEquals(1, e.gpus().size(), "one GPU address per trial: " + e);
                assertTrue(GPUS.contains(e.gpus().get(0)), "a GPU the Worker has: " + e);
                byGpu.computeIfAbsent(e.gpus().get(0), g -> new ArrayList<>()).add(e);
            }
            assertEquals(GPUS, byGpu.keySet(), "both GPUs were used");
            int mostSharing = 0;
            for (Map.Entry<String, List<Execution>> gpu : byGpu.entrySet()) {
                int peak = peakConcurrency(gpu.getValue());
                assertTrue(peak <= 2, "at most two trials at a time on GPU " + gpu.getKey() + ": " + gpu.getValue());
                mostSharing = Math.max(mostSharing, peak);
            }
            assertEquals(2, mostSharing, "two trials shared a GPU at some moment: " + runs);
            assertTrue(peakConcurrency(runs) > 2, "more trials ran at once than there are GPUs: " + runs);
        } finally {
            sc.stop();
        }
    }

    /** One executor of {@code cores} cores holding both GPUs, each task {@code taskGpus} of a GPU. */
    private static SparkSettings settings(int cores, String taskGpus) throws URISyntaxException {
        return new SparkSettings(cluster.masterUrl(), Map.of(
                "spark.executor.cores", String.valueOf(cores),
                "spark.cores.max", String.valueOf(cores),
                "spark.executor.memory", "512m",
                "spark.executor.resource.gpu.amount", "2",
                "spark.executor.resource.gpu.discoveryScript", cluster.discoveryScript("gpu").toString(),
                "spark.task.resource.gpu.amount", taskGpus,
                "spark.executor.extraClassPath", testClasses().toString(),
                "spark.driver.host", StandaloneCluster.HOST,
                "spark.driver.bindAddress", StandaloneCluster.HOST));
    }

    /** Submits {@code count} trials at once and returns their executions, in trial order. */
    private static List<Execution> runTrials(SparkTrialExecutor executor, int count) throws Exception {
        List<CompletableFuture<TrialResult>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(executor.submit(new Candidate(i, Architecture.parse(ARCHITECTURE), Candidate.seedFor(3, i))));
        }
        long self = ProcessHandle.current().pid();
        List<Execution> runs = new ArrayList<>();
        for (CompletableFuture<TrialResult> future : futures) {
            TrialResult result = future.get(60, TimeUnit.SECONDS);
            assertInstanceOf(TrialResult.Completed.class, result, result::toString);
            assertNotEquals("driver", result.execution().executor(), result::toString);
            assertNotEquals(self, result.execution().pid(), "ran in the test JVM: " + result);
            runs.add(result.execution());
        }
        return runs;
    }

    private static boolean overlap(Execution a, Execution b) {
        return a.started().isBefore(b.finished()) && b.started().isBefore(a.finished());
    }

    /** The most executions running at one moment (one that finishes as another starts does not overlap it). */
    static int peakConcurrency(List<Execution> runs) {
        List<Map.Entry<Instant, Integer>> events = new ArrayList<>();
        for (Execution e : runs) {
            events.add(Map.entry(e.started(), 1));
            events.add(Map.entry(e.finished(), -1));
        }
        events.sort(Comparator.<Map.Entry<Instant, Integer>, Instant>comparing(Map.Entry::getKey)
                .thenComparing(Map.Entry::getValue));
        int now = 0;
        int peak = 0;
        for (Map.Entry<Instant, Integer> event : events) {
            now += event.getValue();
            peak = Math.max(peak, now);
        }
        return peak;
    }

    private static Set<String> usedGpus(List<Execution> runs) {
        Set<String> used = new TreeSet<>();
        runs.forEach(e -> used.addAll(e.gpus()));
        return used;
    }

    /** The folder this class was loaded from: the executors' extra classpath. */
    private static Path testClasses() throws URISyntaxException {
        return Paths.get(WhereAmIRunnerFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
