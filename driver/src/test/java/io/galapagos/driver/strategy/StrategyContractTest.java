package io.galapagos.driver.strategy;

import io.galapagos.trial.Objective;

import io.galapagos.space.Architecture;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.MacroSearchSpace;
import io.galapagos.space.TestSpaces;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every strategy promises, driven through seeded asynchronous ask/tell loops. */
class StrategyContractTest {

    private static final MacroSearchSpace SPACE = TestSpaces.rich();

    static SearchStrategy create(String kind, long seed) {
        return switch (kind) {
            case "random" -> new RandomSearch(SPACE, seed);
            case "evolution" -> new RegularizedEvolution(SPACE, Objective.VALIDATION_ACCURACY, 10, 3, seed);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Keeps {@code inFlight} proposals outstanding, telling the oldest first; every 7th trial fails. */
    static List<String> drive(SearchStrategy strategy, int trials, int inFlight) {
        List<String> proposals = new ArrayList<>();
        Queue<Candidate> running = new ArrayDeque<>();
        for (int n = 0; n < trials; n++) {
            Architecture a = strategy.ask();
            SPACE.parse(a.text());
            proposals.add(a.text());
            running.add(new Candidate(n, a, n));
            if (running.size() >= inFlight) {
                strategy.tell(outcome(running.remove()));
            }
        }
        return proposals;
    }

    private static TrialResult outcome(Candidate c) {
        if (c.number() % 7 == 6) {
            return new TrialResult.Failed(c, "diverged: loss NaN", Metrics.EMPTY,
                    new Execution("test", "localhost", 1, Instant.EPOCH, Instant.EPOCH));
        }
        return SyntheticObjective.result(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution"})
    void sameSeedSameProposals(String kind) {
        assertEquals(drive(create(kind, 42), 150, 4), drive(create(kind, 42), 150, 4));
        assertNotEquals(drive(create(kind, 42), 30, 4), drive(create(kind, 43), 30, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution"})
    void neverProposesTheSameArchitectureTwice(String kind) {
        List<String> proposals = drive(create(kind, 7), 400, 3);
        Set<String> distinct = new HashSet<>(proposals);
        assertEquals(proposals.size(), distinct.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution"})
    void survivesOnlyFailures(String kind) {
        SearchStrategy strategy = create(kind, 1);
        for (int n = 0; n < 30; n++) {
            Candidate c = new Candidate(n, strategy.ask(), n);
            strategy.tell(new TrialResult.Infeasible(c, "too large", Metrics.EMPTY,
                    new Execution("test", "localhost", 1, Instant.EPOCH, Instant.EPOCH)));
        }
        assertTrue(SPACE.violations(strategy.ask()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution"})
    void aRestoredSnapshotMakesTheSameNextProposals(String kind) {
        SearchStrategy original = create(kind, 5);
        drive(original, 40, 3);
        SearchStrategy restored = StrategySnapshots.restore(StrategySnapshots.snapshot(original));
        assertEquals(drive(original, 10, 1), drive(restored, 10, 1));
    }

    @org.junit.jupiter.api.Test
    void evolutionBeatsRandomSearchOnASyntheticObjective() {
        int seeds = 20;
        int trials = 300;
        double evolution = 0;
        double random = 0;
        for (long seed = 0; seed < seeds; seed++) {
            evolution += bestScore(drive(create("evolution", seed), trials, 2));
            random += bestScore(drive(create("random", seed), trials, 2));
        }
        evolution /= seeds;
        random /= seeds;
        // The optimum is 24; random search rarely gets past the low teens in 300 draws of this space.
        assertTrue(evolution > random + 3, "evolution " + evolution + " vs random " + random);
    }

    private static double bestScore(List<String> proposals) {
        return proposals.stream().mapToDouble(t -> SyntheticObjective.score(MacroArchitecture.parse(t))).max().orElseThrow();
    }
}
