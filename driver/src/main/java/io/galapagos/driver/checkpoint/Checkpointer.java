package io.galapagos.driver.checkpoint;

import io.galapagos.driver.results.Journal;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.study.StudyListener;
import io.galapagos.trial.TrialResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Snapshots the strategy every {@code every} results, right after it was told of one, labelled with the
 * number of journal events its state covers (those of earlier sessions plus this session's). A snapshot
 * grows with the study (a strategy remembers every architecture it proposed), so once one takes longer than
 * {@link #CHEAP}, the next waits until {@link #SPACING} times as long has passed: snapshots then cost at most
 * about a tenth of the driver's time, however short the trials. Resume replays the journal after the
 * snapshot, so a rarer snapshot only means a longer replay.
 */
public final class Checkpointer implements StudyListener {

    static final long CHEAP = TimeUnit.MILLISECONDS.toNanos(5);
    static final int SPACING = 10;

    private final SnapshotStore store;
    private final Journal journal;
    private final long eventsBefore;
    private final int every;
    private int finished;
    private long lastCostNanos;
    private long lastEndNanos;

    /**
     * @param eventsBefore journal events of earlier sessions (0 for a new search)
     * @param every        results between snapshots
     */
    public Checkpointer(SnapshotStore store, Journal journal, long eventsBefore, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("snapshot interval must be at least 1, got " + every);
        }
        this.store = store;
        this.journal = journal;
        this.eventsBefore = eventsBefore;
        this.every = every;
    }

    @Override
    public void finished(TrialResult result, int count, int total) {
        finished++;
    }

    @Override
    public void told(SearchStrategy strategy, TrialResult result) {
        long now = System.nanoTime();
        if (finished % every != 0 || (lastCostNanos > CHEAP && now - lastEndNanos < SPACING * lastCostNanos)) {
            return;
        }
        try {
            store.write(strategy, eventsBefore + journal.events());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a strategy snapshot", e);
        }
        lastEndNanos = System.nanoTime();
        lastCostNanos = lastEndNanos - now;
    }
}
