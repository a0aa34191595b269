package io.galapagos.worker.network;

import io.galapagos.config.Constraints;
import io.galapagos.space.SequenceArchitecture;
import io.galapagos.worker.training.NativeThreads;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pooling heads compute what they claim over the real positions of each example, after a recurrent layer. */
class SequenceHeadTest {

    private static final int BATCH = 32;
    private static final int LENGTH = 9;
    private static final TokenInput INPUT = new TokenInput(30, LENGTH, 3);

    @BeforeAll
    static void oneThread() {
        NativeThreads.limit(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean", "max", "last"})
    void poolsTheRealPositionsOfEachExample(String pooling) throws Exception {
        Random rng = new Random(5);
        float[] ids = new float[BATCH * LENGTH];
        float[] mask = new float[BATCH * LENGTH];
        int[] lengths = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            lengths[i] = 1 + rng.nextInt(LENGTH);
            for (int t = 0; t < lengths[i]; t++) {
                ids[i * LENGTH + t] = 2 + rng.nextInt(INPUT.vocabulary() - 2);
                mask[i * LENGTH + t] = 1;
            }
        }
        INDArray features = Nd4j.create(ids, new long[]{BATCH, 1, LENGTH}, DataType.FLOAT);
        INDArray masks = Nd4j.create(mask, new long[]{BATCH, LENGTH}, DataType.FLOAT);
        ComputationGraph graph = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE)
                .build(SequenceArchitecture.parse("embed8/lstm6/head-" + pooling), INPUT, BATCH, 1e-2, 3).graph();
        try {
            graph.setLayerMaskArrays(new INDArray[]{masks}, null);
            Map<String, INDArray> activations = graph.feedForward(new INDArray[]{features}, false, false);
            INDArray sequence = activations.get("v1");
            INDArray logits = activations.get("v2");
            INDArray w = graph.getLayer("v2").getParam("Wout");
            INDArray b = graph.getLayer("v2").getParam("bout");
            for (int i = 0; i < BATCH; i++) {
                float[] pooled = new float[6];
                for (int c = 0; c < 6; c++) {
                    float value = pooling.equals("max") ? Float.NEGATIVE_INFINITY : 0;
                    for (int t = 0; t < lengths[i]; t++) {
                        float x = sequence.getFloat(i, c, t);
                        value = switch (pooling) {
                            case "max" -> Math.max(value, x);
                            case "mean" -> value + x / lengths[i];
                            default -> t == lengths[i] - 1 ? x : value;
                        };
                    }
                    pooled[c] = value;
                }
                for (int k = 0; k < INPUT.classes(); k++) {
                    double expected = b.getDouble(0, k);
                    for (int c = 0; c < 6; c++) {
                        expected += pooled[c] * w.getDouble(c, k);
                    }
                    assertEquals(expected, logits.getDouble(i, k), 1e-4, "example " + i + " of " + lengths[i]
                            + " tokens, class " + k);
                }
            }
        } finally {
            graph.close();
        }
    }

    /** At one position (max_length 1, or max-pooled down to 1) every head pools that position and trains. */
    @ParameterizedTest
    @ValueSource(strings = {"mean", "max", "last", "attention"})
    void aSequenceOfOnePositionIsPooledToItsVectorAndTrains(String pooling) throws Exception {
        TokenInput one = new TokenInput(30, 1, 3);
        Random rng = new Random(6);
        float[] ids = new float[BATCH];
        float[] labels = new float[BATCH * one.classes()];
        for (int i = 0; i < BATCH; i++) {
            ids[i] = 2 + rng.nextInt(one.vocabulary() - 2);
            labels[i * one.classes() + rng.nextInt(one.classes())] = 1;
        }
        INDArray features = Nd4j.create(ids, new long[]{BATCH, 1, 1}, DataType.FLOAT);
        INDArray masks = Nd4j.ones(DataType.FLOAT, BATCH, 1);
        ComputationGraph graph = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE)
                .build(SequenceArchitecture.parse("embed8/lstm6/head-" + pooling), one, BATCH, 1e-2, 3).graph();
        try {
            graph.setLayerMaskArrays(new INDArray[]{masks}, null);
            Map<String, INDArray> activations = graph.feedForward(new INDArray[]{features}, false, false);
            if (!pooling.equals("attention")) {
                INDArray expected = activations.get("v1").reshape(BATCH, 6).mmul(graph.getLayer("v2").getParam("Wout"))
                        .addRowVector(graph.getLayer("v2").getParam("bout"));
                assertEquals(expected, activations.get("v2"));
            }
            graph.fit(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{features},
                    new INDArray[]{Nd4j.create(labels, new long[]{BATCH, one.classes()}, DataType.FLOAT)},
                    new INDArray[]{masks}, null));
            assertTrue(Double.isFinite(graph.score()), "score " + graph.score());
        } finally {
            graph.close();
        }
    }
}
