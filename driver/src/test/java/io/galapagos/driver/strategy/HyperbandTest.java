package io.galapagos.driver.strategy;

import io.galapagos.space.Architecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hyperband around an inner strategy: the inner strategy hears of every architecture it proposed, or its withdrawal. */
class HyperbandTest {

    private static final Objective SCORE = Objective.maximize("score");
    private static final Execution RAN = new Execution("1", "host", 7, Instant.EPOCH, Instant.EPOCH);

    /** Records what Hyperband asks of and tells its inner strategy. */
    private static final class Recording implements SearchStrategy {
        private final SearchStrategy inner;
        final Set<String> asked = new HashSet<>();
        final Set<String> told = new HashSet<>();
        /** Results told, each a level-0 result (or a warm start's), withdrawals not counted. */
        int results;

        Recording(SearchStrategy inner) {
            this.inner = inner;
        }

        @Override
        public Architecture ask() {
            Architecture a = inner.ask();
            asked.add(a.text());
            return a;
        }

        @Override
        public void tell(TrialResult result) {
            results++;
            told.add(result.candidate().architecture().text());
            inner.tell(result);
        }

        @Override
        public void withdrawn(Architecture architecture) {
            told.add(architecture.text());
            inner.withdrawn(architecture);
        }
    }

    /**
     * Local search waits for every neighbour it proposed before it moves. A neighbour another bracket had started
     * from a random sample was dropped unheard, and local search then stalled for the rest of the search (on NB201
     * with two levels, within 51 to 1,018 trials of 2,000 on every seed of ten). Synchronous, as benchmark mode runs.
     */
    @Test
    void everyArchitectureTheInnerStrategyProposedIsToldBackToIt() {
        for (long seed = 0; seed < 4; seed++) {
            CellSearchSpace space = CellSearchSpace.nb201();
            Recording inner = new Recording(new LocalSearch(space, SCORE, 10, seed));
            Hyperband hyperband = new Hyperband(space, inner, SCORE, 2, 3, seed);
            SplittableRandom noise = new SplittableRandom(seed);
            for (int trial = 0; trial < 1500; trial++) {
                MultiFidelityStrategy.Proposal p = hyperband.propose();
                double quality = (p.architecture().text().hashCode() & 0xffff) / 65536.0;
                hyperband.tell(new TrialResult.Completed(new Candidate(trial, p.architecture(), trial, p.level()),
                        Metrics.EMPTY.with("score", quality + 0.01 * noise.nextDouble() + p.level()), RAN));
            }
            Set<String> unheard = new HashSet<>(inner.asked);
            unheard.removeAll(inner.told);
            long s = seed;
            assertEquals(0, unheard.size(), () -> "seed " + s + ": " + unheard.size() + " proposals of the inner "
                    + "strategy neither told nor withdrawn, among them " + unheard.iterator().next());
        }
    }

    /**
     * In a space of 64 cells, 100 proposals in flight at once start every cell, some twice: at level 0 for the inner
     * strategy and at level 1 from a random sample. Each result must be filed at the level it was trained at. Keyed by
     * architecture alone, the later start overwrote the earlier, the first result to come back was filed at the other
     * one's level and the second was dropped as a warm start's: the inner strategy missed a level-0 result or heard
     * a level-1 one, and the best level-1 result, a cell started twice, was lost.
     */
    @Test
    void anArchitectureRunningAtTwoLevelsHasEachResultFiledAtItsOwnLevel() {
        CellSearchSpace space = new CellSearchSpace(List.of(CellOperation.NONE, CellOperation.NOR_CONV_3X3));
        for (long seed = 0; seed < 4; seed++) {
            Recording inner = new Recording(new RandomSearch(space, seed));
            Hyperband hyperband = new Hyperband(space, inner, SCORE, 2, 3, seed);
            List<MultiFidelityStrategy.Proposal> inFlight = new ArrayList<>();
            Map<String, Set<Integer>> levels = new HashMap<>();
            for (int trial = 0; trial < 100; trial++) {
                MultiFidelityStrategy.Proposal p = hyperband.propose();
                inFlight.add(p);
                levels.computeIfAbsent(p.architecture().text(), t -> new HashSet<>()).add(p.level());
            }
            long twice = levels.values().stream().filter(l -> l.size() == 2).count();
            assertTrue(twice > 0, "no cell started at both levels, so this seed checks nothing");
            for (int trial = 0; trial < inFlight.size(); trial++) {
                MultiFidelityStrategy.Proposal p = inFlight.get(trial);
                boolean startedTwice = levels.get(p.architecture().text()).size() == 2;
                double score = p.level() == 0 ? 0.5 : startedTwice ? 2 : 1;
                hyperband.tell(new TrialResult.Completed(new Candidate(trial, p.architecture(), trial, p.level()),
                        Metrics.EMPTY.with("score", score), RAN));
            }
            long s = seed;
            long cheap = inFlight.stream().filter(p -> p.level() == 0).count();
            assertEquals(cheap, inner.results, () -> "seed " + s + ": the inner strategy hears of each level-0 result "
                    + "once, and of no other");
            Architecture best = hyperband.best().orElseThrow();
            assertEquals(Set.of(0, 1), levels.get(best.text()), () -> "seed " + s + ": the best, " + best.text()
                    + ", is not one of the " + twice + " cells started at both levels");
        }
    }

    /**
     * A rung's quota counts its completed results: two completed and four refused (screened out) at level 0 promote
     * none at eta 3 (a third of two), where counting the refused promoted both completed ones. Once a third result
     * completes, the best goes on.
     */
    @Test
    void resultsThatCanNeverBePromotedDoNotWidenARungsPromotions() {
        CellSearchSpace space = CellSearchSpace.nb201();
        Hyperband hyperband = new Hyperband(space, new RandomSearch(space, 3), SCORE, 2, 3, 3);
        List<MultiFidelityStrategy.Proposal> cheap = new ArrayList<>();
        while (cheap.size() < 7) {
            // bracket 1's starts, at level 1, stay running
            MultiFidelityStrategy.Proposal p = hyperband.propose();
            if (p.level() == 0) {
                cheap.add(p);
            }
        }
        for (int i = 0; i < 6; i++) {
            Candidate c = new Candidate(i, cheap.get(i).architecture(), i, 0);
            hyperband.tell(i < 2 ? new TrialResult.Completed(c, Metrics.EMPTY.with("score", 0.5 + i / 10.0), RAN)
                    : new TrialResult.Infeasible(c, "screened: over max_mflops", Metrics.EMPTY, RAN));
        }
        for (int n = 0; n < 20; n++) {
            MultiFidelityStrategy.Proposal p = hyperband.propose();
            assertTrue(p.level() == 0 || cheap.stream().noneMatch(c -> c.architecture().equals(p.architecture())),
                    "promoted on the strength of results that were never trained: " + p);
        }
        hyperband.tell(new TrialResult.Completed(new Candidate(6, cheap.get(6).architecture(), 6, 0),
                Metrics.EMPTY.with("score", 0.4), RAN));
        MultiFidelityStrategy.Proposal next = hyperband.propose();
        assertEquals(1, next.level());
        assertEquals(cheap.get(1).architecture(), next.architecture(), "the best of three trained goes on");
    }

    /** A result of no running proposal, a warm start's: at level 0 the inner strategy hears of it, at others not. */
    @Test
    void aWarmStartsLevelZeroResultsAreToldToTheInnerStrategy() {
        CellSearchSpace space = CellSearchSpace.nb201();
        Recording inner = new Recording(new LocalSearch(space, SCORE, 10, 1));
        Hyperband hyperband = new Hyperband(space, inner, SCORE, 2, 3, 1);
        SplittableRandom random = new SplittableRandom(1);
        Architecture cheap = space.sample(random);
        Architecture full = space.sample(random);
        hyperband.tell(new TrialResult.Completed(new Candidate(0, cheap, 0, 0), Metrics.EMPTY.with("score", 0.5), RAN));
        hyperband.tell(new TrialResult.Completed(new Candidate(1, full, 1, 1), Metrics.EMPTY.with("score", 0.9), RAN));
        assertEquals(Set.of(cheap.text()), inner.told);
    }
}
