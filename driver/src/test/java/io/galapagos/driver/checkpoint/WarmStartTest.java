package io.galapagos.driver.checkpoint;

import io.galapagos.driver.strategy.MultiFidelityStrategy;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.space.Architecture;
import io.galapagos.space.CellArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which earlier results answer tonight's trials of their architecture, instead of a training; which are told. */
class WarmStartTest {

    private static final Candidate CANDIDATE = new Candidate(3,
            CellArchitecture.parse("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|"), 3);
    private static final Execution RAN = new Execution("1", "host", 7, Instant.EPOCH, Instant.EPOCH.plusSeconds(2));

    private static TrialResult infeasible(String reason, Metrics metrics) {
        return new TrialResult.Infeasible(CANDIDATE, reason, metrics, RAN);
    }

    @Test
    void trainingsAndVerdictsOfTheArchitectureAnswerAgainVerdictsOfTheMomentDoNot() {
        assertTrue(WarmStart.answersAgain(new TrialResult.Completed(CANDIDATE, Metrics.EMPTY.with(Metrics.VAL_ACCURACY,
                0.8), RAN)));
        assertTrue(WarmStart.answersAgain(infeasible("params 1091 is over constraints.max_params 1090",
                Metrics.EMPTY.with(Metrics.PARAMS, 1091))), "the architecture and the bound decide it");
        assertTrue(WarmStart.answersAgain(infeasible("latency_ms 3 is over constraints.max_latency_ms 2",
                Metrics.EMPTY.with(Metrics.LATENCY_MS, 3))), "a measured latency, as a measured accuracy");

        assertFalse(WarmStart.answersAgain(new TrialResult.Failed(CANDIDATE, "diverged", Metrics.EMPTY, RAN)));
        assertFalse(WarmStart.answersAgain(infeasible("latency_ms predicted at 3 by the latency model is over "
                + "constraints.max_latency_ms 2", Metrics.EMPTY.with(Metrics.PREDICTED_LATENCY_MS, 3))));
        assertFalse(WarmStart.answersAgain(infeasible("out of memory: java.lang.OutOfMemoryError: Physical memory "
                + "usage is too high", Metrics.EMPTY)));
        assertFalse(WarmStart.answersAgain(infeasible("too large: training with batches of 64 needs about 900 MiB, the "
                + "limit is 800 MiB", Metrics.EMPTY)));
    }

    private static TrialResult completedAt(int number, int level, double accuracy) {
        Candidate candidate = new Candidate(number, CANDIDATE.architecture(), number, level);
        return new TrialResult.Completed(candidate, Metrics.EMPTY.with(Metrics.VAL_ACCURACY, accuracy), RAN);
    }

    /** A strategy that records what it is told; multi-fidelity or not. */
    private static class Listener implements SearchStrategy {
        final List<Integer> told = new ArrayList<>();

        @Override
        public Architecture ask() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void tell(TrialResult result) {
            told.add(result.candidate().number());
        }
    }

    private static final class MultiFidelityListener extends Listener implements MultiFidelityStrategy {
        @Override
        public Proposal propose() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int fidelities() {
            return 3;
        }
    }

    /**
     * A Hyperband source's 3-epoch accuracies are not what a single-fidelity strategy compares its full trainings
     * with: it hears the source's top level only, its failures too, worst first, and nothing from a source cut before
     * any trial reached that level; a multi-fidelity strategy hears every level.
     */
    @Test
    void aSingleFidelityStrategyIsToldOnlyTheSourcesTopFidelity() {
        TrialResult failedAtTop = new TrialResult.Failed(new Candidate(4, CANDIDATE.architecture(), 4, 2), "diverged",
                Metrics.EMPTY, RAN);
        List<TrialResult> results = List.of(completedAt(0, 0, 0.9), completedAt(1, 0, 0.5), completedAt(2, 2, 0.7),
                completedAt(3, 2, 0.8), failedAtTop, completedAt(5, 1, 0.6));
        Objective accuracy = Objective.maximize(Metrics.VAL_ACCURACY);

        Listener single = new Listener();
        assertEquals(3, new WarmStart("earlier", results, List.of(), true, 2).seed(single, accuracy));
        assertEquals(List.of(4, 2, 3), single.told, "worst first, the failure first of all");

        Listener cutShort = new Listener();
        assertEquals(0, new WarmStart("earlier", results.subList(0, 2), List.of(), true, 2).seed(cutShort, accuracy));

        Listener multi = new MultiFidelityListener();
        assertEquals(6, new WarmStart("earlier", results, List.of(), true, 2).seed(multi, accuracy));
        assertEquals(6, multi.told.size());

        Listener fromFullTrainings = new Listener();
        List<TrialResult> full = List.of(new TrialResult.Completed(CANDIDATE, Metrics.EMPTY.with(Metrics.VAL_ACCURACY,
                0.8), RAN));
        assertEquals(1, new WarmStart("earlier", full, List.of(), true, Candidate.FULL_FIDELITY)
                .seed(fromFullTrainings, accuracy));
    }
}
