package io.galapagos.driver.execution;

import io.galapagos.config.ConfigException;
import io.galapagos.config.SparkSettings;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SparkContextsTest {

    @Test
    void defaults() {
        SparkConf conf = SparkContexts.conf(new SparkSettings("local[3]", Map.of()), "test app");
        assertEquals("local[3]", conf.get("spark.master"));
        assertEquals("test app", conf.get("spark.app.name"));
        assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));
        assertEquals("io.galapagos.worker.spark.GalapagosKryoRegistrator", conf.get("spark.kryo.registrator"));
        assertEquals("true", conf.get("spark.kryo.registrationRequired"));
        assertEquals("false", conf.get("spark.speculation"));
        assertEquals("2", conf.get("spark.task.maxFailures"));
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("false", conf.get("spark.ui.enabled"));
        assertEquals("true", conf.get("spark.task.reaper.enabled"));
        assertEquals("120s", conf.get("spark.task.reaper.killTimeout"));
    }

    @Test
    void aSparkThatCannotStartIsOneLineOfBadInput() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SparkContexts.create(new SparkSettings("bogus", Map.of()), "app").stop());
        assertEquals("spark: master bogus: Spark refused its settings: Could not parse Master URL: 'bogus'",
                e.getMessage());
    }

    @Test
    void speculationStaysOffWhateverTheUserAsks() {
        SparkConf conf = SparkContexts.conf(new SparkSettings("local[2]", Map.of("spark.speculation", "true")), "app");
        assertEquals("false", conf.get("spark.speculation"));
    }

    @Test
    void theUserWins() {
        SparkConf conf = SparkContexts.conf(new SparkSettings("spark://h:7077", Map.of(
                "spark.ui.enabled", "true",
                "spark.task.maxFailures", "4",
                "spark.task.cpus", "2",
                "spark.app.name", "mine",
                "spark.kryo.registrationRequired", "false")), "test app");
        assertEquals("spark://h:7077", conf.get("spark.master"));
        assertEquals("true", conf.get("spark.ui.enabled"));
        assertEquals("4", conf.get("spark.task.maxFailures"));
        assertEquals("mine", conf.get("spark.app.name"));
        assertEquals("false", conf.get("spark.kryo.registrationRequired"));
        assertEquals("2", conf.get("spark.executorEnv.OMP_NUM_THREADS"), "one OpenMP thread per task core");
    }

    @Test
    void anExplicitOpenMpSettingIsKept() {
        SparkConf conf = SparkContexts.conf(new SparkSettings("local", Map.of(
                "spark.task.cpus", "4", "spark.executorEnv.OMP_NUM_THREADS", "3")), "a");
        assertEquals("3", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
    }

    @Test
    void theMasterFieldBeatsSparkMasterInConf() {
        SparkConf conf = SparkContexts.conf(new SparkSettings("local[2]", Map.of("spark.master", "yarn")), "a");
        assertEquals("local[2]", conf.get("spark.master"));
    }

    @Test
    void otherRegistratorsAreKeptAndOursAdded() {
        SparkConf conf = SparkContexts.conf(new SparkSettings("local", Map.of(
                "spark.kryo.registrator", "io.galapagos.acme.Registrator, io.galapagos.worker.spark.GalapagosKryoRegistrator")), "a");
        assertEquals("io.galapagos.worker.spark.GalapagosKryoRegistrator,io.galapagos.acme.Registrator",
                conf.get("spark.kryo.registrator"));
        assertFalse(conf.get("spark.kryo.registrator").contains(" "));
    }

    @Test
    void aForeignClassInASystemPropertyIsRefused() {
        String before = System.setProperty("spark.extraListeners", "io.galapagos.Mine, com.evil.Listener");
        try {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> SparkContexts.conf(new SparkSettings("local", Map.of()), "a"));
            assertEquals("spark-submit --conf / spark-defaults.conf: spark.extraListeners: 'com.evil.Listener' is "
                    + "refused: only Galapagos classes (io.galapagos.*) may be named in a configuration", e.getMessage());
        } finally {
            restore("spark.extraListeners", before);
        }
    }

    @Test
    void systemPropertiesNamingOurClassesOrSparksBuiltInsPass() {
        String serializer = System.setProperty("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
        String codec = System.setProperty("spark.io.compression.codec", "snappy");
        try {
            SparkConf conf = SparkContexts.conf(new SparkSettings("local", Map.of()), "a");
            assertEquals("org.apache.spark.serializer.JavaSerializer", conf.get("spark.serializer"));
            assertEquals("snappy", conf.get("spark.io.compression.codec"));
        } finally {
            restore("spark.serializer", serializer);
            restore("spark.io.compression.codec", codec);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
