package io.galapagos.worker.network;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

/**
 * The layers both planners ({@link MacroGraphPlanner}, {@link CellGraphPlanner}) lay out, added to one
 * DeepLearning4J graph while counting what the graph will hold: parameters (as DL4J allocates them, batch
 * normalisation's running statistics included), forward FLOPs per example (2 per multiply-add of convolutions,
 * dense layers and the output layer; element-wise work is not counted) and activation values per example (for
 * the memory estimate). Convolutions use same padding, so a stride {@code s} gives {@code ceil(x / s)}.
 *
 * <p>With {@code nativeLayers}, convolutions, batch normalisation and ReLU are {@link NativeConvolution},
 * {@link NativeBatchNorm} and {@link NativeRelu}; otherwise DL4J's own layers (same parameters and results).
 * One instance per plan; not thread-safe.
 */
final class GraphLayers {

    static final String INPUT = "input";
    static final String OUTPUT = "output";

    /**
     * The output of a vertex: spatial ({@code height x width x channels}) or flat ({@code channels}
     * features, height and width 1).
     */
    record Tensor(String vertex, boolean spatial, int height, int width, int channels) {
        long size() {
            return (long) height * width * channels;
        }
    }

    /**
     * What a finished plan holds.
     *
     * @param inputType   the type of the graph's one input
     * @param inputValues the values of one example's input (pixels, or token ids: one a position)
     */
    record Plan(ComputationGraphConfiguration configuration, InputType inputType, long inputValues, long params,
                long flops, long activationsPerExample) {
    }

    private final ComputationGraphConfiguration.GraphBuilder graph;
    private final boolean nativeLayers;
    private final InputSpec input;
    private long params;
    private long flops;
    private long activations;

    /** A graph of one input, {@link #INPUT}, images of {@code input}; Adam with {@code learningRate}. */
    GraphLayers(InputSpec input, double learningRate, long seed, boolean nativeLayers) {
        this.input = input;
        this.nativeLayers = nativeLayers;
        this.graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(learningRate))
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT);
    }

    /** The input images. */
    Tensor input() {
        return new Tensor(INPUT, true, input.height(), input.width(), input.channels());
    }

    /** Adds {@code layer} named {@code vertex} on {@code in}, whose output has the given shape. */
    Tensor add(String vertex, Layer layer, Tensor in, boolean spatial, int height, int width, int channels) {
        graph.addLayer(vertex, layer, in.vertex());
        return counted(new Tensor(vertex, spatial, height, width, channels));
    }

    /** Adds a layer that keeps its input's shape. */
    Tensor sameShape(String vertex, Layer layer, Tensor in) {
        return add(vertex, layer, in, in.spatial(), in.height(), in.width(), in.channels());
    }

    /** Adds a vertex over {@code inputs}, whose output has the shape of {@code shape} with {@code channels}. */
    Tensor vertex(String name, GraphVertex vertex, Tensor shape, int channels, List<Tensor> inputs) {
        graph.addVertex(name, vertex, inputs.stream().map(Tensor::vertex).toArray(String[]::new));
        return counted(new Tensor(name, shape.spatial(), shape.height(), shape.width(), channels));
    }

    /** The element-wise sum of tensors of one shape. */
    Tensor sum(String name, List<Tensor> terms) {
        Tensor first = terms.get(0);
        return vertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), first, first.channels(), terms);
    }

    /**
     * A {@code kernel x kernel} convolution of {@code stride} to {@code filters} channels, with a bias only when
     * asked (not before batch normalisation).
     */
    Tensor convolution(String vertex, Tensor in, int kernel, int stride, int filters, boolean bias,
                       IActivation activation, WeightInit init) {
        int height = shrink(in.height(), stride);
        int width = shrink(in.width(), stride);
        flops += 2L * kernel * kernel * in.channels() * filters * height * width;
        params += (long) kernel * kernel * in.channels() * filters + (bias ? filters : 0);
        ConvolutionLayer.Builder layer = new ConvolutionLayer.Builder(kernel, kernel)
                .stride(stride, stride)
                .nOut(filters)
                .hasBias(bias)
                .activation(activation)
                .weightInit(init);
        return add(vertex, nativeLayers ? new NativeConvolution(layer) : layer.build(), in, true, height, width,
                filters);
    }

    /** A 1x1 convolution, identity, no bias, Glorot-initialised: a projection to {@code channels}. */
    Tensor projection(String vertex, Tensor in, int channels) {
        return convolution(vertex, in, 1, 1, channels, false, Activation.IDENTITY.getActivationFunction(),
                WeightInit.XAVIER);
    }

    /** Batch normalisation: gamma, beta and the running mean and variance, all stored as parameters by DL4J. */
    Tensor batchNorm(String vertex, Tensor in) {
        params += 4L * in.channels();
        Layer layer = nativeLayers ? new NativeBatchNorm() : new BatchNormalization.Builder().useLogStd(false).build();
        return sameShape(vertex, layer, in);
    }

    /**
     * ReLU as a layer of its own on an input that other layers read too. DL4J's {@code ActivationLayer} hands
     * its input array itself to the activation at inference (it copies it only when training, to keep it for
     * backpropagation), and activations work in place, so a ReLU layer would rectify the input of every other
     * reader of that array, and inference would compute another function than training did. Here the layer reads
     * a copy ({@code ScaleVertex} by 1, which DL4J allocates where activations belong).
     */
    Tensor sharedInputRelu(String vertex, Tensor in) {
        Tensor copy = vertex(vertex + "_copy", new ScaleVertex(1), in, in.channels(), List.of(in));
        return activation(vertex, io.galapagos.space.Activation.RELU, copy);
    }

    /** An activation as a layer of its own, which may overwrite its input: for an input no other layer reads. */
    Tensor activation(String vertex, io.galapagos.space.Activation activation, Tensor in) {
        return sameShape(vertex, new ActivationLayer.Builder().activation(dl4j(activation)).build(), in);
    }

    /**
     * Max or average pooling, {@code kernel x kernel} with {@code stride}, same padding; an average is taken over
     * real values only, so border outputs are not darkened by the padding.
     */
    Tensor pool(String vertex, PoolingType type, int kernel, int stride, Tensor in) {
        SubsamplingLayer layer = new SubsamplingLayer.Builder(type)
                .kernelSize(kernel, kernel)
                .stride(stride, stride)
                .avgPoolIncludePadInDivisor(false)
                .build();
        return add(vertex, layer, in, true, shrink(in.height(), stride), shrink(in.width(), stride), in.channels());
    }

    /** Counts {@code macs} multiply-adds and {@code weights} parameters of a layer the caller adds itself. */
    void count(long macs, long weights) {
        flops += 2 * macs;
        params += weights;
    }

    /**
     * Ends the graph with a softmax output layer over {@code classes}, multi-class cross-entropy (DL4J flattens a
     * spatial {@code last} itself), and returns the plan.
     */
    Plan finish(Tensor last) {
        int classes = input.classes();
        count(last.size() * classes, last.size() * classes + classes);
        graph.addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER)
                .build(), last.vertex());
        activations += classes;
        InputType inputType = InputType.convolutionalFlat(input.height(), input.width(), input.channels());
        ComputationGraphConfiguration configuration = graph.setOutputs(OUTPUT).setInputTypes(inputType).build();
        return new Plan(configuration, inputType, (long) input.height() * input.width() * input.channels(), params,
                flops, activations);
    }

    /** ReLU as {@link NativeRelu} with the native layers; otherwise, and for the others, DL4J's own. */
    IActivation dl4j(io.galapagos.space.Activation activation) {
        return activation == io.galapagos.space.Activation.RELU && nativeLayers ? new NativeRelu() : standard(activation);
    }

    /** DL4J's own function of {@code activation}. */
    static IActivation standard(io.galapagos.space.Activation activation) {
        return switch (activation) {
            case RELU -> Activation.RELU.getActivationFunction();
            case LEAKY_RELU -> Activation.LEAKYRELU.getActivationFunction();
            case TANH -> Activation.TANH.getActivationFunction();
            case SIGMOID -> Activation.SIGMOID.getActivationFunction();
            case SWISH -> Activation.SWISH.getActivationFunction();
        };
    }

    /** {@code size} after a stride-{@code stride} layer with same padding: {@code ceil(size / stride)}. */
    static int shrink(int size, int stride) {
        return (int) (((long) size + stride - 1) / stride);
    }

    private Tensor counted(Tensor out) {
        activations += out.size();
        return out;
    }
}
