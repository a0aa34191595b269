package io.galapagos.worker.network;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.space.Architecture;
import io.galapagos.space.CellArchitecture;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native layers ({@link NativeConvolution}, {@link NativeBatchNorm}) against DeepLearning4J's own: the
 * same architecture built both ways, from the same seed, has the same parameters, computes the same outputs
 * (inference and training mode), the same loss and gradients, and after three Adam steps the same
 * parameters, running statistics included; and a native network saved with {@link ModelSerializer}
 * restores to the same outputs.
 */
class NativeLayersTest {

    private static final InputSpec INPUT = new InputSpec(9, 7, 2, 3);
    private static final int BATCH = 6;

    private static NetworkBuilder builder(boolean nativeLayers) {
        return new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE, new CellNetworkConfig(4, 1),
                nativeLayers);
    }

    private static DataSet batch(long seed) {
        Random random = new Random(seed);
        float[] features = new float[BATCH * INPUT.height() * INPUT.width() * INPUT.channels()];
        for (int i = 0; i < features.length; i++) {
            features[i] = random.nextFloat();
        }
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, INPUT.classes());
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, i % INPUT.classes(), 1);
        }
        return new DataSet(Nd4j.create(features, new long[]{BATCH, features.length / BATCH}, DataType.FLOAT), labels);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertEquals(expected.length(), actual.length(), what);
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double difference = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(difference <= tolerance * scale, what + ": largest difference " + difference + " against a scale of "
                + scale);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "conv3x3x4:relu/maxpool",
            "conv5x5x4:tanh:bn/maxpool/dense8:relu:bn",
            "avgpool/conv3x3x3:swish:bn/conv1x1x5:leakyrelu",
            // a 1x1 projection convolution on the skip, and a batch-normalised block after the merge
            "conv3x3x4:relu/conv3x3x6:relu:bn/maxpool/conv3x3x8:relu:bn:add(0+1)",
            // NB201 cells on their skeleton: strided reductions, shared ReLUs, sums of several edges
            "|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|nor_conv_3x3~2|",
            "|none~0|+|nor_conv_1x1~0|none~1|+|nor_conv_3x3~0|avg_pool_3x3~1|skip_connect~2|",
    })
    void computeAndLearnWhatDl4jsOwnLayersDo(String text) throws Exception {
        Architecture architecture = Architecture.parse(text);
        ComputationGraph reference = builder(false).build(architecture, INPUT, BATCH, 1e-2, 11).graph();
        ComputationGraph fast = builder(true).build(architecture, INPUT, BATCH, 1e-2, 11).graph();
        try {
            assertTrue(fast.getLayers().length > 0 && java.util.Arrays.stream(fast.getLayers()).anyMatch(
                    l -> l instanceof NativeConvolution.Convolution || l instanceof NativeBatchNorm.Normalization),
                    "the fast network uses native layers");
            assertEquals(reference.params(), fast.params(), "the same initial parameters");
            DataSet data = batch(5);
            assertClose(reference.outputSingle(false, data.getFeatures()), fast.outputSingle(false, data.getFeatures()),
                    1e-5, "inference output");
            assertClose(reference.outputSingle(true, data.getFeatures()), fast.outputSingle(true, data.getFeatures()),
                    1e-5, "training-mode output");

            for (ComputationGraph graph : new ComputationGraph[]{reference, fast}) {
                graph.setInputs(data.getFeatures());
                graph.setLabels(data.getLabels());
                graph.computeGradientAndScore();
            }
            assertEquals(reference.score(), fast.score(), 1e-5, "loss");
            assertClose(reference.gradient().gradient(), fast.gradient().gradient(), 1e-4, "gradients");

            for (int step = 0; step < 3; step++) {
                DataSet next = batch(100 + step);
                reference.fit(next);
                fast.fit(next);
            }
            // In a cell network the batch-norm shift of the last cell's convolution feeds the head's batch
            // normalisation, which removes any shift: its gradient is zero but for rounding, which Adam scales up
            // to steps the size of the learning rate (1e-2), so rounding differences show there (6.5e-4 of the scale
            // alone, 1.07e-3 once in the whole worker suite on 2026-12-08, whose earlier tests leave ND4J other
            // threads), and in the inference output through the running statistics; macro networks agree to 1e-4
            double afterSteps = architecture instanceof CellArchitecture ? 2e-3 : 1e-4;
            assertClose(reference.params(), fast.params(), afterSteps, "parameters after three steps");
            assertClose(reference.outputSingle(false, data.getFeatures()), fast.outputSingle(false, data.getFeatures()),
                    afterSteps, "inference output after training (running statistics)");

            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            ModelSerializer.writeModel(fast, saved, true);
            ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(saved.toByteArray()), true);
            try {
                assertInstanceOf(fast.getLayer(0).getClass(), restored.getLayer(0));
                assertEquals(fast.outputSingle(false, data.getFeatures()), restored.outputSingle(false, data.getFeatures()),
                        "a saved native network restores as it was");
            } finally {
                restored.close();
            }
        } finally {
            reference.close();
            fast.close();
        }
    }
}
