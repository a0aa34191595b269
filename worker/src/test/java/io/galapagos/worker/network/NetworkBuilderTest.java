package io.galapagos.worker.network;

import io.galapagos.config.Constraints;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.trial.Metrics;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkBuilderTest {

    private static final NetworkBuilder BUILDER = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE);
    private static final InputSpec SQUARE = new InputSpec(8, 8, 1, 3);
    /** Odd, non-square and two channels: pooling rounds up, and a skip pool's kernel outgrows the image. */
    private static final InputSpec ODD = new InputSpec(7, 5, 2, 4);

    @ParameterizedTest
    @ValueSource(strings = {
            "conv3x3x4:relu",
            "maxpool",
            "avgpool/conv1x1x2:relu",
            "dense8:relu",
            "conv3x3x4:leakyrelu/dense8:leakyrelu",
            "conv3x3x4:tanh/dense8:tanh",
            "conv3x3x4:sigmoid/dense8:sigmoid",
            "conv5x5x4:swish/dense8:swish",
            "conv3x3x4:relu:bn/maxpool/dense8:tanh:bn",
            "conv3x3x4:relu:d0.25/maxpool:d0.1/dense8:relu:d0.5",
            // feature ADD: sources of a larger size, one of other channels (projected), one not
            "conv3x3x4:relu/conv3x3x6:relu/maxpool/conv3x3x8:relu:add(0+1)",
            // feature CONCAT: sources one and two halvings larger
            "conv3x3x4:relu/maxpool/maxpool/conv3x3x6:relu:cat(0+1)",
            // a skip source three halvings larger than its target
            "conv3x3x2:relu/maxpool/maxpool/maxpool/conv3x3x3:relu:bn:d0.2:add(0)",
            // head ADD with a projected (8 -> 6 units) and an identity source
            "dense8:relu/dense6:relu/dense6:relu/dense6:relu:add(0+1)",
            // head CONCAT after a feature stage
            "conv3x3x2:relu/dense8:relu/dense6:relu/dense4:sigmoid:cat(1)",
            "conv3x3x32:relu:bn/maxpool/conv3x3x64:relu:add(0)/dense128:relu:d0.5",
    })
    void buildsCountsAndTakesAFiniteTrainingStep(String text) throws Exception {
        for (InputSpec input : new InputSpec[]{SQUARE, ODD}) {
            MacroArchitecture architecture = MacroArchitecture.parse(text);
            BuiltNetwork built = BUILDER.build(architecture, input, 4, 1e-3, 7);
            ComputationGraph graph = built.graph();
            try {
                assertEquals(MacroGraphPlanner.plan(architecture, input, 1e-3, 7, true).params(), built.params(),
                        "analytic parameter count of " + text);
                assertTrue(built.flops() > 0);
                int features = input.height() * input.width() * input.channels();
                DataSet batch = randomBatch(4, features, input.classes(), 11);
                graph.fit(batch);
                assertTrue(Double.isFinite(graph.score()), "loss of " + text + " is " + graph.score());
                INDArray out = graph.outputSingle(false, batch.getFeatures());
                assertArrayEquals(new long[]{4, input.classes()}, out.shape());
            } finally {
                graph.close();
            }
        }
    }

    @Test
    void flopsAndParamsOfASmallNetworkMatchTheHandCount() throws Exception {
        BuiltNetwork built = BUILDER.build(MacroArchitecture.parse("conv3x3x4:relu/maxpool/dense10:relu"),
                new InputSpec(8, 8, 1, 3), 4, 1e-3, 1);
        try {
            // conv 3*3*1*4 MACs at 8x8, dense 4*4*4 -> 10, output 10 -> 3
            assertEquals(2 * (9 * 4 * 64) + 2 * (64 * 10) + 2 * (10 * 3), built.flops());
            assertEquals((9 * 4 + 4) + (64 * 10 + 10) + (10 * 3 + 3), built.params());
        } finally {
            built.graph().close();
        }
    }

    @Test
    void flopsCountTheSkipProjection() throws Exception {
        MacroArchitecture architecture = MacroArchitecture.parse("conv3x3x2:relu/conv3x3x3:relu/conv3x3x4:relu:add(0)");
        BuiltNetwork built = BUILDER.build(architecture, new InputSpec(4, 4, 1, 3), 4, 1e-3, 1);
        try {
            long conv0 = 9 * 1 * 2 * 16;
            long conv1 = 9 * 2 * 3 * 16;
            long projection = 2 * 3 * 16;
            long conv2 = 9 * 3 * 4 * 16;
            long output = 4 * 16 * 3;
            assertEquals(2 * (conv0 + conv1 + projection + conv2 + output), built.flops());
            assertEquals((18 + 2) + (54 + 3) + 6 + (108 + 4) + (64 * 3 + 3), built.params());
        } finally {
            built.graph().close();
        }
    }

    @Test
    void mapsActivationsToTheirDl4jFunctions() throws Exception {
        BuiltNetwork built = BUILDER.build(MacroArchitecture.parse("conv3x3x2:swish/dense4:leakyrelu:bn"), SQUARE, 4,
                1e-3, 1);
        try {
            ComputationGraph graph = built.graph();
            assertInstanceOf(ActivationSwish.class, activation(graph, "b0_conv"));
            assertInstanceOf(ActivationLReLU.class, activation(graph, "b1_act"));
        } finally {
            built.graph().close();
        }
    }

    @Test
    void dropoutZeroesTheBlockInputAtItsRateInTrainingOnly() throws Exception {
        BuiltNetwork built = BUILDER.build(MacroArchitecture.parse("dense16:relu:d0.25"), new InputSpec(10, 10, 1, 3),
                8, 1e-3, 1);
        try {
            INDArray[] ones = {Nd4j.ones(DataType.FLOAT, 8, 100)};
            INDArray training = built.graph().feedForward(ones, true, false).get("b0_dropout");
            double dropped = 1 - training.neq(0).castTo(DataType.FLOAT).meanNumber().doubleValue();
            assertEquals(0.25, dropped, 0.08, "share of the 800 inputs dropped");
            assertEquals(1 / 0.75, training.maxNumber().doubleValue(), 1e-5, "kept values are scaled up");
            INDArray inference = built.graph().feedForward(ones, false, false).get("b0_dropout");
            assertEquals(1.0, inference.minNumber().doubleValue(), 0.0);
        } finally {
            built.graph().close();
        }
    }

    @Test
    void refusesANetworkOverTheParameterLimitBeforeAllocatingIt() {
        NetworkBuilder small = new NetworkBuilder(1_000, 1L << 30, Constraints.NONE);
        InfeasibleNetworkException e = assertThrows(InfeasibleNetworkException.class,
                () -> small.build(MacroArchitecture.parse("dense20000:relu/dense20000:relu"), SQUARE, 4, 1e-3, 1));
        assertTrue(e.getMessage().contains("too large") && e.getMessage().contains("parameters"), e.getMessage());
    }

    @Test
    void refusesANetworkOverAnAnalyticConstraintAndCostsItWithoutBuilding() throws Exception {
        // conv3x3x8 on 32x32x1: 32*32*9*8 multiply-adds = 147,456 FLOPs; the output layer adds 2*8192*3 = 49,152.
        // Parameters: 9*8 + 8 for the convolution, 8192*3 + 3 for the output: 24,659, 98,636 bytes as floats.
        MacroArchitecture conv = MacroArchitecture.parse("conv3x3x8:relu");
        InputSpec input = new InputSpec(32, 32, 1, 3);
        InfeasibleNetworkException flops = assertThrows(InfeasibleNetworkException.class,
                () -> bounded(Constraints.Limit.MFLOPS, 0.196607).build(conv, input, 4, 1e-3, 1));
        assertEquals("mflops 0.196608 is over constraints.max_mflops 0.196607", flops.getMessage());
        assertEquals(24_659, flops.metrics().require(Metrics.PARAMS), "the refusal carries the figures");
        InfeasibleNetworkException bytes = assertThrows(InfeasibleNetworkException.class,
                () -> bounded(Constraints.Limit.PARAM_BYTES, 98_635).cost(conv, input, 4));
        assertEquals("param_bytes 98636 is over constraints.max_param_bytes 98635", bytes.getMessage());

        NetworkBuilder enough = bounded(Constraints.Limit.PARAM_BYTES, 98_636);
        BuiltNetwork built = enough.build(conv, input, 4, 1e-3, 1);
        try {
            assertEquals(196_608, built.flops());
            assertEquals(built.metrics(), enough.cost(conv, input, 4), "the cost is the built network's figures");
        } finally {
            built.graph().close();
        }
    }

    private static NetworkBuilder bounded(Constraints.Limit limit, double maximum) {
        return new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30,
                new Constraints(List.of(new Constraints.Bound(limit, maximum)), true));
    }

    @Test
    void refusesANetworkOverTheMemoryLimit() {
        NetworkBuilder tight = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1 << 20, Constraints.NONE);
        InfeasibleNetworkException e = assertThrows(InfeasibleNetworkException.class,
                () -> tight.build(MacroArchitecture.parse("conv3x3x64:relu"), new InputSpec(32, 32, 1, 3), 256,
                        1e-3, 1));
        assertTrue(e.getMessage().contains("MiB"), e.getMessage());
    }

    private static org.nd4j.linalg.activations.IActivation activation(ComputationGraph graph, String vertex) {
        org.deeplearning4j.nn.conf.layers.Layer layer = graph.getLayer(vertex).conf().getLayer();
        return layer instanceof ActivationLayer a ? a.getActivationFn() : ((BaseLayer) layer).getActivationFn();
    }

    private static DataSet randomBatch(int rows, int features, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, rows, features);
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, classes);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, i % classes, 1f);
        }
        return new DataSet(x, y);
    }
}
