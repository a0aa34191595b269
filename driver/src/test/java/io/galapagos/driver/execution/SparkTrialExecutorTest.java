package io.galapagos.driver.execution;

import io.galapagos.config.SparkSettings;
import io.galapagos.driver.strategy.RandomSearch;
import io.galapagos.config.SchedulingConfig;
import io.galapagos.driver.study.Study;
import io.galapagos.driver.study.StudyOutcome;
import io.galapagos.space.TestSpaces;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import org.apache.spark.JobExecutionStatus;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On {@code local[2]}, configured as searches configure Spark (Kryo, registration required). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SparkTrialExecutorTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = SparkContexts.create(new SparkSettings("local[2]", Map.of(
                "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1")), "SparkTrialExecutorTest");
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void slotsOfALocalMasterAreItsCores() {
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, new ExecutionTestTrials.BarrierFactory())) {
            assertEquals(2, executor.slots());
        }
    }

    @Test
    void twoTrialsRunAtOnceInTheirOwnJobGroups() throws Exception {
        ExecutionTestTrials.reset(2);
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, new ExecutionTestTrials.BarrierFactory())) {
            CompletableFuture<TrialResult> first = executor.submit(ExecutionTestTrials.candidate(10));
            CompletableFuture<TrialResult> second = executor.submit(ExecutionTestTrials.candidate(11));
            TrialResult a = first.get(60, TimeUnit.SECONDS);
            TrialResult b = second.get(60, TimeUnit.SECONDS);
            assertInstanceOf(TrialResult.Completed.class, a, () -> a.toString());
            assertInstanceOf(TrialResult.Completed.class, b, () -> b.toString());
            assertEquals(ExecutionTestTrials.candidate(10), a.candidate());
            assertEquals(ExecutionTestTrials.candidate(11), b.candidate());
            assertEquals(0.61, b.metrics().require("val_accuracy"));
            assertTrue(a.execution().executor().matches("local-task-\\d+"),
                    "local mode names the Spark task that ran it: " + a.execution().executor());
            assertEquals(Map.of(10, "trial-0010", 11, "trial-0011"), ExecutionTestTrials.JOB_GROUPS);
            for (String group : List.of("trial-0010", "trial-0011")) {
                awaitJobStatus(jobOf(group), JobExecutionStatus.SUCCEEDED);
            }
            assertTrue(executor.running().isEmpty());
        }
    }

    @Test
    void closeCancelsRunningJobs() throws Exception {
        ExecutionTestTrials.reset(2);
        SparkTrialExecutor executor = new SparkTrialExecutor(sc, ExecutionTestTrials.SleepingFactory.blocking());
        CompletableFuture<TrialResult> first = executor.submit(ExecutionTestTrials.candidate(20));
        CompletableFuture<TrialResult> second = executor.submit(ExecutionTestTrials.candidate(21));
        assertTrue(ExecutionTestTrials.started.await(30, TimeUnit.SECONDS), "both trials started");
        executor.close();
        assertThrows(CancellationException.class, () -> first.get(10, TimeUnit.SECONDS));
        assertThrows(CancellationException.class, () -> second.get(10, TimeUnit.SECONDS));
        awaitInterrupts(2);
        for (String group : List.of("trial-0020", "trial-0021")) {
            awaitJobStatus(jobOf(group), JobExecutionStatus.FAILED);
        }
        assertThrows(IllegalStateException.class, () -> executor.submit(ExecutionTestTrials.candidate(22)));
    }

    @Test
    void cancellingAFutureCancelsItsJob() throws Exception {
        ExecutionTestTrials.reset(1);
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, ExecutionTestTrials.SleepingFactory.blocking())) {
            CompletableFuture<TrialResult> future = executor.submit(ExecutionTestTrials.candidate(30));
            assertTrue(ExecutionTestTrials.started.await(30, TimeUnit.SECONDS));
            assertThrows(IllegalArgumentException.class, () -> executor.submit(ExecutionTestTrials.candidate(30)),
                    "a trial id runs once at a time");
            future.cancel(true);
            awaitInterrupts(1);
            awaitJobStatus(jobOf("trial-0030"), JobExecutionStatus.FAILED);
        }
    }

    @Test
    void aBatchRunsInOneJobOfOneTaskAndReturnsItsResultsInOrder() throws Exception {
        ExecutionTestTrials.reset(1);
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, new ExecutionTestTrials.BarrierFactory())) {
            List<Candidate> batch = List.of(ExecutionTestTrials.candidate(60), ExecutionTestTrials.candidate(61),
                    ExecutionTestTrials.candidate(62));
            List<TrialResult> results = executor.submitBatch(batch).get(60, TimeUnit.SECONDS);
            assertEquals(batch, results.stream().map(TrialResult::candidate).toList());
            assertEquals(Map.of(60, "trial-0060+2", 61, "trial-0060+2", 62, "trial-0060+2"), ExecutionTestTrials.JOB_GROUPS);
            assertEquals(1, ExecutionTestTrials.RUNNERS_CREATED.get(), "one task, one runner, three trials");
            awaitJobStatus(jobOf("trial-0060+2"), JobExecutionStatus.SUCCEEDED);
            assertTrue(executor.running().isEmpty());
        }
    }

    @Test
    void aStudyDeadlineCancelsTheTrialsJobAndRecordsATimeout() throws Exception {
        ExecutionTestTrials.reset(1);
        SchedulingConfig deadline = SchedulingConfig.STEADY.withTrialTimeout(Duration.ofMillis(1500));
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, ExecutionTestTrials.SleepingFactory.blocking())) {
            StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 1, 1, 70, List.of(),
                    () -> false, deadline).run();
            TrialResult result = outcome.results().get(0);
            assertInstanceOf(TrialResult.Failed.class, result);
            assertTrue(result.reason().startsWith(Study.TIMEOUT_REASON), result.reason());
            awaitInterrupts(1);
            awaitJobStatus(jobOf("trial-0000"), JobExecutionStatus.FAILED);
        }
    }

    /** On two cores the third trial waits: it is told begun only when its task is launched, not when handed over. */
    @Test
    void aTrialIsToldBegunWhenItsTaskIsLaunched() throws Exception {
        ExecutionTestTrials.reset(2);
        List<Integer> begun = new CopyOnWriteArrayList<>();
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, ExecutionTestTrials.SleepingFactory.blocking())) {
            List<CompletableFuture<TrialResult>> futures = new ArrayList<>();
            for (int n = 40; n < 43; n++) {
                int number = n;
                futures.add(executor.submit(ExecutionTestTrials.candidate(n), () -> begun.add(number)));
            }
            assertTrue(ExecutionTestTrials.started.await(30, TimeUnit.SECONDS), "two trials started");
            awaitSize(begun, 2);
            Thread.sleep(500);
            assertEquals(2, begun.size(), "the third trial waits for a core: " + begun);
            futures.get(begun.get(0) - 40).cancel(true); // a running one: Spark need not launch them in order
            awaitSize(begun, 3);
            assertEquals(Set.of(40, 41, 42), Set.copyOf(begun));
            futures.forEach(f -> f.cancel(true));
        }
    }

    /**
     * Four trials of 2 s on two cores, all four handed over at once: the last two wait 2 s for a core, and their 3 s
     * deadline counts from their tasks' launch, so all four complete (from the hand-over, the last two would be cut).
     */
    @Test
    void aStudyDeadlineDoesNotCountATrialsWaitForACore() throws Exception {
        SchedulingConfig deadline = SchedulingConfig.STEADY.withBatching(SchedulingConfig.Batching.OFF)
                .withTrialTimeout(Duration.ofMillis(3000));
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, new ExecutionTestTrials.SleepingFactory(2000))) {
            StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 4, 4, 70, List.of(),
                    () -> false, deadline).run();
            assertEquals(4, outcome.results().size());
            assertTrue(outcome.results().stream().allMatch(r -> r instanceof TrialResult.Completed),
                    outcome.results()::toString);
        }
    }

    @Test
    void aFailedJobFailsTheFuture() {
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, new ExecutionTestTrials.BrokenFactory())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> executor.submit(ExecutionTestTrials.candidate(40)).get(60, TimeUnit.SECONDS));
            TrialExecutionException failure = assertInstanceOf(TrialExecutionException.class, e.getCause());
            assertEquals("trial-0040", failure.trialId());
            assertTrue(failure.getMessage().contains("data set not found"), failure.getMessage());
        }
    }

    @Test
    void aThrowingRunnerGivesAFailedResult() throws Exception {
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, new ExecutionTestTrials.ThrowingFactory())) {
            TrialResult result = executor.submit(ExecutionTestTrials.candidate(50)).get(60, TimeUnit.SECONDS);
            TrialResult.Failed failed = assertInstanceOf(TrialResult.Failed.class, result);
            assertTrue(failed.reason().contains("bug for trial-0050"), failed.reason());
        }
    }

    @Test
    void theExecutorWaitComesFromTheSparkConf() {
        SparkConf conf = new SparkConf(false);
        assertEquals(Duration.ofSeconds(60), SparkTrialExecutor.configuredWait(conf));
        assertEquals(Duration.ofMinutes(2), SparkTrialExecutor.configuredWait(conf.clone().set(SparkTrialExecutor.EXECUTOR_WAIT_KEY, "2min")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrialExecutor.configuredWait(conf.clone().set(SparkTrialExecutor.EXECUTOR_WAIT_KEY, "soon")));
        assertTrue(e.getMessage().contains("'soon'"), e.getMessage());
    }

    private static void awaitInterrupts(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ExecutionTestTrials.INTERRUPTED.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, ExecutionTestTrials.INTERRUPTED.get(), "task threads interrupted by the cancellation");
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(size, list.size(), list::toString);
    }

    /** The one job of a job group; the status tracker learns of jobs asynchronously, hence the wait. */
    private static int jobOf(String group) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sc.statusTracker().getJobIdsForGroup(group).length == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int[] jobs = sc.statusTracker().getJobIdsForGroup(group);
        assertEquals(1, jobs.length, "one job in " + group);
        return jobs[0];
    }

    private static void awaitJobStatus(int job, JobExecutionStatus status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sc.statusTracker().getJobInfo(job).status() != status && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(status, sc.statusTracker().getJobInfo(job).status());
    }
}
