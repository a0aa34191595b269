package io.galapagos.worker.network;

import io.galapagos.space.SequenceArchitecture;
import io.galapagos.space.SequenceBlock;
import io.galapagos.space.SequenceLayer;
import io.galapagos.space.SequenceLayerType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Lays out a {@link SequenceArchitecture} as a DeepLearning4J graph over token ids padded to a fixed length, and
 * counts what it holds.
 *
 * <p>Layout. The input ({@code [batch, 1, length]} ids, with a mask of the real positions) is embedded
 * ({@code EmbeddingSequenceLayer}, no bias), then each block in turn: dropout on the block's input
 * ({@link SequenceDropout}, when the rate is not zero), the block's layer, and for a residual block the element-wise sum
 * of the block's input and output. Layers: {@code LSTM} (tanh), {@code Bidirectional(LSTM)} concatenating the two
 * directions, {@code SimpleRnn} (tanh), {@code Convolution1DLayer} (same padding, stride 1), {@code Subsampling1DLayer}
 * (max, window and stride 2, same padding), {@code SelfAttentionLayer} (projected back to the width, scaled) and
 * {@link TransformerBlock}. An attention or transformer block that no recurrent layer or convolution precedes reads
 * its input with {@link PositionalEmbedding}s added (before the first such block only; a kernel-1 convolution, which
 * sees one position at a time, orders nothing). Then
 * {@link SequenceHead} (pooling and the dense layer of the logits) and a softmax {@code LossLayer} with multi-class
 * cross-entropy. Masks travel with the
 * sequence through every layer, so padding changes no prediction. Adam with the given learning rate, gradients
 * clipped to an L2 norm of {@link #CLIP} per layer (recurrent layers need it); Xavier initialisation; the seed fixes
 * it.
 *
 * <p>Counts. Parameters: exactly what DL4J allocates. FLOPs per example: 2 per multiply-add of every layer at every
 * position of the padded length it runs on (recurrent: the input and recurrent products of each gate; attention:
 * the projections and the {@code length x length} score and weighting products), plus the output layer.
 * Activations per example: every layer's output values, and the attention score matrices, for the memory estimate.
 * One instance per plan; not thread-safe.
 */
final class SequenceGraphPlanner {

    /** The L2 norm per layer that gradients are clipped to. */
    static final double CLIP = 5.0;

    private final ComputationGraphConfiguration.GraphBuilder graph;
    private long params;
    private long flops;
    private long activations;
    private int vertex;

    private SequenceGraphPlanner(double learningRate, long seed) {
        graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.XAVIER)
                .gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .gradientNormalizationThreshold(CLIP)
                .graphBuilder();
    }

    static GraphLayers.Plan plan(SequenceArchitecture architecture, TokenInput input, double learningRate,
                                 long seed) {
        return new SequenceGraphPlanner(learningRate, seed).lay(architecture, input);
    }

    private GraphLayers.Plan lay(SequenceArchitecture architecture, TokenInput input) {
        int length = input.length();
        int width = architecture.embedding();
        graph.addInputs(GraphLayers.INPUT);
        String current = add(new EmbeddingSequenceLayer.Builder().nIn(input.vocabulary()).nOut(width)
                .inputLength(length).hasBias(false).build(), GraphLayers.INPUT);
        params += (long) input.vocabulary() * width;
        activations += (long) width * length;
        boolean ordered = false;
        boolean positioned = false;
        for (SequenceBlock block : architecture.blocks()) {
            SequenceLayer layer = block.layer();
            if (layer.type().attends() && !ordered && !positioned) {
                current = add(new PositionalEmbedding(width, length), current);
                params += (long) width * length;
                positioned = true;
            }
            ordered |= orders(layer);
            String blockInput = current;
            if (block.dropout() > 0) {
                current = add(new SequenceDropout(block.dropout()), current);
            }
            current = add(layer(layer, width, length), current);
            int out = layer.outputWidth(width);
            if (layer instanceof SequenceLayer.MaxPool1d) {
                length = (length + 1) / 2;
            }
            activations += (long) out * length;
            if (block.residual()) {
                String sum = "v" + vertex++;
                graph.addVertex(sum, new ElementWiseVertex(ElementWiseVertex.Op.Add), blockInput, current);
                current = sum;
                activations += (long) out * length;
            }
            width = out;
        }
        current = add(new SequenceHead(architecture.pooling(), width, length, input.classes()), current);
        params += SequenceHead.params(architecture.pooling(), width, input.classes());
        flops += 2L * length * SequenceHead.poolingParams(architecture.pooling(), width)
                + 2L * width * input.classes();
        graph.addLayer(GraphLayers.OUTPUT, new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).build(), current);
        activations += width + 2L * input.classes();
        graph.setOutputs(GraphLayers.OUTPUT);
        // the size DL4J infers the embedding's input count from: the ids index a vocabulary of that size
        InputType inputType = InputType.recurrent(input.vocabulary(), input.length());
        graph.setInputTypes(inputType);
        return new GraphLayers.Plan(graph.build(), inputType, input.length(), params, flops, activations);
    }

    /**
     * Whether {@code layer}'s output tells positions apart by their order: a recurrent layer's, a convolution's wider
     * than one position; not attention, a max-pool or a kernel-1 convolution, which treat each position alike.
     */
    private static boolean orders(SequenceLayer layer) {
        return layer instanceof SequenceLayer.Recurrent || layer instanceof SequenceLayer.Conv1d c && c.kernel() > 1;
    }

    private String add(Layer layer, String from) {
        String name = "v" + vertex++;
        graph.addLayer(name, layer, from);
        return name;
    }

    /** The DL4J layer of {@code layer} reading {@code width}-wide vectors at {@code length} positions, counted. */
    private Layer layer(SequenceLayer layer, int width, int length) {
        if (layer instanceof SequenceLayer.Recurrent r) {
            int u = r.units();
            long perDirection = r.type() == SequenceLayerType.RNN ? (long) u * (width + u + 1)
                    : 4L * u * (width + u + 1);
            int directions = r.type() == SequenceLayerType.BILSTM ? 2 : 1;
            params += directions * perDirection;
            flops += 2L * directions * (perDirection - (r.type() == SequenceLayerType.RNN ? u : 4L * u)) * length;
            activations += (r.type() == SequenceLayerType.RNN ? 1L : 5L) * directions * u * length;
            if (r.type() == SequenceLayerType.RNN) {
                return new SimpleRnn.Builder().nIn(width).nOut(u).activation(Activation.TANH).build();
            }
            LSTM lstm = new LSTM.Builder().nIn(width).nOut(u).activation(Activation.TANH).build();
            return r.type() == SequenceLayerType.BILSTM ? new Bidirectional(Bidirectional.Mode.CONCAT, lstm) : lstm;
        }
        if (layer instanceof SequenceLayer.Conv1d c) {
            params += (long) c.kernel() * width * c.filters() + c.filters();
            flops += 2L * c.kernel() * width * c.filters() * length;
            return new Convolution1DLayer.Builder().kernelSize(c.kernel()).stride(1).nIn(width).nOut(c.filters())
                    .convolutionMode(ConvolutionMode.Same).activation(GraphLayers.standard(c.activation())).build();
        }
        if (layer instanceof SequenceLayer.MaxPool1d) {
            return new Subsampling1DLayer.Builder(PoolingType.MAX).kernelSize(2).stride(2)
                    .convolutionMode(ConvolutionMode.Same).build();
        }
        long attention = 2L * (4L * width * width + 2L * width * length) * length;
        if (layer instanceof SequenceLayer.Attention a) {
            params += 4L * width * width;
            flops += attention;
            activations += (long) a.heads() * length * length;
            return new SelfAttentionLayer.Builder().nIn(width).nOut(width).nHeads(a.heads()).projectInput(true)
                    .build();
        }
        SequenceLayer.Transformer t = (SequenceLayer.Transformer) layer;
        params += TransformerBlock.params(width, t.feedForward());
        flops += attention + 4L * width * t.feedForward() * length;
        activations += (long) t.heads() * length * length + (long) t.feedForward() * length + 2L * width * length;
        return new TransformerBlock(width, length, t.heads(), t.feedForward());
    }
}
