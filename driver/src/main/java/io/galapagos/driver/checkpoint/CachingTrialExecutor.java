package io.galapagos.driver.checkpoint;

import io.galapagos.driver.execution.TrialExecutor;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.TrialResult;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Answers a candidate whose architecture an earlier search already trained at the candidate's fidelity under the
 * same training key from that search's result instead of training it again; everything else goes to the executor it wraps.
 * A cached result keeps the earlier metrics and status, takes this candidate's id and seed, and records
 * executor {@value #CACHE} so that reports can count it. It never batches (a wrapped batching executor
 * receives one candidate at a time), which only matters for trials much shorter than a Spark job.
 */
public final class CachingTrialExecutor implements TrialExecutor {

    /** The executor id of results answered from the cache. */
    public static final String CACHE = "cache";

    private final TrialExecutor delegate;
    private final Map<Key, TrialResult> byArchitecture = new HashMap<>();

    /** What a result answers for: an architecture (its canonical text) trained at a fidelity. */
    private record Key(String architecture, int fidelity) {
        static Key of(Candidate candidate) {
            return new Key(candidate.architecture().text(), candidate.fidelity());
        }
    }

    /**
     * @param earlier earlier completed or infeasible results; of several for one architecture and fidelity, the
     *                first answers
     */
    public CachingTrialExecutor(TrialExecutor delegate, Collection<TrialResult> earlier) {
        this.delegate = delegate;
        earlier.forEach(r -> byArchitecture.putIfAbsent(Key.of(r.candidate()), r));
    }

    @Override
    public int slots() {
        return delegate.slots();
    }

    @Override
    public CompletableFuture<TrialResult> submit(Candidate candidate) {
        return submit(candidate, () -> { });
    }

    @Override
    public CompletableFuture<TrialResult> submit(Candidate candidate, Runnable started) {
        TrialExecutor.checkSubmittable(candidate, false);
        TrialResult earlier = byArchitecture.get(Key.of(candidate));
        if (earlier == null) {
            return delegate.submit(candidate, started);
        }
        started.run();
        Instant now = Instant.now();
        Execution execution = new Execution(CACHE, earlier.execution().host(), earlier.execution().pid(), now, now);
        return CompletableFuture.completedFuture(rebind(earlier, candidate, execution));
    }

    /** Completed and infeasible results are repeatable; failed ones (diverged, say) are not cached. */
    private static TrialResult rebind(TrialResult earlier, Candidate candidate, Execution execution) {
        return earlier instanceof TrialResult.Infeasible
                ? new TrialResult.Infeasible(candidate, earlier.reason(), earlier.metrics(), execution)
                : new TrialResult.Completed(candidate, earlier.metrics(), execution);
    }

    /** Results answered from the cache among {@code results}. */
    public static long count(List<TrialResult> results) {
        return results.stream().filter(r -> CACHE.equals(r.execution().executor())).count();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
