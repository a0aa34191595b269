package io.galapagos.driver.execution;

import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.trial.TrialRunnerFactory;
import org.apache.spark.TaskContext;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Candidates and named runner factories for the executor tests. Spark's local mode runs tasks in this JVM,
 * so the factories coordinate through static state, which each test resets with {@link #reset}.
 */
final class ExecutionTestTrials {

    /** Job group (from the task's local properties) per trial number, as seen by the runner. */
    static final Map<Integer, String> JOB_GROUPS = new ConcurrentHashMap<>();
    static final AtomicInteger RUNNERS_CREATED = new AtomicInteger();
    static final AtomicInteger INTERRUPTED = new AtomicInteger();
    static volatile CyclicBarrier barrier = new CyclicBarrier(1);
    static volatile CountDownLatch started = new CountDownLatch(1);

    private ExecutionTestTrials() {
    }

    static void reset(int parties) {
        JOB_GROUPS.clear();
        RUNNERS_CREATED.set(0);
        INTERRUPTED.set(0);
        barrier = new CyclicBarrier(parties);
        started = new CountDownLatch(parties);
    }

    static Candidate candidate(int number) {
        return new Candidate(number, Architecture.parse("conv3x3x8:relu/maxpool/dense" + (16 + number) + ":relu"),
                Candidate.seedFor(7, number));
    }

    static TrialResult completed(Candidate candidate, Instant start) {
        return new TrialResult.Completed(candidate, new Metrics(Map.of(Metrics.VAL_ACCURACY, 0.5 + candidate.number() / 100.0)),
                new Execution("made-up", "made-up", -1, start, Instant.now()));
    }

    /** Waits at {@link #barrier} until as many trials as it has parties run at once, then completes. */
    static final class BarrierFactory implements TrialRunnerFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public TrialRunner create() {
            RUNNERS_CREATED.incrementAndGet();
            return candidate -> {
                Instant start = Instant.now();
                TaskContext task = TaskContext.get();
                if (task != null) {
                    JOB_GROUPS.put(candidate.number(), String.valueOf(task.getLocalProperty("spark.jobGroup.id")));
                }
                started.countDown();
                try {
                    barrier.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("trials did not run concurrently: " + e, e);
                }
                return completed(candidate, start);
            };
        }
    }

    /**
     * Sleeps a fixed time, then completes: a trial of known length; counts its start and any interrupt. {@link
     * #blocking()} is one that only cancellation ends.
     */
    static final class SleepingFactory implements TrialRunnerFactory {
        private static final long serialVersionUID = 1L;
        private final long millis;

        SleepingFactory(long millis) {
            this.millis = millis;
        }

        static SleepingFactory blocking() {
            return new SleepingFactory(TimeUnit.MINUTES.toMillis(5));
        }

        @Override
        public TrialRunner create() {
            return candidate -> {
                Instant start = Instant.now();
                started.countDown();
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    INTERRUPTED.incrementAndGet();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                return completed(candidate, start);
            };
        }
    }

    /** Cannot even create its runner: an infrastructure failure, not the candidate's. */
    static final class BrokenFactory implements TrialRunnerFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public TrialRunner create() {
            throw new IllegalStateException("data set not found: file:/nowhere");
        }
    }

    /** Throws for every candidate, breaking the runner contract. */
    static final class ThrowingFactory implements TrialRunnerFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public TrialRunner create() {
            return candidate -> {
                throw new ArithmeticException("bug for " + candidate.trialId());
            };
        }
    }
}
