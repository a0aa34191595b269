package io.galapagos.worker.network;

import io.galapagos.space.Block;
import io.galapagos.space.Layer;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.PoolKind;
import io.galapagos.space.SkipMode;
import io.galapagos.worker.network.GraphLayers.Plan;
import io.galapagos.worker.network.GraphLayers.Tensor;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out the DeepLearning4J graph of one {@link MacroArchitecture} (the layout {@link NetworkBuilder}
 * describes) on {@link GraphLayers}, which counts parameters, FLOPs and activations as it goes. One instance
 * per plan; not thread-safe.
 */
final class MacroGraphPlanner {

    private final GraphLayers layers;
    private final List<Tensor> blockOutputs = new ArrayList<>();

    private MacroGraphPlanner(GraphLayers layers) {
        this.layers = layers;
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
        MacroGraphPlanner planner = new MacroGraphPlanner(new GraphLayers(input, learningRate, seed, nativeLayers));
        Tensor last = planner.layers.input();
        List<Block> blocks = architecture.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            last = planner.block(i, blocks.get(i), last);
            planner.blockOutputs.add(last);
        }
        return planner.layers.finish(last);
    }

    private Tensor block(int index, Block block, Tensor previous) {
        String name = "b" + index;
        Tensor in = block.skips().isEmpty() ? previous : merge(name, block, previous);
        if (block.dropout() > 0) {
            // DL4J's Dropout takes the probability of keeping a value, the complement of the rate
            in = layers.sameShape(name + "_dropout",
                    new DropoutLayer.Builder().dropOut(new Dropout(1 - block.dropout())).build(), in);
        }
        Layer layer = block.layer();
        if (layer instanceof Layer.Conv conv) {
            Tensor out = layers.convolution(name + "_conv", in, conv.kernel(), 1, conv.filters(), !block.batchNorm(),
                    linearActivation(block), weightInit(block.activation()));
            return block.batchNorm() ? normaliseAndActivate(name, block.activation(), out) : out;
        }
        if (layer instanceof Layer.Pool pool) {
            return layers.pool(name + "_pool", pool.kind() == PoolKind.MAX ? PoolingType.MAX : PoolingType.AVG, 2, 2,
                    in);
        }
        if (layer instanceof Layer.Dense dense) {
            return dense(name, dense, block, in);
        }
        throw new IllegalStateException("no DL4J layer for " + layer.text());
    }

    private Tensor dense(String name, Layer.Dense dense, Block block, Tensor in) {
        int units = dense.units();
        layers.count(in.size() * units, in.size() * units + (block.batchNorm() ? 0 : units));
        DenseLayer layer = new DenseLayer.Builder()
                .nOut(units)
                .hasBias(!block.batchNorm())
                .activation(linearActivation(block))
                .weightInit(weightInit(block.activation()))
                .build();
        Tensor out = layers.add(name + "_dense", layer, in, false, 1, 1, units);
        return block.batchNorm() ? normaliseAndActivate(name, block.activation(), out) : out;
    }

    /** Batch normalisation between the linear layer and its activation, which therefore is a layer of its own. */
    private Tensor normaliseAndActivate(String name, io.galapagos.space.Activation activation, Tensor linear) {
        return layers.activation(name + "_act", activation, layers.batchNorm(name + "_bn", linear));
    }

    private Tensor merge(String name, Block block, Tensor previous) {
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(previous);
        int channels = previous.channels();
        for (int source : block.skips()) {
            Tensor fitted = fit(name + "_skip" + source, blockOutputs.get(source), previous, block.skipMode());
            inputs.add(fitted);
            channels += fitted.channels();
        }
        return block.skipMode() == SkipMode.ADD
                ? layers.sum(name + "_add", inputs)
                : layers.vertex(name + "_concat", new MergeVertex(), previous, channels, inputs);
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
                fitted = layers.pool(name + "_pool", PoolingType.AVG, 1 << halvings, 1 << halvings, fitted);
            }
        }
        if (mode == SkipMode.ADD && fitted.channels() != target.channels()) {
            if (fitted.spatial()) {
                fitted = layers.projection(name + "_proj", fitted, target.channels());
            } else {
                layers.count(fitted.size() * target.channels(), (long) fitted.channels() * target.channels());
                fitted = layers.add(name + "_proj", new DenseLayer.Builder().nOut(target.channels()).hasBias(false)
                                .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), fitted, false,
                        1, 1, target.channels());
            }
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
            h = GraphLayers.shrink(h, 2);
            w = GraphLayers.shrink(w, 2);
        }
        throw new IllegalStateException("no pooling takes " + source + " to the size of " + target);
    }

    /** The activation of a convolution or dense layer: its own, unless batch normalisation comes first. */
    private IActivation linearActivation(Block block) {
        return block.batchNorm() ? Activation.IDENTITY.getActivationFunction() : layers.dl4j(block.activation());
    }

    /** He initialisation for the rectifier family, Glorot for the saturating activations. */
    private static WeightInit weightInit(io.galapagos.space.Activation activation) {
        return switch (activation) {
            case RELU, LEAKY_RELU, SWISH -> WeightInit.RELU;
            case TANH, SIGMOID -> WeightInit.XAVIER;
        };
    }
}
