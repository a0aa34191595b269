package io.galapagos.config;

import io.galapagos.space.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No class named in a configuration is loaded unless it is one of ours (or a built-in Spark names itself). */
class ClassPolicyTest {

    private static final String ONLY_OURS = "only Galapagos classes (io.galapagos.*) may be named in a configuration";

    private static final String CONFIG = """
            name: t
            data: {train_images: a, train_labels: b, test_images: c, test_labels: d}
            spark:
              conf:
            """;

    private static ConfigLoader.Loaded load(String sparkConf) {
        return ConfigLoader.parse("x.yaml", CONFIG + "    " + sparkConf + "\n", Path.of("/configs"), List.of());
    }

    @Test
    void aForeignListenerInTheConfigurationIsAOneLineError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("spark.extraListeners: com.evil.Listener"));
        assertEquals("x.yaml: spark.conf.spark.extraListeners: 'com.evil.Listener' is refused: " + ONLY_OURS,
                e.getMessage());
        assertEquals("spark.conf.spark.extraListeners", e.key());
    }

    @Test
    void theFirstForeignClassOfAListIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("spark.kryo.registrator: \"io.galapagos.a.Registrator, org.objenesis.Evil\""));
        assertEquals("x.yaml: spark.conf.spark.kryo.registrator: 'org.objenesis.Evil' is refused: " + ONLY_OURS,
                e.getMessage());
    }

    @Test
    void aSetOverrideIsCheckedToo() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("x.yaml", CONFIG,
                Path.of("/c"), List.of("spark.conf={spark.plugins: com.evil.Plugin}")));
        assertEquals("--set spark.conf={spark.plugins: com.evil.Plugin}: spark.conf.spark.plugins: 'com.evil.Plugin' "
                + "is refused: " + ONLY_OURS, e.getMessage());
    }

    @Test
    void ourClassesAndSparksBuiltInsLoad() {
        Map<String, String> conf = load("{spark.serializer: org.apache.spark.serializer.JavaSerializer, "
                + "spark.kryo.registrator: io.galapagos.worker.spark.GalapagosKryoRegistrator, "
                + "spark.io.compression.codec: zstd, spark.shuffle.manager: sort, spark.executor.memory: 2g, "
                + "spark.extraListeners: \"\"}").config().spark().conf();
        assertEquals("zstd", conf.get("spark.io.compression.codec"));
        assertEquals("org.apache.spark.serializer.JavaSerializer", conf.get("spark.serializer"));
    }

    @Test
    void theSerializerMayBeOnlyOneOfSparksTwo() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("spark.serializer: org.apache.spark.sql.execution.UnsafeRowSerializer"));
        assertEquals("x.yaml: spark.conf.spark.serializer: 'org.apache.spark.sql.execution.UnsafeRowSerializer' is "
                + "refused: " + ONLY_OURS + ", or Spark's org.apache.spark.serializer.KryoSerializer or JavaSerializer",
                e.getMessage());
    }

    @Test
    void aCodecClassThatIsNotSparksIsRefused() {
        assertNull(ClassPolicy.refusedClass("spark.io.compression.codec", "lz4"));
        assertNull(ClassPolicy.refusedClass("spark.io.compression.codec", "org.apache.spark.io.ZStdCompressionCodec"));
        assertEquals("com.evil.Codec", ClassPolicy.refusedClass("spark.io.compression.codec", "com.evil.Codec"));
    }

    @Test
    void everyClassValuedPropertyIsCovered() {
        for (String key : List.of("spark.serializer", "spark.kryo.registrator", "spark.kryo.classesToRegister",
                "spark.plugins", "spark.extraListeners", "spark.executor.plugins", "spark.driver.plugins",
                "spark.sql.extensions", "spark.sql.queryExecutionListeners",
                "spark.sql.streaming.streamingQueryListeners", "spark.shuffle.manager", "spark.io.compression.codec",
                "spark.broadcast.factory", "spark.shuffle.io.plugin.class", "spark.shuffle.sort.io.plugin.class",
                "spark.ui.filters", "spark.user.groups.mapping", "spark.resources.discoveryPlugin",
                "spark.sql.catalog.spark_catalog", "spark.sql.catalog.mine", "spark.sql.cache.serializer",
                "spark.kubernetes.executor.pod.featureSteps", "spark.metrics.conf.*.sink.x.class",
                "spark.metrics.conf.driver.source.y.class", "spark.hadoop.fs.s3a.impl",
                "spark.hadoop.fs.AbstractFileSystem.s3a.impl", "spark.hadoop.fs.s3a.aws.credentials.provider",
                "spark.hadoop.io.compression.codecs", "spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a",
                "spark.hadoop.hadoop.security.group.mapping")) {
            assertTrue(ClassPolicy.namesClasses(key), key);
            assertEquals("com.evil.X", ClassPolicy.refusedClass(key, "com.evil.X"), key);
            assertNull(ClassPolicy.refusedClass(key, "io.galapagos.X"), key);
        }
        for (String key : List.of("spark.executor.memory", "spark.sql.catalog.mine.url", "spark.sql.catalogImplementation",
                "spark.hadoop.fs.s3a.committer.name", "spark.hadoop.hadoop.security.credential.provider.path",
                "spark.metrics.conf.*.sink.x.period", "spark.kryo.registrationRequired")) {
            assertFalse(ClassPolicy.namesClasses(key), key);
        }
    }

    @Test
    void hadoopPropertiesMayNameHadoopsOwnClasses() {
        assertNull(ClassPolicy.refusedClass("spark.hadoop.fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem"));
        assertEquals("com.amazonaws.auth.Evil",
                ClassPolicy.refusedClass("spark.hadoop.fs.s3a.aws.credentials.provider", "com.amazonaws.auth.Evil"));
        assertNull(ClassPolicy.refusedClass("spark.metrics.conf.*.sink.console.class",
                "org.apache.spark.metrics.sink.ConsoleSink"));
        assertNull(ClassPolicy.refusedClass("spark.shuffle.manager", "tungsten-sort"));
    }

    @Test
    void checkThrowsWithKeyClassAndReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassPolicy.check(
                Map.of("spark.ui.filters", "io.galapagos.ui.Filter,org.eclipse.jetty.Evil")));
        assertEquals("spark.ui.filters: 'org.eclipse.jetty.Evil' is refused: " + ONLY_OURS, e.getMessage());
    }

    @Test
    void sparkSettingsRefusesWhereverItIsBuilt() {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> new SparkSettings(null, Map.of("spark.plugins", "com.evil.Plugin")));
        assertEquals("conf.spark.plugins", e.key());
    }
}
