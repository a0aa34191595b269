package io.galapagos.worker.network;

import io.galapagos.config.Constraints;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.SequenceArchitecture;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The analytic memory figures against ones computed by hand for small networks. */
class MemoryFootprintTest {

    private static final InputType TEN = InputType.feedForward(10);

    /** input(10) -> d1(8) -> d2(6) -> d3(8) [-> sum(d1, d3)] -> out(3). */
    private static ComputationGraphConfiguration chain(boolean skip) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("d1", new DenseLayer.Builder().nOut(8).build(), "in")
                .addLayer("d2", new DenseLayer.Builder().nOut(6).build(), "d1")
                .addLayer("d3", new DenseLayer.Builder().nOut(8).build(), "d2");
        String last = "d3";
        if (skip) {
            g.addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "d1", "d3");
            last = "sum";
        }
        return g.addLayer("out", new OutputLayer.Builder().nOut(3).build(), last).setOutputs("out")
                .setInputTypes(TEN).build();
    }

    @Test
    void aChainHoldsAtMostOneLayersInputAndOutput() {
        // in 10 + d1 8 = 18; then d1 8 + d2 6 = 14; d2 6 + d3 8 = 14; d3 8 + out 3 = 11
        assertEquals(18, MemoryFootprint.inferencePeakValues(chain(false), TEN, 10));
    }

    @Test
    void aSkipConnectionKeepsItsSourceAliveUntilTheSum() {
        // d1 stays live through d2 and d3: d1 8 + d3 8 + sum 8 = 24 when the sum is made
        assertEquals(24, MemoryFootprint.inferencePeakValues(chain(true), TEN, 10));
    }

    @Test
    void bytesAreValuesAtTheDataTypesWidth() {
        GraphLayers.Plan plan = new GraphLayers.Plan(chain(true), TEN, 10, 100, 0, 50);
        MemoryFootprint memory = MemoryFootprint.of(plan, 8);
        assertEquals(4 * 100, memory.paramBytes());
        assertEquals(4 * 24, memory.inferencePeakBytes());
        // weights, gradients and Adam's two moments; 8 examples' 50 forward values and their gradients
        assertEquals(4 * (4 * 100 + 2 * 8 * 50), memory.trainPeakBytes());
    }

    @Test
    void aSequenceNetworkCountsEveryPositionEvenWhereDl4jLeavesTheLengthOut() throws Exception {
        // 5 token ids; embedding 8 x 5 = 40; the bidirectional LSTM's 2 x 4 x 5 = 40 (its output type has no
        // length); the head's 3 logits; the loss layer's 3. Peak when the LSTM's output is made: 40 + 40 = 80
        BuiltNetwork built = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE)
                .build(SequenceArchitecture.parse("embed8/bilstm4/head-max"), new TokenInput(20, 5, 3), 2, 1e-3, 1);
        try {
            assertEquals(4 * 80, built.memory().inferencePeakBytes());
        } finally {
            built.graph().close();
        }
    }

    @Test
    void aPoolingLayerAfterABidirectionalOneHalvesTheLengthItsOutputsAreCountedAt() throws Exception {
        // 5 token ids; embedding 8 x 5 = 40; the bidirectional LSTM's 2 x 4 x 5 = 40; the pooling's 8 x 3 = 24 (ceil of
        // 5 / 2; DL4J leaves the length out after the bidirectional layer); the LSTM's 32 x 3 = 96; head and loss 3
        // each. Peak when the LSTM's output is made: 24 + 96 = 120 (at the full length of 5 it would be 40 + 160)
        BuiltNetwork built = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE)
                .build(SequenceArchitecture.parse("embed8/bilstm4/maxpool1d/lstm32/head-max"), new TokenInput(20, 5, 3),
                        2, 1e-3, 1);
        try {
            assertEquals(4 * 120, built.memory().inferencePeakBytes());
        } finally {
            built.graph().close();
        }
    }

    @Test
    void aBuiltMacroNetworkCountsItsLayersOutputs() throws Exception {
        // 4x4x1 image 16; conv 4x4x2 = 32 (ReLU inside the layer); pool 2x2x2 = 8; dense 4; output 3
        // peak when the convolution's output is made: 16 + 32 = 48 values
        BuiltNetwork built = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE)
                .build(MacroArchitecture.parse("conv3x3x2:relu/maxpool/dense4:relu"), new InputSpec(4, 4, 1, 3), 2,
                        1e-3, 1);
        try {
            assertEquals(4 * 48, built.memory().inferencePeakBytes());
            assertEquals(4 * built.params(), built.memory().paramBytes());
        } finally {
            built.graph().close();
        }
    }
}
