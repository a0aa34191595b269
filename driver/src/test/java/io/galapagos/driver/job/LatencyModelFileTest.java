package io.galapagos.driver.job;

import io.galapagos.config.ConfigException;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.SearchConfig;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.training.HardwareSignature;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code constraints.latency_model}: the measurements of an earlier search's {@code latency-model.json} come back as
 * results to learn from, and a file that is missing, is not a latency model, was learnt on another space or, for
 * executors on this machine, on another processor is refused in one line naming the key.
 */
class LatencyModelFileTest {

    private static final String HERE = HardwareSignature.processor() + ", 1 thread, CPU backend";

    @TempDir
    Path dir;

    private SearchConfig config(String model, String... overrides) {
        String yaml = """
                name: t
                space: {min_blocks: 1, max_blocks: 2, layers: [dense], dense_units: [8, 16], activations: [relu, tanh]}
                data:
                  train_images: data/train-images.gz
                  train_labels: data/train-labels.gz
                  test_images: data/test-images.gz
                  test_labels: data/test-labels.gz
                constraints: {max_latency_ms: 1, latency_model: %s}
                """.formatted(model);
        return ConfigLoader.parse("t.yaml", yaml, dir, List.of(overrides)).config();
    }

    private Path write(String hardware, String architecture) throws Exception {
        Path file = dir.resolve("latency-model.json");
        Files.writeString(file, """
                {"window": 20, "min_spearman": 0.9, "hardware": {"%s": {"measured": 2, "screening": false,
                  "coefficients": {"base": 0.1},
                  "measurements": [{"architecture": "dense8:relu", "latency_ms": 0.25},
                                   {"architecture": "%s", "latency_ms": 0.5}]}}}
                """.formatted(hardware, architecture));
        return file;
    }

    private String refusal(SearchConfig config) {
        ConfigException e = assertThrows(ConfigException.class, () -> LatencyModelFile.read("t.yaml", config,
                new Configuration()));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.yaml: constraints.latency_model: '"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theMeasurementsComeBackWithTheirHardwareAndLatency() throws Exception {
        Path file = write(HERE, "dense16:relu/dense8:tanh");
        List<TrialResult> results = LatencyModelFile.read("t.yaml", config(file.toString()), new Configuration());
        assertEquals(List.of("dense8:relu", "dense16:relu/dense8:tanh"),
                results.stream().map(r -> r.candidate().architecture().text()).toList());
        assertEquals(List.of(0.25, 0.5), results.stream().map(r -> r.metrics().require(Metrics.LATENCY_MS)).toList());
        assertTrue(results.stream().allMatch(r -> r.execution().hardware().equals(HERE)));
        assertEquals(List.of(), LatencyModelFile.read("t.yaml", config("m.json", "constraints.max_latency_ms=2",
                "constraints.latency_model=null"), new Configuration()), "no file, nothing to learn");
    }

    @Test
    void aModelOfAnotherSpaceOrProcessorOrNoModelAtAllIsRefused() throws Exception {
        assertTrue(refusal(config(write(HERE, "conv3x3x8:relu/dense8:relu").toString())).contains("' was learnt on "
                + "another search space: 'conv3x3x8:relu/dense8:relu' is not in the search space: block 0 "
                + "(conv3x3x8:relu): layer type conv is not in the space"));
        Path elsewhere = write("Some Other CPU, 1 thread, CPU backend", "dense16:relu");
        assertTrue(refusal(config(elsewhere.toString())).contains("was measured on Some Other CPU, 1 thread, CPU "
                + "backend, and this search's executors run here, on " + HardwareSignature.processor()));
        // on a cluster the executors' processors are not this machine's: the model keeps a track per hardware
        assertEquals(2, LatencyModelFile.read("t.yaml", config(elsewhere.toString(),
                "spark.master=spark://cluster:7077"), new Configuration()).size());
        assertTrue(refusal(config("missing.json")).endsWith("missing.json' does not exist"));
        Files.writeString(dir.resolve("summary.json"), "{\"trials\": 3}");
        assertTrue(refusal(config("summary.json")).endsWith("holds no measurements: not a latency-model.json of a "
                + "search with constraints.max_latency_ms"));
        Files.writeString(dir.resolve("broken.json"), "{\"hardware\": ");
        assertTrue(refusal(config("broken.json")).contains("broken.json' is not JSON"));
    }

    /**
     * A file whose networks read another input (another image size) is refused once the search knows its own; one of
     * this input, or one written before the file recorded it, is taken.
     */
    @Test
    void aModelOfNetworksReadingAnotherInputIsRefused() throws Exception {
        Path file = write(HERE, "dense16:relu");
        SearchConfig config = config(file.toString());
        InputSpec ours = new InputSpec(28, 28, 1, 10);
        LatencyModelFile.checkInput("t.yaml", config, new Configuration(), ours);
        String json = Files.readString(file).strip();
        Files.writeString(file, json.substring(0, json.length() - 1) + ", \"input\": \""
                + new InputSpec(32, 32, 3, 10).describe() + "\"}");
        ConfigException e = assertThrows(ConfigException.class,
                () -> LatencyModelFile.checkInput("t.yaml", config, new Configuration(), ours));
        assertTrue(e.getMessage().endsWith("' was measured on networks reading images of 32x32x3, 10 classes; this "
                + "search's read images of 28x28x1, 10 classes, whose kernels and latencies differ"), e.getMessage());
        Files.writeString(file, json.substring(0, json.length() - 1) + ", \"input\": \"" + ours.describe() + "\"}");
        LatencyModelFile.checkInput("t.yaml", config, new Configuration(), ours);
    }
}
