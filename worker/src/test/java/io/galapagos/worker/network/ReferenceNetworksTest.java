package io.galapagos.worker.network;

import io.galapagos.config.Constraints;
import io.galapagos.space.MacroArchitecture;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every reference network of the training benchmark ({@code benchmarks/training/networks.csv}) builds and trains. */
class ReferenceNetworksTest {

    private static final Path NETWORKS = Path.of("..", "benchmarks", "training", "networks.csv");

    @Test
    void everyReferenceNetworkBuildsForFashionMnistAndTakesAStep() throws IOException, InfeasibleNetworkException {
        List<String> lines = Files.readAllLines(NETWORKS);
        assertEquals("name,architecture", lines.get(0));
        assertTrue(lines.size() >= 4, "at least the three networks the benchmark's README describes");
        NetworkBuilder builder = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE);
        Nd4j.getRandom().setSeed(3);
        INDArray features = Nd4j.rand(DataType.FLOAT, 8, 28 * 28);
        INDArray labels = Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7).castTo(DataType.FLOAT);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", 2);
            ComputationGraph graph = builder.build(MacroArchitecture.parse(cells[1]), new InputSpec(28, 28, 1, 10), 8,
                    2e-3, 7).graph();
            try {
                INDArray before = graph.params().dup();
                graph.fit(new DataSet(features, labels));
                assertTrue(Double.isFinite(graph.score()), cells[0] + ": loss " + graph.score());
                assertNotEquals(before, graph.params(), cells[0] + ": a step changes the parameters");
            } finally {
                graph.close();
            }
        }
    }
}
