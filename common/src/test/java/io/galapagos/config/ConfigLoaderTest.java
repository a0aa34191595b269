package io.galapagos.config;

import io.galapagos.space.Activation;
import io.galapagos.space.MacroSearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static final String VALID = """
            name: t
            seed: 3
            trials: 12
            strategy: {kind: evolution, population: 6, sample_size: 2}
            space:
              min_blocks: 1
              max_blocks: 4
              layers: [conv, maxpool, dense]
              kernel_sizes: [3, 5]
              filters: [8, 16]
              dense_units: [32]
              activations: [relu, tanh]
              batch_norm: [false]
              dropout: [0.0, 0.25]
              skip_modes: [add]
            data:
              train_images: data/train-images.gz
              train_labels: data/train-labels.gz
              test_images: hdfs://namenode:8020/fmnist/test-images.gz
              test_labels: /abs/test-labels.gz
            training: {epochs: 2, max_seconds: 30, batch_size: 32, learning_rate: 0.01}
            spark: {master: "local[2]", conf: {spark.executor.memory: 2g}}
            """;

    private static MacroSearchSpace macro(SearchConfig c) {
        return assertInstanceOf(MacroSearchSpace.class, c.space());
    }

    private static Dl4jTrainerConfig dl4j(SearchConfig c) {
        return assertInstanceOf(Dl4jTrainerConfig.class, c.trainer());
    }

    private static ConfigLoader.Loaded load(String yaml, String... overrides) {
        return ConfigLoader.parse("test.yaml", yaml, Path.of("/configs"), List.of(overrides));
    }

    private static void assertRejected(String yaml, String expectedMessage, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml, overrides));
        assertEquals(expectedMessage, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void readsEveryKey() {
        SearchConfig c = load(VALID).config();
        assertEquals(12, c.trials());
        assertEquals(StrategyConfig.Kind.EVOLUTION, c.strategy().kind());
        assertEquals(2, c.strategy().sampleSize());
        assertEquals(List.of(3, 5), macro(c).kernelSizes());
        assertEquals(List.of(Activation.RELU, Activation.TANH), macro(c).activations());
        assertEquals("/configs/data/train-images.gz", dl4j(c).data().trainImages());
        assertEquals("hdfs://namenode:8020/fmnist/test-images.gz", dl4j(c).data().testImages());
        assertEquals("/abs/test-labels.gz", dl4j(c).data().testLabels());
        assertEquals(0.01, dl4j(c).training().learningRate());
        assertEquals("local[2]", c.spark().master());
        assertEquals("2g", c.spark().conf().get("spark.executor.memory"));
        assertEquals("s3a://bucket/my data/train-images.gz", dl4j(load(VALID,
                "data.train_images=s3a://bucket/my data/train-images.gz").config()).data().trainImages(),
                "a URI with a space is a URI, not a path under the config's folder");
    }

    @Test
    void theLearningRateIsConstantUnlessACosineScheduleIsAsked() {
        assertEquals(TrainingConfig.LearningRateSchedule.CONSTANT, dl4j(load(VALID).config()).training().schedule());
        assertEquals(TrainingConfig.LearningRateSchedule.COSINE,
                dl4j(load(VALID, "training.lr_schedule=cosine").config()).training().schedule());
        assertRejected(VALID, "--set training.lr_schedule=linear: 'linear' is not valid: expected constant or "
                + "cosine", "training.lr_schedule=linear");
    }

    @Test
    void effectiveConfigLoadsBackToTheSameConfig() {
        ConfigLoader.Loaded first = load(VALID, "training.epochs=5");
        ConfigLoader.Loaded again = ConfigLoader.parse("config.yaml", first.effectiveYaml(), Path.of("/elsewhere"), List.of());
        assertEquals(first.config(), again.config());
        assertTrue(first.effectiveYaml().contains("divergence_factor"), "defaults are written out");
    }

    @Test
    void overridesApplyBeforeValidation() {
        SearchConfig c = load(VALID, "training.epochs=5", "space.filters=[4, 64]", "spark.master=spark://h:7077").config();
        assertEquals(5, dl4j(c).training().epochs());
        assertEquals(List.of(4, 64), macro(c).filters());
        assertEquals("spark://h:7077", c.spark().master());
        assertRejected(VALID, "--set training.epochs: expected KEY=VALUE with a dotted KEY, e.g. training.epochs=3",
                "training.epochs");
        assertRejected(VALID, "--set training.epochs=0: 0 is out of range (must be between 1 and 1000)",
                "training.epochs=0");
    }

    /** One example cannot be split into training and validation: refused when loaded, not by every trial. */
    @Test
    void aTrainLimitOfOneIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(VALID, "data.train_limit=1"));
        assertTrue(e.getMessage().contains("must be 0 (all) or at least 2"), e.getMessage());
        assertEquals(2, dl4j(load(VALID, "data.train_limit=2").config()).data().trainLimit());
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("name: x\nspace: [1, 2\n"));
        assertTrue(e.getMessage().startsWith("test.yaml: line "), e.getMessage());
        assertTrue(e.getMessage().contains("YAML syntax error"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void unknownKeyIsNamed() {
        assertRejected(VALID.replace("kernel_sizes", "kernal_sizes"),
                "test.yaml: space.kernal_sizes: unknown key: did you mean 'kernel_sizes'? (known here: activations, "
                        + "batch_norm, dense_units, dropout, filters, kernel_sizes, kind, layers, max_blocks, min_blocks, "
                        + "skip_modes)");
        assertRejected(VALID + "extra: 1\n", "test.yaml: extra: unknown key (known here: benchmark, constraints, darts, data, executor, max_minutes, "
                + "name, objectives, oneshot, parallelism, recovery, scheduling, seed, space, spark, strategy, synthetic, training, trials)");
    }

    /**
     * A misspelt key leaves the key it meant missing, and the failure that follows names that one; a key one or two
     * letters from a missing known one is named instead, with what it likely meant; an unknown key is offered the same
     * when nothing else failed.
     */
    @Test
    void aMisspeltKeyIsNamedRatherThanTheKeyItLeftMissing() {
        assertRejected(VALID.replace("data:", "dat:"), "test.yaml: dat: unknown key: did you mean 'data'?");
        assertRejected(VALID.replace("train_images:", "train_imagse:"), "test.yaml: data.train_imagse: unknown key: "
                + "did you mean 'train_images'?");
        String benchmark = "name: b\nspace: {kind: nb201}\nbenchmrak: {table: t.csv, signal: val_acc_12ep}\n";
        ConfigException e = assertThrows(ConfigException.class, () -> load(benchmark));
        assertTrue(e.getMessage().startsWith("test.yaml: benchmrak: unknown key: did you mean 'benchmark'?"),
                e.getMessage());
        assertRejected(VALID.replace("data:", "data_files:").replace("seed: 3", "sed: 3"),
                "test.yaml: sed: unknown key: did you mean 'seed'?");
        assertRejected(VALID.replace("trials: 12", "trails: 12"), "test.yaml: trails: unknown key: did you mean "
                + "'trials'? (known here: benchmark, constraints, darts, data, executor, max_minutes, name, objectives, "
                + "oneshot, parallelism, recovery, scheduling, seed, space, spark, strategy, synthetic, training, trials)");
        assertRejected(VALID.replace("\n  train_images: data/train-images.gz", ""),
                "test.yaml: data.train_images: (missing) is required");
    }

    /**
     * A number YAML 1.1 reads otherwise than it looks is refused where a number is read (trials: 010 was 8), and a
     * string of that form is the text written, in the file and back from the config.yaml written of it.
     */
    @Test
    void aNumberThatReadsOtherwiseIsRefusedAndSuchTextReadsAsWritten() {
        String why = "is not a plain decimal number, which YAML 1.1 would read as another (a leading 0 is octal, 0x "
                + "hexadecimal, 0b binary, '_' is left out); write the number in plain decimal";
        assertRejected(VALID.replace("trials: 12", "trials: 010"), "test.yaml: trials: '010' " + why);
        assertRejected(VALID.replace("[32]", "[1_000]"), "test.yaml: space.dense_units[0]: '1_000' " + why);
        assertRejected(VALID.replace("learning_rate: 0.01", "learning_rate: 0x1"), "test.yaml: training.learning_rate: '0x1' " + why);
        ConfigLoader.Loaded loaded = load(VALID.replace("name: t", "name: 2024_01_15"));
        assertEquals("2024_01_15", loaded.config().name());
        ConfigLoader.Loaded again = ConfigLoader.parse("config.yaml", loaded.effectiveYaml(), Path.of("."), List.of());
        assertEquals("2024_01_15", again.config().name(), loaded.effectiveYaml());
    }

    @Test
    void wrongTypesAreNamed() {
        assertRejected(VALID.replace("trials: 12", "trials: twelve"), "test.yaml: trials: 'twelve' should be a whole number");
        assertRejected(VALID.replace("trials: 12", "trials: 1.5"), "test.yaml: trials: 1.5 should be a whole number");
        assertRejected(VALID.replace("trials: 12", "trials: 99999999999999999999"),
                "test.yaml: trials: 99999999999999999999 is out of range (a whole number from -9223372036854775808 to "
                        + "9223372036854775807)");
        assertRejected(VALID.replace("kernel_sizes: [3, 5]", "kernel_sizes: 3"),
                "test.yaml: space.kernel_sizes: 3 should be a list, e.g. [a, b]");
        assertRejected(VALID.replace("kernel_sizes: [3, 5]", "kernel_sizes: [3, five]"),
                "test.yaml: space.kernel_sizes[1]: 'five' should be a whole number");
        assertRejected(VALID.replace("activations: [relu, tanh]", "activations: [relu, gelu]"),
                "test.yaml: space.activations[1]: 'gelu' is not valid: unknown activation 'gelu' "
                        + "(expected one of relu, leakyrelu, tanh, sigmoid, swish)");
        assertRejected(VALID.replace("batch_norm: [false]", "batch_norm: [maybe]"),
                "test.yaml: space.batch_norm[0]: 'maybe' should be true or false");
        assertRejected(VALID.replace("kind: evolution", "kind: bayes"),
                "test.yaml: strategy.kind: 'bayes' is not valid: expected random, evolution, local, reinforce, bananas, "
                        + "nsga2, hyperband or darts");
        assertRejected(VALID.replace("training: {", "training: 3\nx: {"), "test.yaml: training: 3 should be a mapping of keys");
    }

    @Test
    void outOfRangeValuesAreNamed() {
        assertRejected(VALID.replace("learning_rate: 0.01", "learning_rate: -1"),
                "test.yaml: training.learning_rate: -1 is out of range (must be between 1.0E-9 and 9.99)");
        assertRejected(VALID.replace("kernel_sizes: [3, 5]", "kernel_sizes: [3, 4]"),
                "test.yaml: space.kernel_sizes: 4 must be odd, between 1 and 11");
        assertRejected(VALID.replace("max_blocks: 4", "max_blocks: 0"),
                "test.yaml: space.max_blocks: 0 is out of range (must be between 1 and 24)");
        assertRejected(VALID.replace("min_blocks: 1", "min_blocks: 5"),
                "test.yaml: space.max_blocks: 4 must be between min_blocks (5) and 24");
        assertRejected(VALID.replace("sample_size: 2", "sample_size: 7"),
                "test.yaml: strategy.sample_size: 7 must be between 1 and population (6)");
        assertRejected(VALID.replace("filters: [8, 16]", "filters: [8, 8]"), "test.yaml: space.filters: 8 is listed twice");
        assertRejected(VALID.replace("training: {", "data2: 1\ntraining: {").replace("test_labels: /abs/test-labels.gz",
                "test_labels: /abs/test-labels.gz\n  validation_fraction: 0.9"),
                "test.yaml: data.validation_fraction: 0.9 is out of range (must be between 0.0 and 0.5)");
    }

    @Test
    void emptyChoiceSetsAreNamed() {
        assertRejected(VALID.replace("filters: [8, 16]", "filters: []"),
                "test.yaml: space.filters: [] must list at least one choice");
        assertRejected(VALID.replace("layers: [conv, maxpool, dense]", "layers: []"),
                "test.yaml: space.layers: [] must list at least one choice");
    }

    @Test
    void theNameIsAPlainFolderName() {
        for (String good : List.of("quickstart", "nb201-evolution", "run_2.v3", "A", "0", "-x")) {
            assertEquals(good, load(VALID.replace("name: t", "name: " + good)).config().name());
        }
        String rule = " is not a plain name: use letters, digits, '.', '_' and '-', not starting with '.', at most 100 "
                + "characters (it names the output folder)";
        for (String bad : List.of("../../elsewhere", "a/b", ".hidden", "..", "x y", "é", "a:b", "'*'", "x".repeat(101))) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(VALID.replace("name: t", "name: " + bad)),
                    bad);
            assertTrue(e.getMessage().startsWith("test.yaml: name: '") && e.getMessage().endsWith(rule), e.getMessage());
        }
        // a long name is cut within its quotes, and counted without them
        assertRejected(VALID.replace("name: t", "name: " + "x".repeat(101)), "test.yaml: name: '" + "x".repeat(100)
                + "…' (101 characters)" + rule);
    }

    @Test
    void messagesAreOneLineWhateverTheValue() {
        assertRejected(VALID.replace("name: t", "name: \"two\\nlines\\u0000\""),
                "test.yaml: name: 'two\\nlines\\u0000' is not a plain name: use letters, digits, '.', '_' and '-', not "
                        + "starting with '.', at most 100 characters (it names the output folder)");
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(VALID.replace("trials: 12", "trials: " + "9".repeat(500))));
        assertEquals("test.yaml: trials: " + "9".repeat(100) + "… (500 characters) is out of range (a whole number from "
                + "-9223372036854775808 to 9223372036854775807)", e.getMessage());
    }

    @Test
    void aPathThatNoFileSystemTakesIsNamed() {
        assertRejected(VALID.replace("train_images: data/train-images.gz", "train_images: \"a\\0b\""),
                "test.yaml: data.train_images: 'a\\u0000b' is not a path: Nul character not allowed");
    }

    @Test
    void missingRequiredValueIsNamed() {
        assertRejected(VALID.replace("  train_labels: data/train-labels.gz\n", ""),
                "test.yaml: data.train_labels: (missing) is required");
    }

    @Test
    void missingFileIsReported(@TempDir Path dir) throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("none.yaml"), List.of()));
        assertEquals(dir.resolve("none.yaml") + ": no such file", e.getMessage());
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, VALID);
        assertEquals(dir.resolve("data/train-images.gz").toString(),
                dl4j(ConfigLoader.load(file, List.of()).config()).data().trainImages());
    }

    private static SchedulingConfig scheduling(String yaml, String... overrides) {
        return load(yaml, overrides).config().scheduling();
    }

    @Test
    void schedulingDefaultsToSteadyWithADeadlineFromTheTrainingBudget() {
        SchedulingConfig s = scheduling(VALID);
        assertEquals(SchedulingConfig.Mode.STEADY, s.mode());
        assertEquals(0, s.generation());
        // DL4J with training.max_seconds 30: max(120, 3 * 30)
        assertEquals(Duration.ofSeconds(120), s.trialTimeout());
        assertTrue(s.hasTrialTimeout());
        assertEquals(SchedulingConfig.Batching.AUTO, s.batching());
        assertTrue(s.batchingEnabled());
        assertEquals(Duration.ofSeconds(1), s.batchWindow());
        assertEquals(SchedulingConfig.defaults(load(VALID).config().trainer()), s);
        // a longer budget: 3 * 100 s
        assertEquals(Duration.ofSeconds(300), scheduling(VALID, "training.max_seconds=100").trialTimeout());
        assertEquals(Duration.ofMillis(361_500), scheduling(VALID, "training.max_seconds=120.5").trialTimeout());
        // the training default (120 s) gives 360 s
        assertEquals(Duration.ofSeconds(360), scheduling(VALID.replace("max_seconds: 30, ", "")).trialTimeout());
        String effective = load(VALID).effectiveYaml();
        assertTrue(effective.contains("scheduling:\n  mode: steady\n  generation: 0\n  trial_timeout_seconds: 120.0\n"
                + "  batching: auto\n  batch_window_seconds: 1.0\n"), effective);
    }

    @Test
    void readsEverySchedulingKey() {
        SchedulingConfig s = scheduling(VALID + """
                scheduling:
                  mode: generational
                  generation: 16
                  trial_timeout_seconds: 7.25
                  batching: auto
                  batch_window_seconds: 0.5
                """);
        assertEquals(new SchedulingConfig(SchedulingConfig.Mode.GENERATIONAL, 16, Duration.ofMillis(7250),
                SchedulingConfig.Batching.AUTO, Duration.ofMillis(500)), s);
        assertEquals("generational", s.mode().text());
        assertEquals(0, scheduling(VALID, "scheduling.mode=generational").generation());
        SchedulingConfig off = scheduling(VALID, "scheduling.batching=off", "scheduling.trial_timeout_seconds=0");
        assertEquals(SchedulingConfig.Batching.OFF, off.batching());
        assertFalse(off.batchingEnabled());
        assertEquals(Duration.ZERO, off.trialTimeout());
        assertFalse(off.hasTrialTimeout());
        assertEquals("off", off.batching().text());
        // YAML 1.1 reads a bare off (on) as false (true)
        assertEquals(SchedulingConfig.Batching.OFF, scheduling(VALID + "scheduling: {batching: off}\n").batching());
        assertEquals(SchedulingConfig.Batching.OFF, scheduling(VALID + "scheduling: {batching: 'off'}\n").batching());
        assertEquals(SchedulingConfig.Batching.AUTO, scheduling(VALID + "scheduling: {batching: on}\n").batching());
        assertTrue(load(VALID, "scheduling.batching=off").effectiveYaml().contains("  batching: \"off\"\n"));
        // keys for the other mode are kept, unused, so that --set can switch modes on any config
        SchedulingConfig switched = scheduling(VALID + "scheduling: {mode: generational, generation: 8, batch_window_seconds: 2}\n",
                "scheduling.mode=steady", "scheduling.batching=off");
        assertEquals(SchedulingConfig.Mode.STEADY, switched.mode());
        assertEquals(8, switched.generation());
        assertEquals(Duration.ofSeconds(2), switched.batchWindow());
    }

    @Test
    void schedulingLoadsBackFromTheEffectiveConfig() {
        for (String[] overrides : List.of(new String[0],
                new String[] {"scheduling.mode=generational", "scheduling.generation=5", "scheduling.batching=off"},
                new String[] {"scheduling.trial_timeout_seconds=0.001", "scheduling.batch_window_seconds=0.125"},
                // a training budget whose default deadline, three times it, would pass the deadline's own maximum
                new String[] {"training.max_seconds=4000000"})) {
            ConfigLoader.Loaded first = load(VALID, overrides);
            ConfigLoader.Loaded again = ConfigLoader.parse("config.yaml", first.effectiveYaml(), Path.of("/elsewhere"),
                    List.of());
            assertEquals(first.config(), again.config());
            assertEquals(first.effectiveYaml(), again.effectiveYaml());
        }
    }

    @Test
    void badSchedulingValuesAreNamed() {
        assertRejected(VALID, "--set scheduling.mode=batch: 'batch' is not valid: expected steady, ordered or generational",
                "scheduling.mode=batch");
        assertRejected(VALID, "--set scheduling.mode=3: 3 should be a name", "scheduling.mode=3");
        assertRejected(VALID, "--set scheduling.generation=-1: -1 is out of range (must be between 0 and 1000000)",
                "scheduling.mode=generational", "scheduling.generation=-1");
        assertRejected(VALID, "--set scheduling.generation=2.5: 2.5 should be a whole number",
                "scheduling.mode=generational", "scheduling.generation=2.5");
        assertRejected(VALID, "--set scheduling.trial_timeout_seconds=-1: -1 is out of range (must be between 0.0 "
                + "and 1.0E7)", "scheduling.trial_timeout_seconds=-1");
        assertRejected(VALID, "--set scheduling.trial_timeout_seconds=never: 'never' should be a number",
                "scheduling.trial_timeout_seconds=never");
        assertRejected(VALID, "--set scheduling.batching=sometimes: 'sometimes' is not valid: expected auto or off",
                "scheduling.batching=sometimes");
        assertRejected(VALID, "--set scheduling.batching=2: 2 should be a name", "scheduling.batching=2");
        assertRejected(VALID, "--set scheduling.batch_window_seconds=0: 0 is out of range (must be between 0.001 "
                + "and 3600.0)", "scheduling.batch_window_seconds=0");
        assertRejected(VALID, "--set scheduling.slots=2: unknown key (known here: batch_window_seconds, batching, "
                + "generation, mode, trial_timeout_seconds)", "scheduling.slots=2");
        assertRejected(VALID + "scheduling: steady\n", "test.yaml: scheduling: 'steady' should be a mapping of keys");
    }

    @Test
    void schedulingRecordsValidateThemselves() {
        Duration second = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new SchedulingConfig(SchedulingConfig.Mode.GENERATIONAL,
                -1, Duration.ZERO, SchedulingConfig.Batching.AUTO, second));
        assertThrows(IllegalArgumentException.class, () -> new SchedulingConfig(SchedulingConfig.Mode.STEADY, 0,
                Duration.ofSeconds(-1), SchedulingConfig.Batching.AUTO, second));
        assertThrows(IllegalArgumentException.class, () -> new SchedulingConfig(SchedulingConfig.Mode.STEADY, 0,
                Duration.ZERO, SchedulingConfig.Batching.AUTO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new SchedulingConfig(null, 0, Duration.ZERO,
                SchedulingConfig.Batching.AUTO, second));
        assertEquals(Duration.ZERO, SchedulingConfig.defaultTrialTimeout(SyntheticTrainerConfig.defaults()));
        assertEquals(Duration.ZERO, SchedulingConfig.defaultTrialTimeout(
                new TabularTrainerConfig("t.csv", "acc", null, List.of())));
        assertEquals(1.5, SchedulingConfig.seconds(SchedulingConfig.ofSeconds(1.5)));
    }
}
