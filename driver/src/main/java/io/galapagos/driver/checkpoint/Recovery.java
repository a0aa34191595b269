package io.galapagos.driver.checkpoint;

import io.galapagos.driver.results.JournalEvent;
import io.galapagos.driver.results.JournalHistory;
import io.galapagos.driver.strategy.MultiFidelityStrategy;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.study.StudyStart;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a study's state from its journal: the strategy exactly as it was after the last recorded event
 * (a snapshot, or a fresh strategy, replaying the events after it: each first proposal of a trial is asked
 * of the strategy again, each result told again, in the journal's order, which is the order they happened),
 * and the {@link StudyStart} to continue from: every recorded result once, the trials proposed without a
 * result (they were running: they run again under the same ids), and the next trial number.
 *
 * @param strategy   the rebuilt strategy
 * @param start      where the study continues
 * @param replayed   events replayed on top of the snapshot (or from the beginning)
 * @param duplicates results recorded twice for one trial (ignored after the first; should be 0)
 * @param diverged   proposals where the replayed strategy asked for another architecture than the journal
 *                   records (should be 0: strategies are deterministic)
 */
public record Recovery(SearchStrategy strategy, StudyStart start, int replayed, int duplicates, int diverged) {

    /**
     * @param strategy  the snapshot's strategy, or a fresh one made from the configuration and seed
     * @param fromEvent how many of the journal's events the strategy's state already covers
     */
    public static Recovery replay(SearchStrategy strategy, long fromEvent, JournalHistory history) {
        List<JournalEvent> events = history.events();
        Set<Integer> proposed = new HashSet<>();
        Map<Integer, Candidate> running = new LinkedHashMap<>();
        Map<Integer, TrialResult> results = new LinkedHashMap<>();
        int replayed = 0;
        int duplicates = 0;
        int diverged = 0;
        int next = 0;
        for (int i = 0; i < events.size(); i++) {
            JournalEvent event = events.get(i);
            Candidate candidate = event.candidate();
            boolean replay = i >= fromEvent;
            if (event instanceof JournalEvent.Proposed) {
                next = Math.max(next, candidate.number() + 1);
                boolean first = proposed.add(candidate.number());
                if (!results.containsKey(candidate.number())) {
                    running.put(candidate.number(), candidate);
                }
                if (first && replay) {
                    replayed++;
                    if (!ask(strategy).equals(candidate.architecture())) {
                        diverged++;
                    }
                }
            } else if (event instanceof JournalEvent.Finished finished) {
                next = Math.max(next, candidate.number() + 1);
                if (results.putIfAbsent(candidate.number(), finished.result()) != null) {
                    duplicates++;
                    continue;
                }
                running.remove(candidate.number());
                if (replay) {
                    replayed++;
                    strategy.tell(finished.result());
                }
            }
        }
        return new Recovery(strategy, new StudyStart(new ArrayList<>(results.values()),
                new ArrayList<>(running.values()), next), replayed, duplicates, diverged);
    }

    private static Architecture ask(SearchStrategy strategy) {
        return strategy instanceof MultiFidelityStrategy multiFidelity
                ? multiFidelity.propose().architecture() : strategy.ask();
    }
}
