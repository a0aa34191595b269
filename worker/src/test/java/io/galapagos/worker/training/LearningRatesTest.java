package io.galapagos.worker.training;

import io.galapagos.config.Constraints;
import io.galapagos.space.SequenceArchitecture;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.network.TokenInput;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A schedule or rate reaches every parameter of a text network, SameDiff and bidirectional layers included. */
class LearningRatesTest {

    @BeforeAll
    static void oneThread() {
        NativeThreads.limit(1);
    }

    /** Each parameter of {@code graph} with its updater, as "layer/parameter". */
    private static List<java.util.Map.Entry<String, IUpdater>> updaters(ComputationGraph graph) {
        List<java.util.Map.Entry<String, IUpdater>> updaters = new ArrayList<>();
        for (Layer layer : graph.getLayers()) {
            for (String param : layer.paramTable().keySet()) {
                updaters.add(java.util.Map.entry(layer.conf().getLayer().getLayerName() + "/" + param,
                        layer.conf().getLayer().getUpdaterByParam(param)));
            }
        }
        return updaters;
    }

    @Test
    void everyParameterOfATextNetworkFollowsTheScheduleAndThenTheFixedRate() throws Exception {
        ComputationGraph graph = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE)
                .build(SequenceArchitecture.parse("embed8/bilstm4/transformer2x16/attention2/head-attention"),
                        new TokenInput(30, 9, 3), 8, 1e-2, 3).graph();
        try {
            CosineDecay cosine = new CosineDecay(1e-2, 40);
            LearningRates.set(graph, cosine);
            List<java.util.Map.Entry<String, IUpdater>> updaters = updaters(graph);
            assertTrue(updaters.size() > 10, updaters.toString());
            for (var updater : updaters) {
                // halfway along the cosine, half the rate; at its end, none
                assertEquals(5e-3, updater.getValue().getLearningRate(20, 0), 1e-12, updater.getKey());
                assertEquals(0, updater.getValue().getLearningRate(40, 1), 1e-12, updater.getKey());
            }
            // what an exported model is saved with: plain DL4J has no CosineDecay class
            LearningRates.set(graph, 3e-3);
            for (var updater : updaters(graph)) {
                assertEquals(3e-3, updater.getValue().getLearningRate(20, 0), 1e-12, updater.getKey());
            }
            assertFalse(graph.getConfiguration().toJson().contains(CosineDecay.class.getSimpleName()));
        } finally {
            graph.close();
        }
    }
}
