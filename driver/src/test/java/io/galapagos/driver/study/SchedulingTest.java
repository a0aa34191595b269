package io.galapagos.driver.study;

import io.galapagos.config.SchedulingConfig;
import io.galapagos.driver.execution.InProcessTrialExecutor;
import io.galapagos.driver.execution.TrialExecutor;
import io.galapagos.driver.strategy.RandomSearch;
import io.galapagos.driver.strategy.RegularizedEvolution;
import io.galapagos.space.TestSpaces;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steady state, ordered and generations, deadlines, slots that change, batching. */
@Timeout(60)
class SchedulingTest {

    /** Takes {@code millis} of wall time and reports its real start and end. */
    private static TrialResult timed(Candidate c, long micros) {
        Instant started = Instant.now();
        Pause.nanos(TimeUnit.MICROSECONDS.toNanos(micros));
        return new TrialResult.Completed(c, Metrics.EMPTY.with(Metrics.VAL_ACCURACY, c.number() / 1e4),
                new Execution("test", "localhost", 1, started, Instant.now()));
    }

    private static Study study(ScriptedExecutor executor, int trials, int parallelism, SchedulingConfig scheduling,
                               StudyListener... listeners) {
        return new Study(new RandomSearch(TestSpaces.rich(), 1), executor, trials, parallelism, 3,
                List.of(listeners), () -> false, scheduling);
    }

    @Test
    void aTrialPastItsDeadlineIsCancelledRecordedAsTimeoutAndItsSlotReusedAtOnce() throws InterruptedException {
        AtomicBoolean interrupted = new AtomicBoolean();
        TrialRunner runner = c -> {
            Instant started = Instant.now();
            try {
                Thread.sleep(c.number() == 1 ? 60_000 : 20);
            } catch (InterruptedException e) {
                interrupted.set(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("cancelled", e);
            }
            return new TrialResult.Completed(c, Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.5),
                    new Execution("test", "localhost", 1, started, Instant.now()));
        };
        SchedulingConfig deadline = SchedulingConfig.STEADY.withTrialTimeout(Duration.ofMillis(400));
        long start = System.nanoTime();
        StudyOutcome outcome;
        try (InProcessTrialExecutor executor = new InProcessTrialExecutor(runner, 3)) {
            outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 30, 2, 3, List.of(),
                    () -> false, deadline).run();
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "the study waited for the hung trial");
        assertEquals(30, outcome.results().size());
        TrialResult hung = outcome.results().stream().filter(r -> r.candidate().number() == 1).findFirst().orElseThrow();
        assertTrue(hung instanceof TrialResult.Failed, hung.toString());
        assertTrue(hung.reason().startsWith(Study.TIMEOUT_REASON), hung.reason());
        assertTrue(hung.execution().duration().toMillis() >= 400, hung.execution().toString());
        assertTrue(interrupted.get(), "the hung trial's thread was not interrupted");
        long completed = outcome.results().stream().filter(r -> r instanceof TrialResult.Completed).count();
        assertEquals(29, completed);
        // the freed slot ran more trials after the timeout, while the hung trial would still have slept
        int slot = hung.execution().slot();
        assertTrue(outcome.results().stream().anyMatch(r -> r.execution().slot() == slot
                && !r.execution().started().isBefore(hung.execution().finished())));
        assertTrue(outcome.results().stream().allMatch(r -> r.execution().slot() == 0 || r.execution().slot() == 1));
    }

    /**
     * Three trials of 1.5 s each on one thread, two handed over at a time: each waits up to 1.5 s for the thread, and
     * its deadline of 2.5 s counts from when the thread takes it up, so none is timed out for its wait.
     */
    @Test
    void aTrialsDeadlineCountsFromItsStartNotFromItsWaitForASlot() throws InterruptedException {
        TrialRunner runner = c -> timed(c, 1_500_000);
        SchedulingConfig deadline = SchedulingConfig.STEADY.withTrialTimeout(Duration.ofMillis(2500));
        try (InProcessTrialExecutor executor = new InProcessTrialExecutor(runner, 1)) {
            StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 3, 2, 3, List.of(),
                    () -> false, deadline).run();
            assertEquals(3, outcome.results().size());
            assertTrue(outcome.results().stream().allMatch(r -> r instanceof TrialResult.Completed),
                    outcome.results()::toString);
        }
    }

    /** A dispatch its executor never begins (no slot ever frees) is cancelled once the timeout passes, and says so. */
    @Test
    void aTrialThatNeverBeginsIsCancelledAtItsDeadlineAsNotBegun() throws InterruptedException {
        CompletableFuture<TrialResult> waiting = new CompletableFuture<>();
        TrialExecutor neverBegins = new TrialExecutor() {
            @Override
            public int slots() {
                return 1;
            }

            @Override
            public CompletableFuture<TrialResult> submit(Candidate candidate) {
                throw new AssertionError("the study tells the executor how to report a start");
            }

            @Override
            public CompletableFuture<TrialResult> submit(Candidate candidate, Runnable started) {
                return waiting;
            }

            @Override
            public void close() {
            }
        };
        SchedulingConfig deadline = SchedulingConfig.STEADY.withTrialTimeout(Duration.ofMillis(300));
        StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), neverBegins, 1, 1, 3, List.of(),
                () -> false, deadline).run();
        TrialResult result = outcome.results().get(0);
        assertTrue(result instanceof TrialResult.Failed, result.toString());
        assertEquals(Study.TIMEOUT_REASON + ": not begun 0.300 s after its hand-over (no free task slot), cancelled",
                result.reason());
        assertTrue(waiting.isCancelled(), "the executor's future was cancelled");
    }

    /**
     * A trial that finished within its deadline is recorded as it finished, even when the study thread reaches its
     * result only after the deadline, busy telling another one (a slow journal sync, a snapshot).
     */
    @Test
    void aResultThatArrivedInTimeIsNotTakenForATimeoutWhileTheStudyWasBusy() throws InterruptedException {
        StudyListener slow = (result, finished, total) -> {
            if (finished == 1) {
                Pause.millis(600);
            }
        };
        SchedulingConfig deadline = SchedulingConfig.STEADY.withBatching(SchedulingConfig.Batching.OFF)
                .withTrialTimeout(Duration.ofMillis(300));
        try (ScriptedExecutor executor = new ScriptedExecutor(2, c -> timed(c, 1_000))) {
            StudyOutcome outcome = study(executor, 4, 2, deadline, slow).run();
            assertEquals(4, outcome.results().size());
            assertTrue(outcome.results().stream().allMatch(r -> r instanceof TrialResult.Completed),
                    outcome.results()::toString);
        }
    }

    @Test
    void theSlotCountFollowsTheExecutorAsItGrowsAndShrinks() throws InterruptedException {
        try (ScriptedExecutor executor = new ScriptedExecutor(2, c -> timed(c, 30_000))) {
            // the cluster grows to 5 slots at the 20th result and shrinks to 1 at the 100th: switched by results, not
            // by a clock, which a cold JVM's first trial (logging set up, classes loaded) could start after
            StudyListener cluster = (result, finished, total) -> executor.slots.set(finished < 20 ? 2 : finished < 100 ? 5 : 1);
            StudyOutcome outcome = study(executor, 160, 0, SchedulingConfig.STEADY.withBatching(SchedulingConfig.Batching.OFF), cluster).run();
            assertEquals(160, outcome.results().size());
            List<ScriptedExecutor.Start> starts = executor.starts;
            assertEquals(5, executor.peak.get());
            // the study reads the count again at most SLOT_REFRESH (200 ms) after a change, and a trial takes at least
            // 30 ms: at most 2 x 7 starts pass before it sees 5 slots, at most 5 in flight + 5 x 7 before it sees 1
            assertEquals(5, starts.subList(40, 100).stream().mapToInt(ScriptedExecutor.Start::running).max().orElseThrow());
            assertEquals(1, starts.subList(140, 160).stream().mapToInt(ScriptedExecutor.Start::running).max().orElseThrow());
            // slot-seconds integrate the changing count, between its least and its most: only the first count would give
            // exactly 2 per second
            double perSecond = outcome.utilisation().slotSeconds() / outcome.utilisation().wallSeconds();
            assertTrue(perSecond > 1 && perSecond < 5 && Math.abs(perSecond - 2) > 1e-9, "slot-seconds per second " + perSecond);
            assertTrue(outcome.results().stream().allMatch(r -> r.execution().slot() >= 0 && r.execution().slot() < 5));
        }
    }

    @Test
    void generationsWaitForTheirSlowestTrialAndSteadyStateDoesNot() throws InterruptedException {
        List<String> events = new ArrayList<>();
        StudyListener log = new StudyListener() {
            @Override
            public void submitted(Candidate candidate) {
                events.add("submit");
            }

            @Override
            public void finished(TrialResult result, int finished, int total) {
                events.add("finish");
            }
        };
        // every third trial is ten times longer: a straggler in each generation of three
        StudyOutcome generational;
        try (ScriptedExecutor executor = new ScriptedExecutor(3, c -> timed(c, c.number() % 3 == 0 ? 100_000 : 10_000))) {
            generational = study(executor, 30, 0, SchedulingConfig.STEADY.generational(0), log).run();
        }
        int inFlight = 0;
        String previous = "";
        for (String event : events) {
            if (event.equals("submit")) {
                assertTrue(previous.equals("submit") || previous.isEmpty() || inFlight == 0,
                        "a generation started before the previous one finished: " + events);
                inFlight++;
            } else {
                inFlight--;
            }
            previous = event;
        }
        assertEquals(30, generational.results().size());
        StudyOutcome steady;
        try (ScriptedExecutor executor = new ScriptedExecutor(3, c -> timed(c, c.number() % 3 == 0 ? 100_000 : 10_000))) {
            steady = study(executor, 30, 0, SchedulingConfig.STEADY).run();
        }
        // generations idle two slots for 90 of every 100 ms; steady state keeps them busy
        assertTrue(generational.utilisation().busyFraction() < 0.6, "generational " + generational.utilisation());
        assertTrue(steady.utilisation().busyFraction() > generational.utilisation().busyFraction() + 0.2,
                "steady " + steady.utilisation() + " vs generational " + generational.utilisation());
    }

    /**
     * Trials of 0.2 ms as the executor reports them (they take at least that): what the batch sizer learns is the same
     * on any machine, where a loaded one would stretch a batch sized for the window past it.
     */
    @Test
    void shortTrialsAreBatchedAndABatchsTrialsFitTheWindow() throws InterruptedException {
        Duration window = Duration.ofMillis(40);
        StudyOutcome outcome;
        ScriptedExecutor executor = new ScriptedExecutor(2, 3_000, c -> nominal(c, 200));
        try (executor) {
            outcome = study(executor, 4000, 0, new SchedulingConfig(SchedulingConfig.Mode.STEADY, 0, Duration.ZERO, SchedulingConfig.Batching.AUTO, window)).run();
        }
        assertEquals(4000, outcome.results().size());
        assertTrue(outcome.largestBatch() > 10, "largest batch " + outcome.largestBatch());
        assertTrue(outcome.dispatches() < 4000 / 5, "dispatches " + outcome.dispatches());
        // the 3 ms launch overhead alone would want batches of 300 or more; the window holds them to 40 ms of trials as
        // the executor reports them (how long a result really waits for its batch on a loaded machine is not checked)
        int largest = executor.starts.stream().mapToInt(ScriptedExecutor.Start::size).max().orElseThrow();
        assertTrue(largest <= 200, "largest batch " + largest);
    }

    /** Takes at least {@code micros} of wall time and reports exactly that. */
    private static TrialResult nominal(Candidate c, long micros) {
        Pause.nanos(TimeUnit.MICROSECONDS.toNanos(micros));
        Instant finished = Instant.now();
        return new TrialResult.Completed(c, Metrics.EMPTY.with(Metrics.VAL_ACCURACY, c.number() / 1e4),
                new Execution("test", "localhost", 1, finished.minusNanos(TimeUnit.MICROSECONDS.toNanos(micros)), finished));
    }

    @Test
    void trialsLongerThanTheWindowAreNeverBatched() throws InterruptedException {
        ScriptedExecutor executor = new ScriptedExecutor(2, 3_000, c -> timed(c, 30_000));
        StudyOutcome outcome;
        try (executor) {
            outcome = study(executor, 20, 0, new SchedulingConfig(SchedulingConfig.Mode.STEADY, 0, Duration.ZERO, SchedulingConfig.Batching.AUTO, Duration.ofMillis(20))).run();
        }
        assertEquals(1, outcome.largestBatch());
        assertEquals(20, outcome.dispatches());
        assertTrue(executor.starts.stream().allMatch(s -> s.size() == 1));
    }

    @Test
    void withBatchingOffEveryTrialIsItsOwnDispatch() throws InterruptedException {
        try (ScriptedExecutor executor = new ScriptedExecutor(2, 3_000, c -> timed(c, 100))) {
            StudyOutcome outcome = study(executor, 200, 0, SchedulingConfig.STEADY.withBatching(SchedulingConfig.Batching.OFF)).run();
            assertEquals(200, outcome.dispatches());
            assertEquals(1, outcome.largestBatch());
        }
    }

    /** One ordered study of 60 trials on 4 slots whose trials take a random 0 to 6 ms drawn from {@code timing}. */
    private static List<Candidate> orderedRun(long timing) throws InterruptedException {
        SplittableRandom durations = new SplittableRandom(timing);
        List<Candidate> asked = new ArrayList<>();
        List<Integer> told = new ArrayList<>();
        int[] mostUntold = {0};
        StudyListener recorder = new StudyListener() {
            @Override
            public void submitted(Candidate candidate) {
                asked.add(candidate);
                mostUntold[0] = Math.max(mostUntold[0], asked.size() - told.size());
            }

            @Override
            public void finished(TrialResult result, int finished, int total) {
                told.add(result.candidate().number());
            }
        };
        SchedulingConfig ordered = new SchedulingConfig(SchedulingConfig.Mode.ORDERED, 0, Duration.ZERO,
                SchedulingConfig.Batching.OFF, Duration.ofSeconds(1));
        try (ScriptedExecutor executor = new ScriptedExecutor(4, c -> {
            long micros;
            synchronized (durations) {
                micros = durations.nextLong(6_000);
            }
            Instant started = Instant.now();
            Pause.nanos(TimeUnit.MICROSECONDS.toNanos(micros));
            double score = (c.architecture().text().hashCode() & 0xffff) / 65536.0;
            return new TrialResult.Completed(c, Metrics.EMPTY.with(Metrics.VAL_ACCURACY, score),
                    new Execution("test", "localhost", 1, started, Instant.now()));
        })) {
            new Study(new RegularizedEvolution(TestSpaces.rich(), Objective.VALIDATION_ACCURACY, 6, 2, 0, 11), executor,
                    60, 4, 3, List.of(recorder), () -> false, ordered).run();
            assertEquals(4, executor.peak.get(), "all four slots were used");
        }
        assertEquals(IntStream.range(0, 60).boxed().toList(), told, "results are told in trial order");
        assertEquals(2 * 4, mostUntold[0], "asked at most two per slot ahead of the results told");
        return asked;
    }

    @Test
    void orderedSchedulingAsksTheSameCandidatesWhateverOrderTrialsFinishIn() throws InterruptedException {
        assertEquals(orderedRun(1), orderedRun(2));
    }
}
