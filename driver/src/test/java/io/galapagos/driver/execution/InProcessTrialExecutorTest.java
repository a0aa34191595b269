package io.galapagos.driver.execution;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InProcessTrialExecutorTest {

    @BeforeEach
    void reset() {
        ExecutionTestTrials.reset(1);
    }

    @Test
    void runsAsManyTrialsAtOnceAsItHasThreads() throws Exception {
        ExecutionTestTrials.reset(3);
        try (InProcessTrialExecutor executor = new InProcessTrialExecutor(new ExecutionTestTrials.BarrierFactory(), 3)) {
            assertEquals(3, executor.slots());
            List<CompletableFuture<TrialResult>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(executor.submit(ExecutionTestTrials.candidate(i)));
            }
            Set<String> executors = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                TrialResult result = futures.get(i).get(30, TimeUnit.SECONDS);
                assertInstanceOf(TrialResult.Completed.class, result);
                assertEquals(ExecutionTestTrials.candidate(i), result.candidate());
                executors.add(result.execution().executor());
                assertEquals(ProcessHandle.current().pid(), result.execution().pid());
            }
            assertTrue(Set.of("in-process-1", "in-process-2", "in-process-3").containsAll(executors),
                    "each pool thread names itself: " + executors);
            assertEquals(3, ExecutionTestTrials.RUNNERS_CREATED.get(), "one runner per thread");
        }
    }

    /** The one runner given is called by both pool threads, two trials at a time (they meet at a barrier). */
    @Test
    void aSharedRunnerServesAllThreads() throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger calls = new AtomicInteger();
        TrialRunner shared = candidate -> {
            calls.incrementAndGet();
            threads.add(Thread.currentThread());
            try {
                together.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the shared runner did not run on two threads at once: " + e, e);
            }
            return ExecutionTestTrials.completed(candidate, Instant.now());
        };
        try (InProcessTrialExecutor executor = new InProcessTrialExecutor(shared, 2)) {
            List<CompletableFuture<TrialResult>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(executor.submit(ExecutionTestTrials.candidate(i)));
            }
            for (int i = 0; i < 4; i++) {
                TrialResult result = futures.get(i).get(30, TimeUnit.SECONDS);
                assertInstanceOf(TrialResult.Completed.class, result, result.toString());
                assertEquals(0.5 + i / 100.0, result.metrics().require("val_accuracy"));
            }
        }
        assertEquals(4, calls.get(), "every trial ran on the one runner");
        assertEquals(2, threads.size(), "both pool threads ran it: " + threads);
        assertTrue(threads.stream().noneMatch(t -> t == Thread.currentThread()), "never on the caller's thread");
    }

    @Test
    void aThrowingRunnerGivesAFailedResult() throws Exception {
        try (InProcessTrialExecutor executor = new InProcessTrialExecutor(new ExecutionTestTrials.ThrowingFactory(), 1)) {
            TrialResult result = executor.submit(ExecutionTestTrials.candidate(1)).get();
            TrialResult.Failed failed = assertInstanceOf(TrialResult.Failed.class, result);
            assertTrue(failed.reason().contains("ArithmeticException: bug for trial-0001"), failed.reason());
        }
    }

    @Test
    void aRunnerThatCannotBeCreatedFailsTheFuture() {
        try (InProcessTrialExecutor executor = new InProcessTrialExecutor(new ExecutionTestTrials.BrokenFactory(), 1)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> executor.submit(ExecutionTestTrials.candidate(1)).get());
            assertInstanceOf(TrialExecutionException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("data set not found"), e.getCause().getMessage());
        }
    }

    @Test
    void closeCancelsRunningAndQueuedTrials() throws Exception {
        InProcessTrialExecutor executor = new InProcessTrialExecutor(ExecutionTestTrials.SleepingFactory.blocking(), 1);
        CompletableFuture<TrialResult> running = executor.submit(ExecutionTestTrials.candidate(0));
        CompletableFuture<TrialResult> queued = executor.submit(ExecutionTestTrials.candidate(1));
        assertTrue(ExecutionTestTrials.started.await(10, TimeUnit.SECONDS));
        executor.close();
        assertTrue(running.isDone() && queued.isDone(), "close completes every future");
        assertThrows(CancellationException.class, running::join);
        assertThrows(CancellationException.class, queued::join);
        assertEquals(1, ExecutionTestTrials.INTERRUPTED.get(), "the running trial was interrupted");
        assertThrows(IllegalStateException.class, () -> executor.submit(ExecutionTestTrials.candidate(2)));
        executor.close();
    }

    @Test
    void cancellingAFutureInterruptsItsTrialOnly() throws Exception {
        ExecutionTestTrials.reset(1);
        try (InProcessTrialExecutor executor = new InProcessTrialExecutor(ExecutionTestTrials.SleepingFactory.blocking(), 1)) {
            CompletableFuture<TrialResult> blocked = executor.submit(ExecutionTestTrials.candidate(0));
            assertTrue(ExecutionTestTrials.started.await(10, TimeUnit.SECONDS));
            blocked.cancel(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ExecutionTestTrials.INTERRUPTED.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, ExecutionTestTrials.INTERRUPTED.get());
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> new InProcessTrialExecutor(new ExecutionTestTrials.BarrierFactory(), 0));
        assertThrows(IllegalArgumentException.class, () -> new InProcessTrialExecutor((TrialRunner) null, 1));
        try (InProcessTrialExecutor executor = new InProcessTrialExecutor(new ExecutionTestTrials.BarrierFactory(), 1)) {
            assertThrows(IllegalArgumentException.class, () -> executor.submit((Candidate) null));
        }
    }
}
