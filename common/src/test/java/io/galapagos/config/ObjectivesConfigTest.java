package io.galapagos.config;

import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;

import static io.galapagos.config.ConfigAssertions.assertRejected;
import static io.galapagos.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code objectives} section of a trained search: validation accuracy up, cost metrics down. */
class ObjectivesConfigTest {

    @Test
    void accuracyAloneByDefaultAndMinimisedMetricsInTheOrderWritten() {
        assertEquals(List.of(Objective.VALIDATION_ACCURACY), load(ConfigAssertions.CELL_SEARCH).objectives());
        SearchConfig c = load(ConfigAssertions.CELL_SEARCH
                + "objectives: {maximize: val_accuracy, minimize: [latency_ms, param_bytes]}\n");
        assertEquals(List.of(Objective.VALIDATION_ACCURACY, Objective.minimize(Metrics.LATENCY_MS),
                Objective.minimize(Metrics.PARAM_BYTES)), c.objectives());
    }

    @Test
    void theHypervolumeReferenceIsTheConfiguredOneElseTheConstraintsBoundInTheMetricsUnit() {
        TrainerConfig t = load(ConfigAssertions.CELL_SEARCH
                + "objectives: {minimize: [latency_ms, flops, params], reference: {latency_ms: 3}}\n"
                + "constraints: {max_latency_ms: 1, max_mflops: 2.5}\n").trainer();
        assertEquals(OptionalDouble.of(3), t.hypervolumeReference(Metrics.LATENCY_MS), "configured beats the bound");
        assertEquals(OptionalDouble.of(2.5e6), t.hypervolumeReference(Metrics.FLOPS), "max_mflops is in millions");
        assertEquals(OptionalDouble.empty(), t.hypervolumeReference(Metrics.PARAMS), "neither: the worst found");
    }

    @Test
    void badObjectivesAreRefusedInOneLineNamingTheKey() {
        assertRejected("test.yaml: objectives.minimize[1]: 'energy_mj' is not a metric the trainer measures for every "
                        + "network; one of params, flops, param_bytes",
                ConfigAssertions.CELL_SEARCH + "objectives: {minimize: [latency_ms, energy_mj]}\n");
        assertRejected("objectives.minimize[0]: 'test_accuracy' is reported, never optimised",
                ConfigAssertions.CELL_SEARCH + "objectives: {minimize: [test_accuracy]}\n");
        assertRejected("objectives.minimize[0]: 'val_accuracy' is maximised",
                ConfigAssertions.CELL_SEARCH + "objectives: {minimize: [val_accuracy]}\n");
        assertRejected("objectives.minimize[1]: 'flops' is listed twice",
                ConfigAssertions.CELL_SEARCH + "objectives: {minimize: [flops, flops]}\n");
        assertRejected("test.yaml: objectives.maximize: test_accuracy cannot be maximised: trained searches "
                        + "maximise val_accuracy (test accuracy is reported, never optimised)",
                ConfigAssertions.CELL_SEARCH + "objectives: {maximize: test_accuracy}\n");
        assertRejected("objectives.reference.params: 5.0 is not a minimised metric (minimize: [flops])",
                ConfigAssertions.CELL_SEARCH + "objectives: {minimize: [flops], reference: {params: 5}}\n");
        assertRejected("objectives.reference.flops: 0.0 must be a positive number",
                ConfigAssertions.CELL_SEARCH + "objectives: {minimize: [flops], reference: {flops: 0}}\n");
        assertRejected("objectives.reference.flops: many should be a number",
                ConfigAssertions.CELL_SEARCH + "objectives: {minimize: [flops], reference: {flops: many}}\n");
        assertRejected("objectives.goal: unknown key",
                ConfigAssertions.CELL_SEARCH + "objectives: {goal: [flops]}\n");
    }

    @Test
    void nsga2NeedsASecondObjective() {
        assertRejected("test.yaml: strategy.kind: nsga2 needs a second objective beside val_accuracy: name one in "
                + "objectives.minimize", ConfigAssertions.CELL_SEARCH + "strategy: {kind: nsga2}\n");
        assertEquals(2, load(ConfigAssertions.CELL_SEARCH + "strategy: {kind: nsga2}\n",
                "objectives.minimize=[latency_ms]").objectives().size());
    }

    @Test
    void onlySearchesThatTrainEveryCandidateTakeCostObjectives() {
        assertRejected("test.yaml: objectives: section is not used with a 'synthetic' section",
                "name: t\nspace: {kind: nb201}\nsynthetic: {}\nobjectives: {minimize: [flops]}\n");
        assertRejected("objectives: section is for trained searches; a benchmark names its minimised columns in "
                + "benchmark.minimize", "name: t\nspace: {kind: nb201}\nbenchmark: {table: t.csv, signal: acc}\n"
                + "objectives: {minimize: [flops]}\n");
        assertRejected("objectives.minimize: [flops] applies to searches that train every candidate",
                ConfigAssertions.CELL_SEARCH + "oneshot: {}\nobjectives: {minimize: [flops]}\n");
    }
}
