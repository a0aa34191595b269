package io.galapagos.driver.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fronts and hypervolumes of small result sets, computed by hand. */
class ParetoFrontTest {

    private static final Execution RAN = new Execution("1", "host", 7, Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:01:00Z"));
    private static final List<Objective> ACCURACY_LATENCY = List.of(Objective.VALIDATION_ACCURACY,
            Objective.minimize(Metrics.LATENCY_MS));

    private static Candidate candidate(int n, int fidelity) {
        return new Candidate(n, MacroArchitecture.parse("dense" + (n + 1) + ":relu"), n, fidelity);
    }

    private static Metrics metrics(double accuracy, double latency) {
        return Metrics.EMPTY.with(Metrics.VAL_ACCURACY, accuracy).with(Metrics.LATENCY_MS, latency);
    }

    private static TrialResult completed(int n, double accuracy, double latency) {
        return new TrialResult.Completed(candidate(n, 1), metrics(accuracy, latency), RAN);
    }

    /**
     * Four trainings at the highest level of two, of which trial 3 is dominated by trial 2; a failure, a
     * better-looking infeasible result and a result of the cheap level, none of which count.
     */
    private static final List<TrialResult> RESULTS = List.of(
            completed(1, 0.9, 2.0), completed(2, 0.8, 1.0), completed(3, 0.7, 1.5), completed(4, 0.6, 0.5),
            new TrialResult.Failed(candidate(5, 1), "diverged", Metrics.EMPTY, RAN),
            new TrialResult.Infeasible(candidate(6, 1), "latency_ms over", metrics(0.99, 0.1),
                    RAN),
            new TrialResult.Completed(candidate(7, 0), metrics(0.95, 0.2), RAN));

    @Test
    void theFrontHoldsTheNonDominatedTrainingsOfTheHighestLevelBestAccuracyFirst() {
        ParetoFront front = ParetoFront.of(RESULTS, ACCURACY_LATENCY, metric -> OptionalDouble.of(2.5));
        assertEquals(List.of(1, 2, 4), front.members().stream().map(r -> r.candidate().number()).toList());
        assertEquals(4, front.counted());
    }

    @Test
    void theHypervolumeIsTheAreaBetweenTheFrontAndTheReference() {
        // from (0 accuracy, 2.5 ms): 0.9 x (2.5 - 2) + 0.8 x (2 - 1) + 0.6 x (1 - 0.5)
        ParetoFront configured = ParetoFront.of(RESULTS, ACCURACY_LATENCY,
                metric -> metric.equals(Metrics.LATENCY_MS) ? OptionalDouble.of(2.5) : OptionalDouble.empty());
        assertEquals(1.55, configured.hypervolume(), 1e-12);
        assertEquals(Map.of(Metrics.VAL_ACCURACY, 0.0, Metrics.LATENCY_MS, 2.5), configured.reference());
        // without a reference, from the slowest counted (2 ms): trial 1 adds nothing
        ParetoFront worst = ParetoFront.of(RESULTS, ACCURACY_LATENCY, metric -> OptionalDouble.empty());
        assertEquals(0.8 + 0.3, worst.hypervolume(), 1e-12);
        assertEquals(2.0, worst.reference().get(Metrics.LATENCY_MS));
    }

    @Test
    void threeObjectivesGiveTheVolumeOfTheUnionOfTheBoxes() {
        List<Objective> three = List.of(Objective.VALIDATION_ACCURACY, Objective.minimize(Metrics.LATENCY_MS),
                Objective.minimize(Metrics.PARAM_BYTES));
        List<TrialResult> results = List.of(
                new TrialResult.Completed(candidate(1, Candidate.FULL_FIDELITY),
                        metrics(0.5, 1).with(Metrics.PARAM_BYTES, 10), RAN),
                new TrialResult.Completed(candidate(2, Candidate.FULL_FIDELITY),
                        metrics(0.4, 0.5).with(Metrics.PARAM_BYTES, 20), RAN));
        Map<String, Double> reference = Map.of(Metrics.LATENCY_MS, 2.0, Metrics.PARAM_BYTES, 30.0);
        ParetoFront front = ParetoFront.of(results, three, metric -> reference.containsKey(metric)
                ? OptionalDouble.of(reference.get(metric)) : OptionalDouble.empty());
        // boxes 0.5 x 1 x 20 and 0.4 x 1.5 x 10, overlapping in 0.4 x 1 x 10
        assertEquals(10 + 6 - 4, front.hypervolume(), 1e-12);
        assertEquals(2, front.members().size());
    }

    @Test
    void theSummaryCarriesSizeHypervolumeAndReference() {
        ParetoFront front = ParetoFront.of(RESULTS, ACCURACY_LATENCY, metric -> OptionalDouble.empty());
        ObjectNode summary = new ObjectMapper().createObjectNode();
        front.addTo(summary);
        assertEquals(3, summary.get("pareto_size").asInt());
        assertEquals(1.1, summary.get("hypervolume").asDouble(), 1e-12);
        assertEquals(2.0, summary.get("hypervolume_reference").get(Metrics.LATENCY_MS).asDouble());
        assertTrue(front.line().startsWith("Pareto front (val_accuracy up, latency_ms down): 3 of 4 results, "
                + "hypervolume 1.10000 from val_accuracy 0.00000, latency_ms 2.00000"), front.line());
    }

    @Test
    void noCountedResultsGiveAnEmptyFrontAndOneObjectiveIsNoFront() {
        ParetoFront empty = ParetoFront.of(RESULTS.subList(4, 6), ACCURACY_LATENCY, metric -> OptionalDouble.empty());
        assertEquals(0, empty.members().size());
        assertEquals(0, empty.hypervolume());
        assertEquals(Map.of(Metrics.VAL_ACCURACY, 0.0), empty.reference());
        assertThrows(IllegalArgumentException.class, () -> ParetoFront.of(RESULTS,
                List.of(Objective.VALIDATION_ACCURACY), metric -> OptionalDouble.empty()));
    }
}
