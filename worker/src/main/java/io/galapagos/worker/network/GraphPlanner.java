package io.galapagos.worker.network;

import io.galapagos.space.Block;
import io.galapagos.space.Layer;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.PoolKind;
import io.galapagos.space.SkipMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out the DeepLearning4J graph of one architecture and counts, as it goes, what the graph will
 * hold: parameters, forward FLOPs and activation values per example. One instance per plan; not
 * thread-safe.
 */
final class GraphPlanner {

    static final String INPUT = "input";
    static final String OUTPUT = "output";

    /**
     * The output of a vertex: spatial ({@code height x width x channels}) or flat ({@code channels}
     * features, height and width 1).
     */
    private record Tensor(String vertex, boolean spatial, int height, int width, int channels) {
        long size() {
            return (long) height * width * channels;
        }
    }

    /** What a finished plan holds. */
    record Plan(ComputationGraphConfiguration configuration, long params, long flops, long activationsPerExample) {
    }

    private final ComputationGraphConfiguration.GraphBuilder graph;
    private final boolean nativeLayers;
    private final List<Tensor> blockOutputs = new ArrayList<>();
    private long params;
    private long flops;
    private long activations;

    private GraphPlanner(double learningRate, long seed, boolean nativeLayers) {
        this.nativeLayers = nativeLayers;
        this.graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(learningRate))
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT);
    }

    /**
     * Plans {@code architecture} for {@code input}. Allocates no parameters; DeepLearning4J's own
     * validation of the layout may throw {@link RuntimeException}s.
     *
     * @param nativeLayers convolutions and batch normalisation as {@link NativeConvolution} and
     *                     {@link NativeBatchNorm} (same parameters and results, faster on a CPU), rather than
     *                     DL4J's own layers
     */
    static Plan plan(MacroArchitecture architecture, InputSpec input, double learningRate, long seed,
                     boolean nativeLayers) {
        GraphPlanner planner = new GraphPlanner(learningRate, seed, nativeLayers);
        Tensor last = new Tensor(INPUT, true, input.height(), input.width(), input.channels());
        List<Block> blocks = architecture.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            last = planner.block(i, blocks.get(i), last);
            planner.blockOutputs.add(last);
        }
        planner.output(last, input.classes());
        ComputationGraphConfiguration configuration = planner.graph
                .setOutputs(OUTPUT)
                .setInputTypes(InputType.convolutionalFlat(input.height(), input.width(), input.channels()))
                .build();
        return new Plan(configuration, planner.params, planner.flops, planner.activations);
    }

    private Tensor block(int index, Block block, Tensor previous) {
        String name = "b" + index;
        Tensor in = block.skips().isEmpty() ? previous : merge(name, block, previous);
        if (block.dropout() > 0) {
            // DL4J's Dropout takes the probability of keeping a value, the complement of the rate
            in = add(name + "_dropout", new DropoutLayer.Builder().dropOut(new Dropout(1 - block.dropout())).build(),
                    in, in.spatial(), in.height(), in.width(), in.channels());
        }
        Layer layer = block.layer();
        if (layer instanceof Layer.Conv conv) {
            return convolution(name, conv, block, in);
        }
        if (layer instanceof Layer.Pool pool) {
            return pool(name, pool.kind() == PoolKind.MAX ? PoolingType.MAX : PoolingType.AVG, 1, in);
        }
        if (layer instanceof Layer.Dense dense) {
            return dense(name, dense, block, in);
        }
        throw new IllegalStateException("no DL4J layer for " + layer.text());
    }

    private Tensor convolution(String name, Layer.Conv conv, Block block, Tensor in) {
        int k = conv.kernel();
        int filters = conv.filters();
        long macs = (long) k * k * in.channels() * filters * in.height() * in.width();
        flops += 2 * macs;
        params += (long) k * k * in.channels() * filters + (block.batchNorm() ? 0 : filters);
        ConvolutionLayer.Builder layer = new ConvolutionLayer.Builder(k, k)
                .stride(1, 1)
                .nOut(filters)
                .hasBias(!block.batchNorm())
                .activation(linearActivation(block))
                .weightInit(weightInit(block.activation()));
        Tensor out = add(name + "_conv", convolution(layer), in, true, in.height(), in.width(), filters);
        return block.batchNorm() ? normaliseAndActivate(name, block.activation(), out) : out;
    }

    private Tensor dense(String name, Layer.Dense dense, Block block, Tensor in) {
        int units = dense.units();
        flops += 2 * in.size() * units;
        params += in.size() * units + (block.batchNorm() ? 0 : units);
        DenseLayer layer = new DenseLayer.Builder()
                .nOut(units)
                .hasBias(!block.batchNorm())
                .activation(linearActivation(block))
                .weightInit(weightInit(block.activation()))
                .build();
        Tensor out = add(name + "_dense", layer, in, false, 1, 1, units);
        return block.batchNorm() ? normaliseAndActivate(name, block.activation(), out) : out;
    }

    /** Batch normalisation between the linear layer and its activation, which therefore is a layer of its own. */
    private Tensor normaliseAndActivate(String name, io.galapagos.space.Activation activation, Tensor linear) {
        // gamma, beta and the running mean and variance, all stored as parameters by DL4J
        params += 4L * linear.channels();
        org.deeplearning4j.nn.conf.layers.Layer normalisation = nativeLayers ? new NativeBatchNorm()
                : new BatchNormalization.Builder().useLogStd(false).build();
        Tensor normalised = add(name + "_bn", normalisation, linear, linear.spatial(),
                linear.height(), linear.width(), linear.channels());
        return add(name + "_act", new ActivationLayer.Builder().activation(dl4j(activation)).build(), normalised,
                linear.spatial(), linear.height(), linear.width(), linear.channels());
    }

    private org.deeplearning4j.nn.conf.layers.Layer convolution(ConvolutionLayer.Builder layer) {
        return nativeLayers ? new NativeConvolution(layer) : layer.build();
    }

    /** {@code halvings} 2x2 stride-2 poolings in one: kernel and stride {@code 2^halvings}, same padding. */
    private Tensor pool(String name, PoolingType type, int halvings, Tensor in) {
        int size = 1 << halvings;
        SubsamplingLayer layer = new SubsamplingLayer.Builder(type)
                .kernelSize(size, size)
                .stride(size, size)
                // an average over real values only, so border outputs are not darkened by padding
                .avgPoolIncludePadInDivisor(false)
                .build();
        return add(name + "_pool", layer, in, true, shrink(in.height(), halvings), shrink(in.width(), halvings),
                in.channels());
    }

    private Tensor merge(String name, Block block, Tensor previous) {
        List<String> inputs = new ArrayList<>();
        inputs.add(previous.vertex());
        int channels = previous.channels();
        for (int source : block.skips()) {
            Tensor fitted = fit(name + "_skip" + source, blockOutputs.get(source), previous, block.skipMode());
            inputs.add(fitted.vertex());
            channels += fitted.channels();
        }
        String[] names = inputs.toArray(new String[0]);
        Tensor merged;
        if (block.skipMode() == SkipMode.ADD) {
            graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), names);
            merged = new Tensor(name + "_add", previous.spatial(), previous.height(), previous.width(),
                    previous.channels());
        } else {
            graph.addVertex(name + "_concat", new MergeVertex(), names);
            merged = new Tensor(name + "_concat", previous.spatial(), previous.height(), previous.width(), channels);
        }
        activations += merged.size();
        return merged;
    }

    /**
     * {@code source} brought to the shape {@code target} needs for {@code mode}: pooled down to the
     * target's spatial size, and for ADD projected (1x1 convolution or dense, identity, no bias) to its
     * channels or units.
     */
    private Tensor fit(String name, Tensor source, Tensor target, SkipMode mode) {
        Tensor fitted = source;
        if (source.spatial()) {
            int halvings = halvings(source, target);
            if (halvings > 0) {
                fitted = pool(name, PoolingType.AVG, halvings, fitted);
            }
        }
        if (mode == SkipMode.ADD && fitted.channels() != target.channels()) {
            long macs = (long) fitted.height() * fitted.width() * fitted.channels() * target.channels();
            flops += 2 * macs;
            params += (long) fitted.channels() * target.channels();
            org.deeplearning4j.nn.conf.layers.Layer projection = fitted.spatial()
                    ? convolution(new ConvolutionLayer.Builder(1, 1).stride(1, 1).nOut(target.channels()).hasBias(false)
                    .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER))
                    : new DenseLayer.Builder().nOut(target.channels()).hasBias(false)
                    .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build();
            fitted = add(name + "_proj", projection, fitted, fitted.spatial(), fitted.height(), fitted.width(),
                    target.channels());
        }
        return fitted;
    }

    /** How many ceil-halvings take {@code source}'s height and width to {@code target}'s. */
    private static int halvings(Tensor source, Tensor target) {
        int h = source.height();
        int w = source.width();
        for (int d = 0; d <= 31; d++) {
            if (h == target.height() && w == target.width()) {
                return d;
            }
            h = shrink(h, 1);
            w = shrink(w, 1);
        }
        throw new IllegalStateException("no pooling takes " + source + " to the size of " + target);
    }

    private static int shrink(int size, int halvings) {
        return (int) ((size + (1L << halvings) - 1) >> halvings);
    }

    private void output(Tensor last, int classes) {
        flops += 2 * last.size() * classes;
        params += last.size() * classes + classes;
        graph.addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER)
                .build(), last.vertex());
        activations += classes;
    }

    private Tensor add(String vertex, org.deeplearning4j.nn.conf.layers.Layer layer, Tensor in, boolean spatial,
                       int height, int width, int channels) {
        graph.addLayer(vertex, layer, in.vertex());
        Tensor out = new Tensor(vertex, spatial, height, width, channels);
        activations += out.size();
        return out;
    }

    /** The activation of a convolution or dense layer: its own, unless batch normalisation comes first. */
    private IActivation linearActivation(Block block) {
        return block.batchNorm() ? Activation.IDENTITY.getActivationFunction() : dl4j(block.activation());
    }

    /** ReLU as {@link NativeRelu} with the native layers; otherwise, and for the others, DL4J's own. */
    private IActivation dl4j(io.galapagos.space.Activation activation) {
        return switch (activation) {
            case RELU -> nativeLayers ? new NativeRelu() : Activation.RELU.getActivationFunction();
            case LEAKY_RELU -> Activation.LEAKYRELU.getActivationFunction();
            case TANH -> Activation.TANH.getActivationFunction();
            case SIGMOID -> Activation.SIGMOID.getActivationFunction();
            case SWISH -> Activation.SWISH.getActivationFunction();
        };
    }

    /** He initialisation for the rectifier family, Glorot for the saturating activations. */
    private static WeightInit weightInit(io.galapagos.space.Activation activation) {
        return switch (activation) {
            case RELU, LEAKY_RELU, SWISH -> WeightInit.RELU;
            case TANH, SIGMOID -> WeightInit.XAVIER;
        };
    }
}
