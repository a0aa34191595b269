package io.galapagos.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --set KEY=VALUE}: applied before validation, and every error names the value's source. */
class OverridesTest {

    private static final String CONFIG = """
            name: t
            trials: 5
            space: {min_blocks: 2, max_blocks: 4, filters: [16, 32]}
            synthetic: {median_seconds: 0.1}
            """;

    private static SearchConfig load(String... overrides) {
        return ConfigLoader.parse("c.yaml", CONFIG, Path.of("/c"), List.of(overrides)).config();
    }

    private static void assertRejected(String expectedMessage, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(overrides));
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void anErrorInTheOverriddenValueNamesTheOverride() {
        assertRejected("--set trails=3: unknown key (known here: benchmark, constraints, darts, data, executor, max_minutes, name, "
                + "objectives, oneshot, parallelism, recovery, scheduling, seed, space, spark, strategy, synthetic, training, trials)", "trails=3");
        assertRejected("--set trials=0: 0 is out of range (must be between 1 and 1000000)", "trials=0");
        assertRejected("--set space.filters=[16, 0]: space.filters[1]: 0 is out of range (must be between 1 and 4096)",
                "space.filters=[16, 0]");
        // a mapping given whole: the key inside it is named
        assertRejected("--set space={filters: [8, 8]}: space.filters: 8 is listed twice", "space={filters: [8, 8]}");
        // an override that put a mapping where a value was
        assertRejected("--set trials.x=1: trials: {\"x\":1} should be a whole number", "trials.x=1");
    }

    @Test
    void theLastOverrideOfAKeyIsTheOneNamed() {
        assertRejected("--set trials=-1: -1 is out of range (must be between 1 and 1000000)", "trials=7", "trials=-1");
        assertEquals(7, load("trials=-1", "trials=7").trials());
    }

    /** What reaching a recorded search's files needs before its configuration is read: as the loader reads them. */
    @ParameterizedTest
    @ValueSource(strings = {
        "trials=9|spark.conf.spark.hadoop.fs.s3a.endpoint=\"http://minio:9000\"|spark.conf.spark.hadoop.fs.s3a.access.key=first|spark.conf.spark.hadoop.fs.s3a.access.key=second",
        "spark.conf.a=b|spark.conf.c=d|spark.conf.a=e",
        "spark.conf.a=b|spark.conf={x: y}",
        "spark={conf: {x: 1}}|spark.conf.z=2"})
    void theSparkPropertiesOfTheOverridesAreReadAsTheSparkConfSectionReadsThem(String joined) {
        List<String> overrides = List.of(joined.split("\\|"));
        Map<String, String> loaded = load(overrides.toArray(String[]::new)).spark().conf();
        assertFalse(loaded.isEmpty());
        assertEquals(loaded, Overrides.of("--set", overrides).sparkConf());
    }

    @Test
    void aFileErrorIsTheFilesEvenWithOverrides() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("c.yaml",
                CONFIG.replace("trials: 5", "trials: 0"), Path.of("/c"), List.of("seed=3")));
        assertEquals("c.yaml: trials: 0 is out of range (must be between 1 and 1000000)", e.getMessage());
    }

    @Test
    void aConflictBetweenTheFileAndAnOverrideNamesBoth() {
        assertRejected("c.yaml with --set space.min_blocks=6: space.max_blocks: 4 must be between min_blocks (6) and 24",
                "space.min_blocks=6");
        assertRejected("c.yaml with --set benchmark.table=t.csv: synthetic: section cannot be used with a 'benchmark' "
                + "section (each says how trials are run); remove one of them", "benchmark.table=t.csv");
    }

    @Test
    void malformedOverridesAreNamed() {
        for (String bad : List.of("trials", "=3", ".=1", "a..b=1", "space.=1", ".space=1", " =1")) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(bad), bad);
            assertEquals("--set " + bad + ": expected KEY=VALUE with a dotted KEY, e.g. training.epochs=3",
                    e.getMessage());
        }
        assertRejected("--set trials=[: line 1, column 2: YAML syntax error: expected the node content, but found "
                + "'<stream end>' (while parsing a flow node from line 1)", "trials=[");
        assertRejected("--set trials=*a: line 1, column 1: YAML aliases are not supported; write the value out (in "
                + "quotes, if it starts with '*')", "trials=*a");
    }

    /** What an unset shell variable gives ({@code --set training.epochs=$EPOCHS}): refused, not the default. */
    @Test
    void anOverrideWithNoValueIsRefusedAndNullUnsetsAKey() {
        for (String empty : List.of("trials=", "trials= ", "strategy.population=\t")) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(empty), empty);
            assertTrue(e.getMessage().endsWith(": has no value after '='; give one, or KEY=null to unset the key"),
                    e.getMessage());
        }
        assertEquals(SearchConfig.class, load("trials=7", "trials=null").getClass(), "null unsets the key");
    }

    @Test
    void belowSparkConfTheRestOfTheKeyIsOneSparkProperty() {
        assertEquals("2g", load("spark.conf.spark.executor.memory=2g").spark().conf().get("spark.executor.memory"));
    }

    @Test
    void blameMovesALaterCheckOfAnOverriddenKeyToTheOverride() {
        Overrides overrides = Overrides.of("c.yaml", List.of("data.train_images=x.gz"));
        ConfigException fromFile = new ConfigException("c.yaml", "data.train_images", "'x.gz' does not exist");
        assertEquals("--set data.train_images=x.gz: 'x.gz' does not exist", overrides.blame(fromFile).getMessage());
        ConfigException other = new ConfigException("c.yaml", "data.test_images", "'y.gz' does not exist");
        assertSame(other, overrides.blame(other));
    }
}
