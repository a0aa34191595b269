package io.galapagos.driver.execution;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.trial.TrialRunnerFactory;
import io.galapagos.worker.ExecutorIdentity;
import io.galapagos.worker.spark.GuardedTrialRun;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs trials in this JVM on a fixed pool of N threads: for unit tests, and for searches over tabular or
 * synthetic benchmarks that need no cluster. {@link #slots()} is N. Trials run exactly as on a Spark
 * executor ({@link GuardedTrialRun}): a runner that throws gives a failed result, and every result records
 * executor {@value ExecutorIdentity#IN_PROCESS}{@code -<k>} for its k-th pool thread, this host and this JVM's pid.
 *
 * <p>Made from a {@link TrialRunnerFactory}, each pool thread gets its own runner (as each Spark task gets
 * its own); made from a {@link TrialRunner}, all threads share it, so it must be thread-safe. Cancelling a
 * future interrupts its trial's thread; {@link #close()} cancels every trial, queued or running. Thread-safe.
 */
public final class InProcessTrialExecutor implements TrialExecutor {

    private final int threads;
    private final ThreadLocal<TrialRunner> runner;
    private final AtomicInteger threadsNamed = new AtomicInteger();
    private final ThreadLocal<String> executorId = ThreadLocal.withInitial(
            () -> ExecutorIdentity.IN_PROCESS + "-" + threadsNamed.incrementAndGet());
    private final ExecutorService pool;
    private final Set<Task> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** One runner per pool thread, made by {@code factory} on first use. */
    public InProcessTrialExecutor(TrialRunnerFactory factory, int threads) {
        this(threads, factory == null ? null : ThreadLocal.withInitial(factory::create));
    }

    /** One runner shared by all pool threads; it must be thread-safe when {@code threads > 1}. */
    public InProcessTrialExecutor(TrialRunner runner, int threads) {
        this(threads, runner == null ? null : ThreadLocal.withInitial(() -> runner));
    }

    private InProcessTrialExecutor(int threads, ThreadLocal<TrialRunner> runner) {
        if (runner == null) {
            throw new IllegalArgumentException("a trial runner or runner factory is required");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.runner = runner;
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                SparkTrialExecutor.daemonThreads("galapagos-in-process-trials"));
    }

    @Override
    public int slots() {
        return threads;
    }

    @Override
    public CompletableFuture<TrialResult> submit(Candidate candidate) {
        return submit(candidate, () -> { });
    }

    /** {@code started} runs when a pool thread takes the trial up. */
    @Override
    public CompletableFuture<TrialResult> submit(Candidate candidate, Runnable started) {
        TrialExecutor.checkSubmittable(candidate, closed);
        Task task = new Task(candidate, started);
        pending.add(task);
        task.future.whenComplete((result, failure) -> {
            pending.remove(task);
            if (task.future.isCancelled()) {
                task.interrupt();
            }
        });
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            task.future.completeExceptionally(new CancellationException("executor closed before "
                    + candidate.trialId() + " started"));
        }
        return task.future;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Task task : pending) {
            task.future.cancel(true);
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Task implements Runnable {
        final Candidate candidate;
        final Runnable started;
        final CompletableFuture<TrialResult> future = new CompletableFuture<>();
        private Thread thread;

        Task(Candidate candidate, Runnable started) {
            this.candidate = candidate;
            this.started = started;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (closed) { // a queued trial must not start between close's cancelling of two trials
                    future.cancel(false);
                }
                if (future.isDone()) {
                    return;
                }
                thread = Thread.currentThread();
            }
            started.run();
            try {
                future.complete(GuardedTrialRun.run(runner.get(), candidate, executorId.get()));
            } catch (RuntimeException | Error e) {
                if (closed || Thread.currentThread().isInterrupted()) {
                    CancellationException cancelled = new CancellationException(candidate.trialId() + " was cancelled");
                    cancelled.initCause(e);
                    future.completeExceptionally(cancelled);
                } else {
                    future.completeExceptionally(new TrialExecutionException(candidate.trialId(),
                            "its runner could not run it: " + e, e));
                }
            } finally {
                synchronized (this) {
                    thread = null;
                    Thread.interrupted(); // an interrupt meant for this trial must not reach the next one
                }
            }
            if (!future.isDone()) {
                future.cancel(false);
            }
        }

        synchronized void interrupt() {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
