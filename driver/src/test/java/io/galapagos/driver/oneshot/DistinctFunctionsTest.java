package io.galapagos.driver.oneshot;

import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.strategy.StrategySnapshots;
import io.galapagos.space.Architecture;
import io.galapagos.space.CellArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistinctFunctionsTest {

    /** Node 2 is a zero node and edge 5 is none: edges 1, 2 and 5 cannot change the output. */
    private static final CellArchitecture CELL =
            CellArchitecture.parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|");
    /** CELL with a 1x1 convolution into node 2, which the output does not depend on: the same function. */
    private static final CellArchitecture TWIN =
            CellArchitecture.parse("|nor_conv_3x3~0|+|none~0|nor_conv_1x1~1|+|none~0|nor_conv_3x3~1|none~2|");
    private static final CellArchitecture OTHER =
            CellArchitecture.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|none~0|none~1|nor_conv_3x3~2|");

    @Test
    void aTwinProposedBeforeItsFunctionsResultIsToldThatResultWhenItArrives() {
        Scripted inner = new Scripted(CELL, TWIN, OTHER);
        DistinctFunctions strategy = new DistinctFunctions(inner);

        assertEquals(CELL, strategy.ask());
        assertEquals(OTHER, strategy.ask(), "the twin is kept from the study");
        assertTrue(inner.told.isEmpty());

        strategy.tell(completed(0, CELL, 0.75));
        assertEquals(List.of(new Told(CELL, 0, 0.75), new Told(TWIN, 0, 0.75)), inner.told,
                "the twin is told its function's result, from the same trial");
    }

    @Test
    void aTwinProposedAfterItsFunctionsResultIsToldAtOnce() {
        Scripted inner = new Scripted(CELL, TWIN, OTHER);
        DistinctFunctions strategy = new DistinctFunctions(inner);
        assertEquals(CELL, strategy.ask());
        strategy.tell(completed(0, CELL, 0.5));

        assertEquals(OTHER, strategy.ask());
        assertEquals(List.of(new Told(CELL, 0, 0.5), new Told(TWIN, 0, 0.5)), inner.told);
    }

    @Test
    void differentFunctionsPassAndAResultReachesTheStrategyOnce() {
        Scripted inner = new Scripted(CELL, OTHER);
        DistinctFunctions strategy = new DistinctFunctions(inner);
        assertEquals(CELL, strategy.ask());
        assertEquals(OTHER, strategy.ask());
        strategy.tell(completed(1, OTHER, 0.6));
        strategy.tell(completed(0, CELL, 0.7));
        assertEquals(List.of(new Told(OTHER, 1, 0.6), new Told(CELL, 0, 0.7)), inner.told);
    }

    @Test
    void aStrategyProposingOnlyTwinsGetsOneThroughAfterTheBound() {
        CellArchitecture[] twins = new CellArchitecture[DistinctFunctions.MAX_ASKS + 1];
        Arrays.fill(twins, TWIN);
        twins[0] = CELL;
        Scripted inner = new Scripted(twins);
        DistinctFunctions strategy = new DistinctFunctions(inner);
        strategy.ask();

        assertEquals(TWIN, strategy.ask(), "a twin rather than asking forever");
        assertEquals(DistinctFunctions.MAX_ASKS + 1, inner.asked);
    }

    @Test
    void aSnapshotKeepsTheResultsItWillTellTwins() {
        DistinctFunctions strategy = new DistinctFunctions(new Scripted(CELL, TWIN, OTHER));
        strategy.ask();
        strategy.tell(completed(0, CELL, 0.25));

        SearchStrategy restored = StrategySnapshots.restore(StrategySnapshots.snapshot(strategy));
        assertEquals(OTHER, restored.ask());
        Scripted inner = (Scripted) ((DistinctFunctions) restored).strategy();
        assertEquals(List.of(new Told(CELL, 0, 0.25), new Told(TWIN, 0, 0.25)), inner.told);
    }

    private static TrialResult completed(int number, Architecture cell, double accuracy) {
        Instant t = Instant.parse("2026-12-04T00:00:00Z");
        return new TrialResult.Completed(new Candidate(number, cell, 7), new Metrics(Map.of(Metrics.VAL_ACCURACY,
                accuracy)), new Execution("1", "host", 7, t, t.plusSeconds(1)));
    }

    /** A result as a strategy was told it: of which cell, from which trial, at what validation accuracy. */
    private record Told(Architecture architecture, int number, double accuracy) implements Serializable {
    }

    /** Proposes a fixed list of cells in order and records what it is told. */
    private static final class Scripted implements SearchStrategy {
        private final Deque<Architecture> proposals;
        private final List<Told> told = new ArrayList<>();
        private int asked;

        Scripted(Architecture... proposals) {
            this.proposals = new ArrayDeque<>(List.of(proposals));
        }

        @Override
        public Architecture ask() {
            asked++;
            return proposals.removeFirst();
        }

        @Override
        public void tell(TrialResult result) {
            told.add(new Told(result.candidate().architecture(), result.candidate().number(),
                    result.metrics().require(Metrics.VAL_ACCURACY)));
        }
    }
}
