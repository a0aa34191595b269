package io.galapagos.driver.checkpoint;

import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.study.StudyListener;
import io.galapagos.trial.TrialResult;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Snapshots the strategy every {@code every} results of the search (earlier sessions' included), right after
 * it was told of one, labelled with the
 * number of journal events its state covers (those of earlier sessions plus this session's). A snapshot
 * grows with the study (a strategy remembers every architecture it proposed), so snapshots are also at least
 * a tenth of the results so far apart ({@link #SPACING}): their total cost stays proportional to the study's
 * length, however many short trials it runs. Resume replays the journal after the snapshot, so a rarer
 * snapshot only means a longer replay, and a snapshot that cannot be written (a file system's passing error) is
 * reported and tried again at the next interval, not the end of the search. Deterministic: the same results give the
 * same snapshots.
 */
public final class Checkpointer implements StudyListener {

    /** Snapshots are at least 1/SPACING of the results so far apart. */
    static final int SPACING = 10;

    private final SnapshotStore store;
    private final Journal journal;
    private final long eventsBefore;
    private final int every;
    private final Consumer<String> console;
    private int finished;
    private int lastSnapshot;

    /**
     * @param eventsBefore journal events of earlier sessions (0 for a new search)
     * @param every        results between snapshots
     * @param console      where a snapshot that could not be written is reported
     */
    public Checkpointer(SnapshotStore store, Journal journal, long eventsBefore, int every, Consumer<String> console) {
        if (every < 1) {
            throw new IllegalArgumentException("snapshot interval must be at least 1, got " + every);
        }
        this.store = store;
        this.journal = journal;
        this.eventsBefore = eventsBefore;
        this.every = every;
        this.console = console;
    }

    @Override
    public void finished(TrialResult result, int count, int total) {
        finished = count;
    }

    @Override
    public void told(SearchStrategy strategy, TrialResult result) {
        if (!due(finished, lastSnapshot, every)) {
            return;
        }
        try {
            store.write(strategy, eventsBefore + journal.events());
            lastSnapshot = finished;
        } catch (IOException e) {
            console.accept("Snapshot: could not be written after " + finished + " results (" + RunOutput.firstLine(e)
                    + "); the search goes on, and a resume would replay the journal from the last snapshot");
        }
    }

    /**
     * Whether a snapshot is due after {@code finished} results, the last one taken after {@code last}. None is
     * due before the first counted result: what a strategy was told before it (candidates refused on the driver)
     * the journal replays in no time.
     */
    static boolean due(int finished, int last, int every) {
        return finished > 0 && finished % every == 0 && (long) (finished - last) * SPACING >= finished;
    }
}
