package io.galapagos.driver.job;

import io.galapagos.config.ConfigLoader;
import io.galapagos.driver.cli.TestdataFileSystem;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A DL4J search in process, with no Spark to hand its trials the configuration's Hadoop settings: its data lies on a
 * file system only those settings configure (as an s3a key in {@code spark.conf}), the driver's screen of its
 * constraints reads the data's shape there, and every trial trains on it.
 */
@Timeout(120)
class InProcessDataSettingsTest {

    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void trialsInProcessReadTheDataWithTheConfigurationsHadoopSettings() throws Exception {
        String yaml = """
                name: settings
                seed: 5
                trials: 2
                executor: in_process
                parallelism: 1
                space: {min_blocks: 1, max_blocks: 1, layers: [dense], dense_units: [8], activations: [relu],
                        batch_norm: [false], dropout: [0.0]}
                data:
                  train_images: %1$s/train-images-idx3-ubyte.gz
                  train_labels: %1$s/train-labels-idx1-ubyte.gz
                  test_images: %1$s/t10k-images-idx3-ubyte.gz
                  test_labels: %1$s/t10k-labels-idx1-ubyte.gz
                  train_limit: 100
                training: {epochs: 1, batch_size: 25, latency_repeats: 1}
                constraints: {max_params: 1000000}
                spark: {conf: {%2$s}}
                """.formatted(TestdataFileSystem.SCHEME + "://" + DATA, String.join(", ", TestdataFileSystem.SETTINGS));
        ConfigLoader.Loaded loaded = ConfigLoader.parse("settings.yaml", yaml, dir, List.of());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<TrialResult> results = new SearchJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(console,
                true, StandardCharsets.UTF_8)).run(dir.resolve("out").toString(), null).results();
        assertEquals(2, results.size());
        assertTrue(results.stream().allMatch(r -> r instanceof TrialResult.Completed), results::toString);
    }
}
