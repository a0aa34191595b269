package io.galapagos.driver.study;

import io.galapagos.config.SchedulingConfig;
import io.galapagos.driver.strategy.MultiFidelityStrategy;
import io.galapagos.driver.strategy.RandomSearch;
import io.galapagos.space.Architecture;
import io.galapagos.space.TestSpaces;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class StudyTest {

    private static TrialResult completed(Candidate c) {
        return new TrialResult.Completed(c, Metrics.EMPTY.with(Metrics.VAL_ACCURACY, c.number() / 100.0),
                new Execution("test", "localhost", 1, Instant.EPOCH, Instant.EPOCH));
    }

    private static final class Recorder implements StudyListener {
        final List<Candidate> submitted = new ArrayList<>();
        final List<TrialResult> finished = new ArrayList<>();

        @Override
        public void submitted(Candidate candidate) {
            submitted.add(candidate);
        }

        @Override
        public void finished(TrialResult result, int count, int total) {
            assertEquals(finished.size() + 1, count);
            finished.add(result);
        }
    }

    @Test
    void runsEveryTrialOnceWithTheRequestedParallelism() throws InterruptedException {
        try (ScriptedExecutor executor = new ScriptedExecutor(8, c -> {
            Pause.millis(5);
            return completed(c);
        })) {
            Recorder recorder = new Recorder();
            StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 40, 3, 99,
                    List.of(recorder)).run();
            assertEquals(40, outcome.results().size());
            assertEquals(3, outcome.parallelism());
            assertEquals(3, executor.peak.get());
            Set<Integer> numbers = new HashSet<>();
            outcome.results().forEach(r -> numbers.add(r.candidate().number()));
            assertEquals(40, numbers.size());
            assertEquals(outcome.results(), recorder.finished);
            for (Candidate c : recorder.submitted) {
                assertEquals(Candidate.seedFor(99, c.number()), c.seed());
            }
        }
    }

    @Test
    void parallelismDefaultsToTheExecutorsSlots() throws InterruptedException {
        try (ScriptedExecutor executor = new ScriptedExecutor(4, c -> {
            Pause.millis(5);
            return completed(c);
        })) {
            StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 20, 0, 1, List.of()).run();
            assertEquals(4, outcome.parallelism());
            assertEquals(4, executor.peak.get());
        }
    }

    @Test
    void aSlowTrialDoesNotHoldBackTheOthers() throws InterruptedException {
        CountDownLatch othersDone = new CountDownLatch(10);
        Set<Integer> finishedWhileSlowRan = ConcurrentHashMap.newKeySet();
        try (ScriptedExecutor executor = new ScriptedExecutor(2, c -> {
            if (c.number() == 0) {
                try {
                    othersDone.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                finishedWhileSlowRan.add(c.number());
                othersDone.countDown();
            }
            return completed(c);
        })) {
            // Trial 0 only ends after ten others ran beside it: with a generation barrier, trials 2.. could
            // not start before trial 0 finished, and the study would never end.
            StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 11, 2, 1, List.of()).run();
            assertEquals(10, finishedWhileSlowRan.size());
            assertEquals(11, outcome.results().size());
        }
    }

    @Test
    void anInfrastructureFailureBecomesAFailedResult() throws InterruptedException {
        try (ScriptedExecutor executor = new ScriptedExecutor(2, c -> {
            if (c.number() == 3) {
                throw new IllegalStateException("executor lost");
            }
            return completed(c);
        })) {
            StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 6, 2, 1, List.of()).run();
            TrialResult failed = outcome.results().stream().filter(r -> r.candidate().number() == 3).findFirst().orElseThrow();
            assertTrue(failed instanceof TrialResult.Failed);
            assertEquals("error: IllegalStateException: executor lost", failed.reason());
            assertEquals(6, outcome.results().size());
        }
    }

    /** Proposes random architectures at levels 0, 1, 2, 0, 1, 2, ...; records what it is told. */
    private static final class Levels implements MultiFidelityStrategy {
        private final RandomSearch random = new RandomSearch(TestSpaces.rich(), 5);
        final List<TrialResult> told = new ArrayList<>();
        int proposals;

        @Override
        public Proposal propose() {
            return new Proposal(random.ask(), proposals++ % 3);
        }

        @Override
        public int fidelities() {
            return 3;
        }

        @Override
        public Architecture ask() {
            throw new AssertionError("a study asks a multi-fidelity strategy to propose");
        }

        @Override
        public void tell(TrialResult result) {
            told.add(result);
        }
    }

    @Test
    void aMultiFidelityStrategysLevelsGoOnTheCandidatesAndPlainOnesAreFull() throws InterruptedException {
        Levels strategy = new Levels();
        Recorder recorder = new Recorder();
        try (ScriptedExecutor executor = new ScriptedExecutor(2, StudyTest::completed)) {
            new Study(strategy, executor, 9, 2, 3, List.of(recorder)).run();
        }
        assertEquals(9, recorder.submitted.size());
        for (Candidate c : recorder.submitted) {
            assertEquals(c.number() % 3, c.fidelity(), c.toString());
        }
        assertEquals(9, strategy.told.size());
        assertTrue(strategy.told.stream().allMatch(r -> r.candidate().fidelity() == r.candidate().number() % 3));
        Recorder plain = new Recorder();
        try (ScriptedExecutor executor = new ScriptedExecutor(2, StudyTest::completed)) {
            new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 5, 2, 3, List.of(plain)).run();
        }
        assertTrue(plain.submitted.stream().allMatch(Candidate::fullFidelity));
    }

    @Test
    void aStopConditionEndsTheStudyOnceTheTrialsInFlightFinish() throws InterruptedException {
        Recorder recorder = new Recorder();
        try (ScriptedExecutor executor = new ScriptedExecutor(1, StudyTest::completed)) {
            StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 50, 1, 3,
                    List.of(recorder), () -> recorder.finished.size() >= 7, SchedulingConfig.STEADY.withBatching(SchedulingConfig.Batching.OFF)).run();
            assertEquals(7, outcome.results().size());
        }
        assertEquals(7, recorder.submitted.size());
    }
    /** The quickstart schedules in order, asking two candidates a slot ahead: those must not start once it is time. */
    @Test
    void inOrderedModeNoQueuedCandidateStartsAfterTheStopCondition() throws InterruptedException {
        Recorder recorder = new Recorder();
        SchedulingConfig ordered = new SchedulingConfig(SchedulingConfig.Mode.ORDERED, 0, java.time.Duration.ZERO,
                SchedulingConfig.Batching.OFF, java.time.Duration.ofSeconds(1));
        // one slot, so no result can overtake another: trial 1 is queued behind trial 0 when trial 0's result stops
        // the study (with two slots, trial 1 finishing first would rightly free a slot for trial 2)
        try (ScriptedExecutor executor = new ScriptedExecutor(1, StudyTest::completed)) {
            StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 50, 1, 3,
                    List.of(recorder), () -> !recorder.finished.isEmpty(), ordered).run();
            assertEquals(2, recorder.submitted.size(), "trial 1 was asked ahead, queued behind trial 0");
            assertEquals(1, executor.starts.size(), "the queued trial 1 never started");
            assertEquals(1, outcome.results().size());
        }
    }

    /**
     * Once every trial has started, a stop condition is not asked again, in either mode: a time budget that runs out
     * during the last trials would otherwise record that it was reached, and the search report trials left to resume.
     */
    @Test
    void theStopConditionIsNotAskedOnceEveryTrialHasStarted() throws InterruptedException {
        SchedulingConfig ordered = new SchedulingConfig(SchedulingConfig.Mode.ORDERED, 0, java.time.Duration.ZERO,
                SchedulingConfig.Batching.OFF, java.time.Duration.ofSeconds(1));
        for (SchedulingConfig scheduling : List.of(ordered, SchedulingConfig.STEADY.withBatching(SchedulingConfig.Batching.OFF))) {
            Recorder recorder = new Recorder();
            List<Integer> askedAfter = new ArrayList<>();
            try (ScriptedExecutor executor = new ScriptedExecutor(1, StudyTest::completed)) {
                StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 3, 1, 3,
                        List.of(recorder), () -> {
                            askedAfter.add(recorder.finished.size());
                            return recorder.finished.size() >= 3;
                        }, scheduling).run();
                assertEquals(3, outcome.results().size());
            }
            assertTrue(askedAfter.stream().allMatch(finished -> finished < 3), scheduling.mode() + ": " + askedAfter);
        }
    }

    private static TrialResult refusedIfMultipleOfThree(Candidate c) {
        return c.number() % 3 != 0 ? completed(c) : new TrialResult.Infeasible(c, "over a bound", Metrics.EMPTY,
                new Execution("refused", "localhost", 1, Instant.EPOCH, Instant.EPOCH));
    }

    private static boolean refused(TrialResult r) {
        return r.execution().executor().equals("refused");
    }

    @Test
    void resultsTheBudgetLeavesUncountedAreRunBesideTheTrialsUpToItsMaximum() throws InterruptedException {
        List<Integer> counts = new ArrayList<>();
        StudyListener counter = (result, count, total) -> counts.add(count);
        try (ScriptedExecutor executor = new ScriptedExecutor(1, StudyTest::refusedIfMultipleOfThree)) {
            StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor,
                    new TrialBudget(10, StudyTest::refused, 3), 1, 3, List.of(counter), () -> false,
                    SchedulingConfig.STEADY, StudyStart.FRESH).run();
            // trials 0, 3 and 6 are refused and uncounted; 9 is refused beyond the maximum and counts
            assertEquals(13, outcome.results().size());
            assertEquals(List.of(0, 1, 2, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10), counts);
        }
        counts.clear();
        TrialResult refused = refusedIfMultipleOfThree(new Candidate(0, TestSpaces.rich().sample(new SplittableRandom(1)), 1));
        TrialResult done = completed(new Candidate(1, TestSpaces.rich().sample(new SplittableRandom(2)), 2));
        try (ScriptedExecutor executor = new ScriptedExecutor(1, StudyTest::refusedIfMultipleOfThree)) {
            StudyOutcome outcome = new Study(new RandomSearch(TestSpaces.rich(), 1), executor,
                    new TrialBudget(4, StudyTest::refused, 10), 1, 3, List.of(counter), () -> false,
                    SchedulingConfig.STEADY, new StudyStart(List.of(refused, done), List.of(), 2)).run();
            // a resumed study counts its earlier results alike: one of the two counts, three trials are left
            assertEquals(List.of(2, 2, 3, 4), counts);
            assertEquals(6, outcome.results().size());
        }
    }
}
