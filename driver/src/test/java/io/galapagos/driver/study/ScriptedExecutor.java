package io.galapagos.driver.study;

import io.galapagos.driver.execution.BatchingTrialExecutor;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A test executor: runs each dispatch (one candidate, or a batch one after another) on its own pool thread
 * through {@code body}, after a fixed launch overhead; its slot count can be changed while a study runs.
 * Records the concurrency each dispatch started at, and the size of every dispatch.
 */
final class ScriptedExecutor implements BatchingTrialExecutor {

    /** A dispatch began when {@code running} dispatches (itself included) were in flight. */
    record Start(long nanos, int running, int size) {
    }

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Function<Candidate, TrialResult> body;
    private final long overheadNanos;
    final AtomicInteger slots;
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    final List<Start> starts = new CopyOnWriteArrayList<>();

    ScriptedExecutor(int slots, Function<Candidate, TrialResult> body) {
        this(slots, 0, body);
    }

    /** @param overheadMicros what launching each dispatch costs before its first trial starts */
    ScriptedExecutor(int slots, long overheadMicros, Function<Candidate, TrialResult> body) {
        this.slots = new AtomicInteger(slots);
        this.overheadNanos = TimeUnit.MICROSECONDS.toNanos(overheadMicros);
        this.body = body;
    }

    @Override
    public int slots() {
        return slots.get();
    }

    @Override
    public CompletableFuture<TrialResult> submit(Candidate candidate) {
        return submitBatch(List.of(candidate)).thenApply(results -> results.get(0));
    }

    @Override
    public CompletableFuture<List<TrialResult>> submitBatch(List<Candidate> candidates) {
        return CompletableFuture.supplyAsync(() -> {
            int now = running.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            starts.add(new Start(System.nanoTime(), now, candidates.size()));
            try {
                Pause.nanos(overheadNanos);
                List<TrialResult> results = new ArrayList<>();
                for (Candidate c : candidates) {
                    results.add(body.apply(c));
                }
                return results;
            } finally {
                running.decrementAndGet();
            }
        }, pool);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
