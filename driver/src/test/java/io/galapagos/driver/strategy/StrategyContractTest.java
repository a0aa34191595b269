package io.galapagos.driver.strategy;

import io.galapagos.config.ConfigLoader;
import io.galapagos.config.StrategyConfig;
import io.galapagos.space.Architecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.MacroSearchSpace;
import io.galapagos.space.SearchSpace;
import io.galapagos.space.SequenceArchitecture;
import io.galapagos.space.SequenceSearchSpace;
import io.galapagos.space.TestSpaces;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every strategy promises, driven through seeded asynchronous ask/tell loops on the macro space, the NB201 cell
 * space and the sequence space. A multi-fidelity strategy is driven through {@code propose()}, and a proposal is
 * an architecture at a level.
 */
class StrategyContractTest {

    private static final MacroSearchSpace SPACE = TestSpaces.rich();
    private static final CellSearchSpace CELLS = CellSearchSpace.nb201();
    private static final SequenceSearchSpace SEQUENCES = TestSpaces.sequence();
    private static final Execution EXECUTION = new Execution("test", "localhost", 1, Instant.EPOCH, Instant.EPOCH);

    static SearchStrategy create(String kind, long seed) {
        return create(kind, SPACE, seed);
    }

    /** {@code kind} is a bench spec: a kind, optionally with settings ({@code reinforce:policy=autoregressive}). */
    static SearchStrategy create(String kind, SearchSpace space, long seed) {
        StrategyConfig config = ConfigLoader.strategy("test", kind);
        return Strategies.create(config, space,
                List.of(Objective.VALIDATION_ACCURACY, Objective.minimize(Metrics.PARAMS)), seed);
    }

    /** Keeps {@code inFlight} proposals outstanding, telling the oldest first; every 7th trial fails. */
    static List<String> drive(SearchStrategy strategy, int trials, int inFlight) {
        return drive(strategy, SPACE, trials, inFlight);
    }

    static List<String> drive(SearchStrategy strategy, SearchSpace space, int trials, int inFlight) {
        List<String> proposals = new ArrayList<>();
        Queue<Candidate> running = new ArrayDeque<>();
        for (int n = 0; n < trials; n++) {
            Architecture a;
            int level = Candidate.FULL_FIDELITY;
            if (strategy instanceof MultiFidelityStrategy multi) {
                MultiFidelityStrategy.Proposal p = multi.propose();
                a = p.architecture();
                level = p.level();
                proposals.add(a.text() + "@" + p.level());
            } else {
                a = strategy.ask();
                proposals.add(a.text());
            }
            space.parse(a.text());
            running.add(new Candidate(n, a, n, level));
            if (running.size() >= inFlight) {
                strategy.tell(outcome(running.remove(), space));
            }
        }
        return proposals;
    }

    private static TrialResult outcome(Candidate c, SearchSpace space) {
        if (c.number() % 7 == 6) {
            return new TrialResult.Failed(c, "diverged: loss NaN", Metrics.EMPTY, EXECUTION);
        }
        if (space instanceof CellSearchSpace) {
            TrialResult row = Nb201Table.result(c.number(), c.architecture());
            return new TrialResult.Completed(c, row.metrics()
                    .with(Metrics.VAL_ACCURACY, row.metrics().require(Nb201Table.SIGNAL))
                    .with(Metrics.PARAMS, row.metrics().require("params_m")), EXECUTION);
        }
        if (space instanceof SequenceSearchSpace) {
            return new TrialResult.Completed(c, Metrics.EMPTY
                    .with(Metrics.VAL_ACCURACY, Math.floorMod(c.architecture().text().hashCode(), 1000) / 1000.0)
                    .with(Metrics.PARAMS, ((SequenceArchitecture) c.architecture()).blocks().size()), EXECUTION);
        }
        return SyntheticObjective.result(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution", "evolution:crossover_probability=0.5", "local", "reinforce", "reinforce:policy=autoregressive", "bananas", "nsga2",
            "hyperband"})
    void sameSeedSameProposals(String kind) {
        assertEquals(drive(create(kind, 42), 150, 4), drive(create(kind, 42), 150, 4));
        assertNotEquals(drive(create(kind, 42), 30, 4), drive(create(kind, 43), 30, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution", "evolution:crossover_probability=0.5", "local", "reinforce", "reinforce:policy=autoregressive", "bananas", "nsga2",
            "hyperband"})
    void neverProposesTheSameArchitectureTwice(String kind) {
        List<String> proposals = drive(create(kind, 7), 400, 3);
        Set<String> distinct = new HashSet<>(proposals);
        assertEquals(proposals.size(), distinct.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution", "evolution:crossover_probability=0.5", "local", "reinforce", "reinforce:policy=autoregressive", "bananas", "nsga2",
            "hyperband"})
    void neverRepeatsInTheCellSpaceEvenWhenConverging(String kind) {
        List<String> proposals = drive(create(kind, CELLS, 3), CELLS, 600, 5);
        assertEquals(proposals.size(), new HashSet<>(proposals).size());
    }

    /**
     * In a small space a converged population's every mutation and crossover is soon proposed: the strategy goes on
     * with architectures it has not proposed, while any remain (64 cells of two operations, all of them; 600 of the
     * 729 cells of three).
     */
    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution", "evolution:crossover_probability=0.5", "local", "reinforce", "bananas",
            "nsga2"})
    void neverRepeatsInASmallSpaceWhileUnproposedCellsRemain(String kind) {
        CellSearchSpace two = new CellSearchSpace(List.of(CellOperation.NONE, CellOperation.SKIP_CONNECT));
        CellSearchSpace three = new CellSearchSpace(List.of(CellOperation.NONE, CellOperation.SKIP_CONNECT,
                CellOperation.NOR_CONV_3X3));
        for (long seed = 1; seed <= 5; seed++) {
            List<String> all = drive(create(kind, two, seed), two, 64, 1);
            assertEquals(64, new HashSet<>(all).size(), kind + ", seed " + seed);
            List<String> most = drive(create(kind, three, seed), three, 600, 1);
            assertEquals(600, new HashSet<>(most).size(), kind + ", seed " + seed);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution", "evolution:crossover_probability=0.5", "local", "reinforce", "reinforce:policy=autoregressive", "bananas", "nsga2",
            "hyperband"})
    void survivesOnlyFailures(String kind) {
        SearchStrategy strategy = create(kind, 1);
        for (int n = 0; n < 30; n++) {
            Candidate c = new Candidate(n, strategy.ask(), n);
            strategy.tell(new TrialResult.Infeasible(c, "too large", Metrics.EMPTY, EXECUTION));
        }
        assertTrue(SPACE.violations(strategy.ask()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution", "evolution:crossover_probability=0.5", "local", "reinforce", "reinforce:policy=autoregressive", "bananas", "nsga2",
            "hyperband"})
    void toleratesResultsInAnyOrderAndManyOutstanding(String kind) {
        SearchStrategy strategy = create(kind, CELLS, 11);
        List<Candidate> running = new ArrayList<>();
        java.util.Random order = new java.util.Random(5);
        Set<String> seen = new HashSet<>();
        for (int n = 0; n < 200; n++) {
            Architecture a;
            if (strategy instanceof MultiFidelityStrategy m) {
                MultiFidelityStrategy.Proposal p = m.propose();
                a = p.architecture();
                running.add(new Candidate(n, a, n, p.level()));
            } else {
                a = strategy.ask();
                running.add(new Candidate(n, a, n));
            }
            if (running.size() > 20) {
                strategy.tell(outcome(running.remove(order.nextInt(running.size())), CELLS));
            }
            seen.add(a.text());
        }
        running.forEach(c -> strategy.tell(outcome(c, CELLS)));
        assertTrue(seen.size() > 150, "distinct architectures: " + seen.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution", "evolution:crossover_probability=0.5", "local", "reinforce", "reinforce:policy=autoregressive", "bananas", "nsga2",
            "hyperband"})
    void aRestoredSnapshotMakesTheSameNextProposals(String kind) {
        for (SearchSpace space : List.<SearchSpace>of(SPACE, CELLS)) {
            SearchStrategy original = create(kind, space, 5);
            drive(original, space, 40, 3);
            SearchStrategy restored = StrategySnapshots.restore(StrategySnapshots.snapshot(original));
            assertEquals(drive(original, space, 10, 1), drive(restored, space, 10, 1));
        }
    }

    /** The sequence space is a space like the others: every strategy runs on it unchanged. */
    @ParameterizedTest
    @ValueSource(strings = {"random", "evolution", "evolution:crossover_probability=0.5", "local", "reinforce", "bananas", "nsga2", "hyperband"})
    void worksUnchangedOnTheSequenceSpace(String kind) {
        List<String> proposals = drive(create(kind, SEQUENCES, 13), SEQUENCES, 150, 4);
        assertEquals(proposals, drive(create(kind, SEQUENCES, 13), SEQUENCES, 150, 4));
        assertEquals(proposals.size(), new HashSet<>(proposals).size(), "no architecture proposed twice");
        SearchStrategy original = create(kind, SEQUENCES, 5);
        drive(original, SEQUENCES, 40, 3);
        SearchStrategy restored = StrategySnapshots.restore(StrategySnapshots.snapshot(original));
        assertEquals(drive(original, SEQUENCES, 10, 1), drive(restored, SEQUENCES, 10, 1));
    }

    /** Driven by a loop that knows no fidelities (plain ask), Hyperband never repeats an architecture. */
    @Test
    void hyperbandThroughPlainAskNeverRepeats() {
        SearchStrategy hyperband = create("hyperband", CELLS, 9);
        List<String> proposals = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            Architecture a = hyperband.ask();
            proposals.add(a.text());
            hyperband.tell(outcome(new Candidate(n, a, n), CELLS));
        }
        assertEquals(proposals.size(), new HashSet<>(proposals).size());
    }

    /** Promotions: with two levels and eta 3, about a third of the level-0 results go on to level 1. */
    @Test
    void hyperbandPromotesTheBestThirdOfTheCheapResults() {
        Hyperband hyperband = (Hyperband) Nb201Measure.create("hyperband", 4);
        Set<String> proposalsAtLevel0 = new HashSet<>();
        int cheap = 0;
        int promoted = 0;
        for (int n = 0; n < 300; n++) {
            MultiFidelityStrategy.Proposal p = hyperband.propose();
            boolean seenCheap = p.level() == 1 && proposalsAtLevel0.contains(p.architecture().text());
            if (p.level() == 0) {
                cheap++;
                proposalsAtLevel0.add(p.architecture().text());
            } else if (seenCheap) {
                promoted++;
            }
            hyperband.tell(Nb201Table.resultAtLevel(n, p.architecture(), p.level()).withExecution(EXECUTION));
        }
        // ASHA promotes whatever is in the top third when asked, and never takes a promotion back: at least a
        // third of the cheap results, a little more as the ranking shifts.
        assertTrue(promoted >= cheap / 3 && promoted <= cheap / 2, cheap + " cheap, " + promoted + " promoted");
    }

    @Test
    void nsga2NeedsTwoObjectives() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Strategies.create(
                StrategyConfig.defaults(StrategyConfig.Kind.NSGA2), SPACE, Objective.VALIDATION_ACCURACY, 1));
        assertEquals("strategy nsga2 needs at least two objectives, got only val_accuracy; name the others in the"
                + " benchmark's objectives", e.getMessage());
    }

    @Test
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

    /**
     * The synthetic macro objective (optimum 24): random search's best is about 6 in these runs, local search,
     * REINFORCE and BANANAS reached 9.6, 10.5 and 13.3 when the margin of 2 was set. BANANAS is slower per ask on
     * this space (sampling and mutating macro architectures for its candidate pool): fewer runs.
     */
    @ParameterizedTest
    @CsvSource({"local, 4, 200", "reinforce, 4, 200", "bananas, 2, 100"})
    void learningStrategiesBeatRandomSearchOnTheSyntheticMacroObjective(String kind, int seeds, int trials) {
        double strategy = 0;
        double random = 0;
        for (long seed = 0; seed < seeds; seed++) {
            strategy += bestScore(drive(create(kind, seed), trials, 2));
            random += bestScore(drive(create("random", seed), trials, 2));
        }
        assertTrue(strategy / seeds > random / seeds + 2, kind + " " + strategy / seeds + " vs random " + random / seeds);
    }

    /**
     * A warm start told before the first ask fills the population, and the first proposals are bred from it: every
     * warm member has nor_conv_3x3 on the cell's first three edges, and a child (crossed over from two members, then
     * changed in one choice) keeps at least two of them. A random cell does so one time in ten; all of five by chance
     * about once in 100,000. (These strategies proposed their population's worth of random cells first, as without a
     * warm start, which then pushed the warm members out unbred.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"evolution:population=10", "evolution:population=10,crossover_probability=0.5",
            "nsga2:population=10"})
    void aWarmStartThatFillsThePopulationIsBredFromAtOnce(String kind) {
        SearchStrategy strategy = create(kind, CELLS, 5);
        warmStart(strategy, 10, a -> 0.5);
        for (int n = 0; n < 5; n++) {
            List<String> edges = edges(strategy.ask());
            assertTrue(edges.subList(0, 3).stream().filter("nor_conv_3x3"::equals).count() >= 2, edges::toString);
        }
    }

    /**
     * BANANAS learns from a warm start of its initial_samples results at once: scored by how many of the last three
     * edges are nor_conv_3x3, the cells it proposes first have at least two of them (a random cell one time in ten).
     */
    @Test
    void bananasModelsAWarmStartOfItsInitialSamplesInsteadOfSamplingAtRandom() {
        SearchStrategy strategy = create("bananas:initial_samples=10", CELLS, 5);
        warmStart(strategy, 10, edges -> edges.subList(3, 6).stream().filter("nor_conv_3x3"::equals).count() / 3.0);
        for (int n = 0; n < 3; n++) {
            List<String> edges = edges(strategy.ask());
            assertTrue(edges.subList(3, 6).stream().filter("nor_conv_3x3"::equals).count() >= 2, edges::toString);
        }
    }

    /**
     * Tells {@code strategy} {@code n} completed cells with nor_conv_3x3 on their first three edges and the other
     * three drawn at random, scored by {@code score}, before its first ask: a warm start.
     */
    private static void warmStart(SearchStrategy strategy, int n, ToDoubleFunction<List<String>> score) {
        String[] operations = {"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"};
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < n; i++) {
            Architecture cell = CELLS.parse(String.format("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|%s~0|%s~1|%s~2|",
                    operations[random.nextInt(5)], operations[random.nextInt(5)], operations[random.nextInt(5)]));
            strategy.tell(new TrialResult.Completed(new Candidate(i, cell, i), Metrics.EMPTY
                    .with(Metrics.VAL_ACCURACY, score.applyAsDouble(edges(cell)) + 0.01 * random.nextDouble())
                    .with(Metrics.PARAMS, 1000 + random.nextInt(1000)), EXECUTION));
        }
    }

    /** A cell's six operations, edge by edge. */
    private static List<String> edges(Architecture cell) {
        return Arrays.stream(cell.text().split("\\|")).filter(part -> part.contains("~"))
                .map(part -> part.substring(0, part.indexOf('~'))).toList();
    }

    private static double bestScore(List<String> proposals) {
        return proposals.stream().mapToDouble(t -> SyntheticObjective.score(MacroArchitecture.parse(t))).max().orElseThrow();
    }
}
