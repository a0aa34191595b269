package io.galapagos.worker.network;

import io.galapagos.config.Constraints;
import io.galapagos.space.SequenceArchitecture;
import io.galapagos.worker.training.NativeThreads;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every block type and pooling head builds, counts its parameters as DL4J allocates them, and trains. */
class SequenceNetworkTest {

    private static final TokenInput INPUT = new TokenInput(20, 7, 3);
    private static final int BATCH = 4;

    @BeforeAll
    static void oneThread() {
        NativeThreads.limit(1);
    }

    /** A batch of token ids, each example with its own number of real tokens; padded positions hold {@code pad}. */
    private static DataSet batch(int pad) {
        Random rng = new Random(3);
        int[] lengths = {7, 3, 1, 5};
        float[] ids = new float[BATCH * INPUT.length()];
        float[] mask = new float[BATCH * INPUT.length()];
        float[] labels = new float[BATCH * INPUT.classes()];
        for (int i = 0; i < BATCH; i++) {
            for (int t = 0; t < INPUT.length(); t++) {
                boolean real = t < lengths[i];
                ids[i * INPUT.length() + t] = real ? 2 + rng.nextInt(INPUT.vocabulary() - 2) : pad;
                mask[i * INPUT.length() + t] = real ? 1 : 0;
            }
            labels[i * INPUT.classes() + i % INPUT.classes()] = 1;
        }
        return new DataSet(Nd4j.create(ids, new long[]{BATCH, 1, INPUT.length()}, DataType.FLOAT),
                Nd4j.create(labels, new long[]{BATCH, INPUT.classes()}, DataType.FLOAT),
                Nd4j.create(mask, new long[]{BATCH, INPUT.length()}, DataType.FLOAT), null);
    }

    private static INDArray output(ComputationGraph graph, DataSet batch) {
        return graph.output(false, new INDArray[]{batch.getFeatures()}, new INDArray[]{batch.getFeaturesMaskArray()})[0];
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "embed8/lstm6/head-last",
            "embed8/lstm6:d0.5/head-mean",
            "embed8/bilstm4/lstm4/head-max",
            "embed8/bilstm4:res/head-max",
            "embed8/rnn8:d0.5:res/head-mean",
            "embed8/conv1d-k3x8:relu:res/maxpool1d/head-attention",
            "embed8/attention2:res/head-mean",
            "embed8/transformer2x16:d0.25/head-last",
            "embed8/conv1d-k5x4:tanh/transformer4x8:res/lstm4/head-attention"})
    void buildsCountsItsParametersAndTrainsWithPaddingMasked(String text) throws Exception {
        SequenceArchitecture architecture = SequenceArchitecture.parse(text);
        GraphLayers.Plan plan = SequenceGraphPlanner.plan(architecture, INPUT, 1e-2, 7);
        BuiltNetwork built = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE)
                .build(architecture, INPUT, BATCH, 1e-2, 7);
        ComputationGraph graph = built.graph();
        try {
            assertEquals(plan.params(), graph.numParams(), "the analytic count is what DL4J allocates");
            assertEquals(plan.flops(), built.flops());
            assertTrue(built.flops() > 0);
            DataSet batch = batch(0);
            INDArray before = output(graph, batch);
            INDArray repadded = output(graph, batch(9));
            assertTrue(before.equalsWithEps(repadded, 1e-5), "what padded positions hold changes no prediction: "
                    + before + " and " + repadded);
            INDArray params = graph.params().dup();
            INDArray embedding = graph.getLayer("v0").getParam("W").dup();
            graph.fit(batch);
            assertTrue(Double.isFinite(graph.score()), "loss " + graph.score());
            assertNotEquals(params, graph.params(), "a training step changes the weights");
            assertNotEquals(embedding, graph.getLayer("v0").getParam("W"), "the gradient reaches the embedding");
            assertEquals(BATCH, output(graph, batch).rows());
            ComputationGraph reread = new ComputationGraph(ComputationGraphConfiguration.fromJson(
                    graph.getConfiguration().toJson()));
            reread.init(graph.params().dup(), false);
            try {
                assertTrue(output(graph, batch).equalsWithEps(output(reread, batch), 1e-5),
                        "the network read back from DL4J's JSON form (model files) computes the same");
            } finally {
                reread.close();
            }
        } finally {
            graph.close();
        }
    }

    /**
     * Attention is blind to order: it gets position embeddings unless a layer before it ordered the positions (a
     * recurrent layer, a convolution wider than one position); a kernel-1 convolution or a max-pool does not.
     */
    @ParameterizedTest
    @CsvSource({
            "embed8/attention2/head-max, true",
            "embed8/conv1d-k1x8:relu/attention2/head-max, true",
            "embed8/maxpool1d/transformer2x16/head-max, true",
            "embed8/conv1d-k3x8:relu/attention2/head-max, false",
            "embed8/lstm6/attention2/head-max, false"})
    void attentionGetsPositionsUnlessALayerBeforeItOrderedThem(String text, boolean positioned) {
        GraphLayers.Plan plan = SequenceGraphPlanner.plan(SequenceArchitecture.parse(text), INPUT, 1e-2, 7);
        boolean embedded = plan.configuration().getVertices().values().stream()
                .anyMatch(v -> v instanceof LayerVertex l && l.getLayerConf().getLayer() instanceof PositionalEmbedding);
        assertEquals(positioned, embedded, text);
    }
}
