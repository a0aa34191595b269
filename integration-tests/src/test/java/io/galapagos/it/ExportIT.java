package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/galapagos export} data-parallel on a real standalone cluster (a Worker running two one-core executor
 * JVMs): a small search's answer retrained with DL4J Spark, the model written with its provenance, restored by
 * DL4J's {@link ModelSerializer}; and the same export in one JVM ({@code --master local[1]}) for comparison.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class ExportIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theAnswerRetrainsDataParallelOnTheClusterAndInOneJvm(@TempDir Path dir) throws Exception {
        Path data = GalapagosLauncher.repo().resolve("data/fashion-mnist");
        Path config = Files.writeString(dir.resolve("small.yaml"), """
                name: export-check
                seed: 4
                trials: 4
                parallelism: 2
                space:
                  min_blocks: 1
                  max_blocks: 2
                  layers: [conv, maxpool, dense]
                  kernel_sizes: [3]
                  filters: [4, 8]
                  dense_units: [16, 32]
                  activations: [relu]
                  batch_norm: [false]
                  dropout: [0.0]
                data:
                  train_images: %1$s/train-images-idx3-ubyte.gz
                  train_labels: %1$s/train-labels-idx1-ubyte.gz
                  test_images: %1$s/t10k-images-idx3-ubyte.gz
                  test_labels: %1$s/t10k-labels-idx1-ubyte.gz
                  train_limit: 1200
                training: {epochs: 1, max_seconds: 30, batch_size: 50, learning_rate: 0.005, latency_repeats: 2}
                spark:
                  conf:
                    spark.executor.cores: "1"
                    spark.cores.max: "2"
                    spark.executor.memory: 1g
                    spark.driver.host: %2$s
                """.formatted(data, StandaloneCluster.HOST));
        Path output = dir.resolve("search");
        GalapagosLauncher.Finished search = GalapagosLauncher.run(Map.of(), dir.resolve("search.log"), 180, "run",
                config.toString(), "--master", "local[2]", "--output", output.toString());
        assertEquals(0, search.exitCode(), search.log());

        JsonNode clusterProvenance;
        try (StandaloneCluster cluster = StandaloneCluster.builder().name("ExportIT").start()) {
            GalapagosLauncher.Finished export = GalapagosLauncher.run(cluster.environment(), dir.resolve("export.log"),
                    180, "export", output.toString(), "--epochs", "2", "--master", cluster.masterUrl(), "--output",
                    dir.resolve("cluster-model").toString());
            assertEquals(0, export.exitCode(), export.log() + "\n" + cluster.logTails());
            assertTrue(export.log().contains("data-parallel with DL4J Spark on " + cluster.masterUrl()), export.log());
            clusterProvenance = JSON.readTree(Files.readString(dir.resolve("cluster-model/provenance.json")));
        }
        GalapagosLauncher.Finished local = GalapagosLauncher.run(Map.of(), dir.resolve("local.log"), 120, "export",
                output.toString(), "--epochs", "2", "--master", "local[1]", "--output",
                dir.resolve("local-model").toString());
        assertEquals(0, local.exitCode(), local.log());
        JsonNode localProvenance = JSON.readTree(Files.readString(dir.resolve("local-model/provenance.json")));

        JsonNode best = JSON.readTree(Files.readString(output.resolve("best.json")));
        for (JsonNode provenance : new JsonNode[]{clusterProvenance, localProvenance}) {
            assertEquals(best.get("architecture").asText(), provenance.get("architecture").asText());
            assertEquals(1200, provenance.get("data").get("train_examples").asInt());
            assertEquals(2, provenance.get("export").get("epochs").asInt());
        }
        JsonNode parallel = clusterProvenance.get("export");
        assertTrue(parallel.get("mode").asText().startsWith("data-parallel"), parallel.toString());
        assertTrue(parallel.get("master").asText().startsWith("spark://"), parallel.toString());
        assertEquals("in-process", localProvenance.get("export").get("mode").asText());
        for (String model : new String[]{"cluster-model", "local-model"}) {
            ComputationGraph restored = ModelSerializer.restoreComputationGraph(
                    dir.resolve(model).resolve("model.zip").toFile(), false);
            assertEquals(10, restored.outputSingle(Nd4j.zeros(DataType.FLOAT, 1, 1, 28, 28)).columns(),
                    "a probability per class of Fashion-MNIST");
        }
        double clusterAccuracy = parallel.get("test_accuracy").asDouble();
        double localAccuracy = localProvenance.get("export").get("test_accuracy").asDouble();
        // two epochs of 1,200 examples: both well above chance (0.1), and averaging costs little
        assertTrue(clusterAccuracy > 0.5 && localAccuracy > 0.5, clusterAccuracy + " / " + localAccuracy);
        assertTrue(Math.abs(clusterAccuracy - localAccuracy) < 0.1, clusterAccuracy + " / " + localAccuracy);
    }
}
