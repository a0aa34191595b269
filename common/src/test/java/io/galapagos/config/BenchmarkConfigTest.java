package io.galapagos.config;

import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.trial.Objective;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark mode's keys: {@code space.kind}, {@code benchmark}, {@code executor}; strategy specs; and the
 * synthetic trainer's {@code synthetic} section.
 */
class BenchmarkConfigTest {

    private static final String VALID = """
            name: nb
            trials: 50
            executor: in_process
            parallelism: 1
            strategy: {kind: evolution, population: 10, sample_size: 3}
            space: {kind: nb201}
            benchmark:
              table: ../benchmarks/nb201/cifar10.csv
              signal: val_acc_12ep
              report: test_acc_200ep
              minimize: [latency_ms_pixel3]
            """;

    private static ConfigLoader.Loaded load(String yaml, String... overrides) {
        return ConfigLoader.parse("b.yaml", yaml, Path.of("/work/conf"), List.of(overrides));
    }

    private static void assertRejected(String yaml, String expectedMessage, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml, overrides));
        assertEquals(expectedMessage, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void readsABenchmarkConfig() {
        SearchConfig c = load(VALID).config();
        assertEquals(CellSearchSpace.nb201(), c.space());
        assertEquals(SearchConfig.ExecutorKind.IN_PROCESS, c.executor());
        TabularTrainerConfig t = assertInstanceOf(TabularTrainerConfig.class, c.trainer());
        assertEquals("/work/benchmarks/nb201/cifar10.csv", t.table());
        assertEquals("val_acc_12ep", t.signal());
        assertEquals("test_acc_200ep", t.report());
        assertEquals(List.of(Objective.maximize("val_acc_12ep"), Objective.minimize("latency_ms_pixel3")), c.objectives());
        assertEquals(Objective.maximize("val_acc_12ep"), c.objective());
        assertEquals(List.of("test_acc_200ep"), t.reported());
    }

    @Test
    void effectiveConfigLoadsBackToTheSameConfig() {
        ConfigLoader.Loaded first = load(VALID, "space.operations=[none, nor_conv_3x3]");
        ConfigLoader.Loaded again = ConfigLoader.parse("config.yaml", first.effectiveYaml(), Path.of("/elsewhere"), List.of());
        assertEquals(first.config(), again.config());
        assertEquals(List.of(CellOperation.NONE, CellOperation.NOR_CONV_3X3),
                ((CellSearchSpace) again.config().space()).operations());
    }

    @Test
    void reportAndMinimizeAreOptionalAndUrisStayAsTheyAre() {
        SearchConfig c = load(VALID.replace("  report: test_acc_200ep\n", "").replace("  minimize: [latency_ms_pixel3]\n", "")
                .replace("../benchmarks/nb201/cifar10.csv", "hdfs://nn:8020/b/t.csv")).config();
        TabularTrainerConfig t = (TabularTrainerConfig) c.trainer();
        assertEquals("hdfs://nn:8020/b/t.csv", t.table());
        assertEquals(List.of(), t.reported());
        assertEquals(List.of(Objective.maximize("val_acc_12ep")), c.objectives());
    }

    @Test
    void dl4jConfigsHaveTheValidationAccuracyObjective() {
        Dl4jTrainerConfig dl4j = new Dl4jTrainerConfig(new DataConfig("a", "b", "c", "d", 0.1, 0),
                new TrainingConfig(1, 10, 32, 0.01, 10, 5, Constraints.NONE), ObjectivesConfig.ACCURACY, LatencyModelConfig.NONE);
        assertEquals(List.of(Objective.VALIDATION_ACCURACY), dl4j.objectives());
    }

    @Test
    void badBenchmarkKeysAreNamed() {
        assertRejected(VALID.replace("kind: nb201", "kind: nb301"),
                "b.yaml: space.kind: 'nb301' is not valid: expected macro, nb201 or sequence");
        assertRejected(VALID.replace("  signal: val_acc_12ep\n", ""), "b.yaml: benchmark.signal: (missing) is required");
        assertRejected(VALID.replace("  table: ../benchmarks/nb201/cifar10.csv\n", ""),
                "b.yaml: benchmark.table: (missing) is required");
        assertRejected(VALID.replace("[latency_ms_pixel3]", "[latency_ms_pixel3, val_acc_12ep]"),
                "b.yaml: benchmark.minimize: 'val_acc_12ep' is the signal, which is maximised");
        assertRejected(VALID.replace("[latency_ms_pixel3]", "[params_m, params_m]"),
                "b.yaml: benchmark.minimize: 'params_m' is listed twice");
        assertRejected(VALID.replace("[latency_ms_pixel3]", "latency_ms_pixel3"),
                "b.yaml: benchmark.minimize: 'latency_ms_pixel3' should be a list, e.g. [a, b]");
        assertRejected(VALID + "  reprot: x\n",
                "b.yaml: benchmark.reprot: unknown key (known here: fidelities, minimize, report, signal, table)");
        assertRejected(VALID.replace("{kind: nb201}", "{kind: nb201, max_blocks: 3}"),
                "b.yaml: space.max_blocks: unknown key (known here: kind, operations)");
        assertRejected(VALID.replace("{kind: nb201}", "{kind: nb201, operations: [none, conv]}"),
                "b.yaml: space.operations[1]: 'conv' is not valid: unknown cell operation 'conv' "
                        + "(expected none, skip_connect, nor_conv_1x1, nor_conv_3x3 or avg_pool_3x3)");
        assertRejected(VALID.replace("executor: in_process", "executor: local"),
                "b.yaml: executor: 'local' is not valid: expected spark or in_process");
    }

    @Test
    void benchmarkAndTrainingSectionsDoNotMix() {
        assertRejected(VALID + "training: {epochs: 3}\n", "b.yaml: training: section is not used with a 'benchmark' "
                + "section (benchmark results are looked up, not trained); remove one of them");
    }

    @Test
    void strategySpecsReadLikeTheStrategySection() {
        StrategyConfig evolution = ConfigLoader.strategy("--strategies", "evolution");
        assertEquals(StrategyConfig.Kind.EVOLUTION, evolution.kind());
        assertEquals(10, evolution.population());
        assertEquals(3, evolution.sampleSize());
        StrategyConfig tuned = ConfigLoader.strategy("--strategies", "evolution:population=20, sample_size=5");
        assertEquals(20, tuned.population());
        assertEquals(5, tuned.sampleSize());
        assertEquals(StrategyConfig.Kind.RANDOM, ConfigLoader.strategy("--strategies", "random").kind());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.strategy("--strategies", "evolution:population=1"));
        assertTrue(e.getMessage().startsWith("--strategies: population: 1 "), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.strategy("--strategies", "evolution:sizes"));
        assertEquals("--strategies: sizes: expected key=value, e.g. evolution:population=10,sample_size=3", e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.strategy("--strategies", "evolution:popu=3"));
        assertTrue(e.getMessage().startsWith("--strategies: popu: unknown key"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.strategy("--strategies", "bayes"));
        assertTrue(e.getMessage().startsWith("--strategies: kind: 'bayes' is not valid"), e.getMessage());
    }

    @Test
    void readsFidelityColumnsAndChecksThemAgainstTheSignalAndHyperband() {
        String multi = VALID.replace("signal: val_acc_12ep", "signal: val_acc_200ep")
                .replace("  report: test_acc_200ep\n", "  report: test_acc_200ep\n  fidelities: [val_acc_12ep, val_acc_200ep]\n")
                .replace("{kind: evolution, population: 10, sample_size: 3}", "{kind: hyperband, inner: local}");
        ConfigLoader.Loaded loaded = load(multi);
        TabularTrainerConfig t = (TabularTrainerConfig) loaded.config().trainer();
        assertEquals(List.of("val_acc_12ep", "val_acc_200ep"), t.fidelities());
        assertEquals(2, t.levels());
        assertEquals("val_acc_12ep", t.fidelityColumn(0));
        assertEquals("val_acc_12ep", t.namedColumns().get("fidelities[0]"));
        assertEquals(loaded.config(), ConfigLoader.parse("config.yaml", loaded.effectiveYaml(), Path.of("/x"),
                List.of()).config());
        assertEquals(List.of(), ((TabularTrainerConfig) load(VALID).config().trainer()).fidelities());
        assertEquals(1, ((TabularTrainerConfig) load(VALID).config().trainer()).levels());
        assertRejected(multi.replace("[val_acc_12ep, val_acc_200ep]", "[val_acc_200ep, val_acc_12ep]"),
                "b.yaml: benchmark.fidelities: [val_acc_200ep, val_acc_12ep] must end with the signal "
                        + "('val_acc_200ep'), the full fidelity, not 'val_acc_12ep'");
        assertRejected(multi.replace("[val_acc_12ep, val_acc_200ep]", "[val_acc_200ep]"),
                "b.yaml: benchmark.fidelities: [val_acc_200ep] must list at least two columns, cheapest first, "
                        + "the last the signal");
        assertRejected(multi.replace("inner: local", "inner: local, fidelities: 3"),
                "b.yaml: strategy.fidelities: 3 must equal the number of benchmark.fidelities (2: val_acc_12ep, "
                        + "val_acc_200ep)");
        assertRejected(VALID.replace("{kind: evolution, population: 10, sample_size: 3}", "{kind: hyperband}"),
                "b.yaml: strategy.kind: 'hyperband' needs benchmark.fidelities: the fidelity columns, cheapest "
                        + "first, the last the signal (e.g. [val_acc_12ep, val_acc_200ep])");
    }

    private static final String SYNTHETIC = """
            name: synth
            space: {kind: nb201}
            synthetic:
              median_seconds: 0.01
              sigma: 0.25
              straggler_probability: 0.05
              straggler_factor: 20
              failure_probability: 0.02
            """;

    @Test
    void readsASyntheticConfigForEitherSpace() {
        SearchConfig c = load(SYNTHETIC).config();
        assertEquals(new SyntheticTrainerConfig(0.01, 0.25, 0.05, 20, 0.02), c.trainer());
        assertEquals(List.of(Objective.maximize("score")), c.objectives());
        assertEquals(List.of(), c.trainer().reported());
        assertEquals(Duration.ZERO, c.scheduling().trialTimeout(), "no default deadline without DL4J");
        assertEquals(CellSearchSpace.nb201(), c.space());
        SearchConfig macro = load("space: {kind: macro, max_blocks: 3}\nsynthetic: {median_seconds: 0}\n").config();
        assertEquals(new SyntheticTrainerConfig(0, 0.5, 0, 10, 0), macro.trainer());
        // an empty section, even a bare key, is every default
        assertEquals(SyntheticTrainerConfig.defaults(), load("synthetic:\n").config().trainer());
        assertEquals(SyntheticTrainerConfig.defaults(), load("synthetic: {}\n").config().trainer());
        assertEquals(SyntheticTrainerConfig.defaults(), load("name: x\n", "synthetic.sigma=0.5").config().trainer());
        for (String yaml : List.of(SYNTHETIC, "synthetic:\n")) {
            ConfigLoader.Loaded first = load(yaml);
            assertTrue(first.effectiveYaml().contains("straggler_factor:"), first.effectiveYaml());
            assertEquals(first.config(), ConfigLoader.parse("config.yaml", first.effectiveYaml(), Path.of("/x"),
                    List.of()).config());
        }
    }

    @Test
    void badSyntheticValuesAreNamed() {
        assertRejected(SYNTHETIC, "--set synthetic.median_seconds=-1: -1 is out of range (must be between 0.0 and 1.0E7)",
                "synthetic.median_seconds=-1");
        assertRejected(SYNTHETIC, "--set synthetic.sigma=-0.1: -0.1 is out of range (must be between 0.0 and 10.0)",
                "synthetic.sigma=-0.1");
        assertRejected(SYNTHETIC, "--set synthetic.straggler_probability=1.5: 1.5 is out of range (must be between 0.0 "
                + "and 1.0)", "synthetic.straggler_probability=1.5");
        assertRejected(SYNTHETIC, "--set synthetic.straggler_factor=0.5: 0.5 is out of range (must be between 1.0 and "
                + "1000000.0)", "synthetic.straggler_factor=0.5");
        assertRejected(SYNTHETIC, "--set synthetic.failure_probability=-0.5: -0.5 is out of range (must be between 0.0 "
                + "and 1.0)", "synthetic.failure_probability=-0.5");
        assertRejected(SYNTHETIC, "--set synthetic.sigma=wide: 'wide' should be a number", "synthetic.sigma=wide");
        assertRejected(SYNTHETIC, "--set synthetic.median=1: unknown key (known here: failure_probability, "
                + "median_seconds, sigma, straggler_factor, straggler_probability)", "synthetic.median=1");
        assertRejected(SYNTHETIC.replace("synthetic:\n", "synthetic: 3\nx:\n"),
                "b.yaml: synthetic: 3 should be a mapping of keys");
        assertThrows(IllegalArgumentException.class, () -> new SyntheticTrainerConfig(1, 0.5, 0, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticTrainerConfig(Double.NaN, 0.5, 0, 1, 0));
    }

    @Test
    void theSyntheticSectionExcludesTheOtherTrainers() {
        assertRejected(VALID + "synthetic: {median_seconds: 1}\n", "b.yaml: synthetic: section cannot be used with a "
                + "'benchmark' section (each says how trials are run); remove one of them");
        assertRejected(SYNTHETIC + "training: {epochs: 3}\n", "b.yaml: training: section is not used with a "
                + "'synthetic' section (synthetic trials are simulated, not trained); remove one of them");
        assertRejected(SYNTHETIC + "data: {train_images: a}\n", "b.yaml: data: section is not used with a "
                + "'synthetic' section (synthetic trials are simulated, not trained); remove one of them");
    }
}
