package io.galapagos.config;

import io.galapagos.trial.Metrics;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static io.galapagos.config.ConfigAssertions.assertRejected;
import static io.galapagos.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code constraints} section: upper bounds on a trained network's metrics. */
class ConstraintsConfigTest {

    private static Constraints constraints(String yaml, String... overrides) {
        return ((Dl4jTrainerConfig) load(yaml, overrides).trainer()).training().constraints();
    }

    @Test
    void boundsAreReadInLimitOrderAndScreeningIsOnByDefault() {
        Constraints c = constraints(ConfigAssertions.CELL_SEARCH
                + "constraints: {max_latency_ms: 2, max_param_bytes: 262144}\n", "constraints.max_mflops=0.5");
        assertEquals(List.of(new Constraints.Bound(Constraints.Limit.MFLOPS, 0.5),
                new Constraints.Bound(Constraints.Limit.PARAM_BYTES, 262144),
                new Constraints.Bound(Constraints.Limit.LATENCY_MS, 2)), c.bounds());
        assertTrue(c.screen() && c.screensBeforeDispatch());
        assertEquals(Constraints.NONE, constraints(ConfigAssertions.CELL_SEARCH));
        assertEquals(OptionalDouble.of(2), c.maximum(Constraints.Limit.LATENCY_MS));
        assertEquals(OptionalDouble.empty(), c.maximum(Constraints.Limit.PARAMS));
        assertTrue(constraints(ConfigAssertions.CELL_SEARCH + "constraints: {max_latency_ms: 2}\n")
                .screensBeforeDispatch(), "latency is screened once the driver predicts it well");
        assertFalse(constraints(ConfigAssertions.CELL_SEARCH + "constraints: {max_measured_train_bytes: 1e9}\n")
                .screensBeforeDispatch(), "measured memory leaves the driver nothing to check");
        assertFalse(constraints(ConfigAssertions.CELL_SEARCH + "constraints: {max_params: 9, screen: false}\n")
                .screensBeforeDispatch());
    }

    @Test
    void aViolationNamesTheMetricItsValueAndTheBoundInTheKeysUnit() {
        Constraints c = constraints(ConfigAssertions.CELL_SEARCH + "constraints: {max_mflops: 2, max_latency_ms: 1.5}\n");
        assertEquals(Optional.empty(), c.violation(Metrics.EMPTY.with(Metrics.FLOPS, 2e6)));
        assertEquals(Optional.of("mflops 2.5 is over constraints.max_mflops 2"),
                c.violation(Metrics.EMPTY.with(Metrics.FLOPS, 2.5e6).with(Metrics.LATENCY_MS, 9)));
        assertEquals(Optional.of("latency_ms 1.73125 is over constraints.max_latency_ms 1.5"),
                c.violation(Metrics.EMPTY.with(Metrics.FLOPS, 1e6).with(Metrics.LATENCY_MS, 1.73125)));
        assertEquals(Optional.empty(), c.violation(Metrics.EMPTY.with(Metrics.PARAMS, 1e9)), "unbounded metric");
    }

    @Test
    void anUnknownMetricOrABoundOfZeroOrLessIsRefusedInOneLine() {
        assertRejected("test.yaml: constraints.max_flops: unknown key: did you mean 'max_mflops'? (known here: ",
                ConfigAssertions.CELL_SEARCH + "constraints: {max_flops: 5}\n");
        assertRejected("max_latency_ms, max_measured_train_bytes, max_mflops",
                ConfigAssertions.CELL_SEARCH + "constraints: {max_flops: 5}\n");
        assertRejected("test.yaml: constraints.max_latency_ms: 0.0 must be a positive number",
                ConfigAssertions.CELL_SEARCH + "constraints: {max_latency_ms: 0}\n");
        assertRejected("constraints.max_params", ConfigAssertions.CELL_SEARCH + "constraints: {max_params: -3}\n");
    }

    @Test
    void theOldTrainingKeyPointsToTheNewSectionAndItsDefaultStillLoads() {
        assertRejected("test.yaml: training.max_mflops: 5 has moved to the constraints section: write "
                        + "'constraints: {max_mflops: 5}' instead",
                ConfigAssertions.CELL_SEARCH.replace("epochs: 2,", "epochs: 2, max_mflops: 5,"));
        // every output written before the move records the old default, and must resume
        assertEquals(Constraints.NONE, constraints(ConfigAssertions.CELL_SEARCH.replace("epochs: 2,",
                "epochs: 2, max_mflops: 0.0,")));
    }

    @Test
    void aLatencyModelFileIsReadRelativeToTheConfigAndOnlyWhereALatencyBoundIsScreened() {
        Dl4jTraining t = (Dl4jTraining) load(ConfigAssertions.CELL_SEARCH
                + "constraints: {max_latency_ms: 1, latency_model: ../runs/a/latency-model.json}\n").trainer();
        assertEquals(new LatencyModelConfig("/runs/a/latency-model.json", 0), t.latencyModel());
        assertEquals(LatencyModelConfig.NONE, ((Dl4jTraining) load(ConfigAssertions.CELL_SEARCH).trainer()).latencyModel());
        assertRejected("test.yaml: constraints.latency_model: 'm.json' needs a latency bound to screen: set "
                + "constraints.max_latency_ms", ConfigAssertions.CELL_SEARCH + "constraints: {latency_model: m.json}\n");
        assertRejected("constraints.latency_model: 'm.json' is used only by the driver's screen, which "
                + "constraints.screen: false turns off", ConfigAssertions.CELL_SEARCH
                + "constraints: {max_latency_ms: 1, latency_model: m.json, screen: false}\n");
    }

    @Test
    void aLatencyProfileIsACountAndOnlyWhereALatencyBoundIsScreened() {
        Dl4jTraining t = (Dl4jTraining) load(ConfigAssertions.CELL_SEARCH
                + "constraints: {max_latency_ms: 1, latency_profile: 40}\n").trainer();
        assertEquals(new LatencyModelConfig(null, 40), t.latencyModel());
        assertRejected("test.yaml: constraints.latency_profile: 40 needs a latency bound to screen: set "
                + "constraints.max_latency_ms", ConfigAssertions.CELL_SEARCH + "constraints: {latency_profile: 40}\n");
        assertRejected("constraints.latency_profile: 40 is used only by the driver's screen, which "
                + "constraints.screen: false turns off", ConfigAssertions.CELL_SEARCH
                + "constraints: {max_latency_ms: 1, latency_profile: 40, screen: false}\n");
        assertRejected("constraints.latency_profile: -1", ConfigAssertions.CELL_SEARCH
                + "constraints: {max_latency_ms: 1, latency_profile: -1}\n");
    }

    @Test
    void onlyTrainedSearchesTakeConstraints() {
        assertRejected("test.yaml: constraints: section is not used with a 'synthetic' section",
                "name: t\nspace: {kind: nb201}\nsynthetic: {}\nconstraints: {max_params: 10}\n");
    }

    @Test
    void theEffectiveConfigurationHoldsTheWrittenBoundsAndTheTrainingKeySeesThem() {
        String yaml = ConfigAssertions.CELL_SEARCH + "constraints: {max_latency_ms: 2}\n";
        String effective = ConfigLoader.parse("test.yaml", yaml, Path.of("/configs"), List.of()).effectiveYaml();
        assertTrue(effective.contains("constraints:\n  max_latency_ms: 2.0\n"), effective);
        assertFalse(effective.contains("max_params"), effective);
        assertNotEquals(load(ConfigAssertions.CELL_SEARCH).trainer().toString(), load(yaml).trainer().toString(),
                "results under other bounds are not reused by a warm start");
    }
}
