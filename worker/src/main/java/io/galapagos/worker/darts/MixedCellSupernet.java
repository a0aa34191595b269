package io.galapagos.worker.darts;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.SameDiffChatter;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The continuous relaxation of a NAS-Bench-201 cell space (DARTS, Liu et al. 2019) as one SameDiff graph: every
 * edge of every cell is a mixed operation, the sum of all of the space's operations weighted by
 * {@code softmax(alpha[edge])}, with one {@code alpha} ({@code EDGES x operations}) shared by every cell, as DARTS
 * shares it. The skeleton (stem, stages, reductions, head) and the operations are those of Galapagos's stand-alone
 * cell networks ({@code CellGraphPlanner}): {@code nor_conv_kxk} is ReLU, convolution, batch normalisation;
 * {@code avg_pool_3x3} averages real values only; {@code none} adds nothing (its weight still takes its share of the
 * softmax). Batch normalisation inside operations normalises by the batch's statistics and learns no scale, as in
 * DARTS's search network; the stem's and the head's learn scale and shift.
 *
 * <p>Each edge may also carry DARTS-'s auxiliary skip connection (Chu et al. 2021), {@code beta * x} with
 * {@code beta} fed per step ({@link #AUX_SKIP}). {@code alpha} and the network weights are ordinary SameDiff
 * variables: {@link #gradients} computes the loss's gradient with respect to either, and the caller steps them
 * with its own optimisers. Not thread-safe; close it when done, to free the arrays SameDiff keeps cached.
 */
public final class MixedCellSupernet implements AutoCloseable {

    static final String INPUT = "input";
    static final String LABELS = "labels";
    /** The auxiliary skip connection's weight, a {@code [1,1]} placeholder (0: plain DARTS). */
    static final String AUX_SKIP = "aux_skip";
    static final String ALPHA = "alpha";
    static final String LOGITS = "logits";
    static final String LOSS = "loss";

    private static final double BN_EPSILON = 1e-5;
    private final SameDiff sd;
    private final List<CellOperation> operations;
    private final List<String> weightNames;
    private final DataType type;
    private final Random random;
    private final Map<Integer, SDVariable> rectified = new HashMap<>();
    private SDVariable mixing;
    private SDVariable auxSkip;

    private MixedCellSupernet(List<CellOperation> operations, DataType type, long seed) {
        this.sd = SameDiff.create();
        this.type = type;
        this.operations = List.copyOf(operations);
        this.weightNames = new ArrayList<>();
        this.random = Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    /**
     * Builds the supernet of {@code operations} on {@code skeleton} for {@code input}, its weights He-initialised
     * and {@code alpha} drawn as {@code 1e-3 * N(0, 1)} (DARTS), all from {@code seed}.
     */
    public static MixedCellSupernet build(List<CellOperation> operations, CellNetworkConfig skeleton, InputSpec input,
                                          long seed) {
        return build(operations, skeleton, input, DataType.FLOAT, seed);
    }

    /** As {@link #build(List, CellNetworkConfig, InputSpec, long)}, computing in {@code type}. */
    static MixedCellSupernet build(List<CellOperation> operations, CellNetworkConfig skeleton, InputSpec input,
                                   DataType type, long seed) {
        if (operations.isEmpty() || operations.stream().distinct().count() != operations.size()) {
            throw new IllegalArgumentException("a supernet needs distinct operations, got " + operations);
        }
        SameDiffChatter.silence();
        MixedCellSupernet net = new MixedCellSupernet(operations, type, seed);
        net.layOut(skeleton, input);
        return net;
    }

    private void layOut(CellNetworkConfig skeleton, InputSpec input) {
        SDVariable x = sd.placeHolder(INPUT, type, -1, (long) input.channels() * input.height() * input.width())
                .reshape(-1, input.channels(), input.height(), input.width());
        SDVariable labels = sd.placeHolder(LABELS, type, -1, input.classes());
        auxSkip = sd.placeHolder(AUX_SKIP, type, 1, 1);
        SDVariable alpha = sd.var(ALPHA, gaussian(1e-3, CellArchitecture.EDGES, operations.size()));
        mixing = sd.nn().softmax(alpha, 1);

        int channels = skeleton.channels();
        x = batchNorm("stem_bn", convolution("stem_conv", x, input.channels(), channels, 3, 1), channels, true);
        for (int stage = 0; stage < CellNetworkConfig.STAGES; stage++) {
            if (stage > 0) {
                int out = skeleton.channelsAt(stage);
                x = skeleton.reduction() == CellNetworkConfig.Reduction.RESIDUAL
                        ? residualReduction("reduce" + stage, x, channels, out)
                        : sd.concat(1, halve(x, 2), halve(x, 2));
                channels = out;
            }
            for (int i = 0; i < skeleton.cellsPerStage(); i++) {
                x = cell("s" + stage + "c" + i, x, channels);
            }
        }
        x = sd.nn().relu(batchNorm("head_bn", x, channels, true), 0);
        SDVariable pooled = x.mean(2, 3);
        SDVariable w = weight("head_dense_W", gaussian(Math.sqrt(1.0 / channels), channels, input.classes()));
        SDVariable b = weight("head_dense_b", Nd4j.zeros(type, 1, input.classes()));
        SDVariable logits = sd.mmul(pooled, w).add(LOGITS, b);
        SDVariable logProbabilities = sd.nn().logSoftmax(logits);
        labels.mul(logProbabilities).sum(1).mean().neg(LOSS);
        sd.setLossVariables(LOSS);
    }

    /** A cell: node {@code j} sums the mixed operations on its edges from every earlier node; node 3 is the output. */
    private SDVariable cell(String name, SDVariable in, int channels) {
        rectified.clear();
        SDVariable[] nodes = new SDVariable[CellArchitecture.NODES];
        nodes[0] = in;
        int edge = 0;
        for (int to = 1; to < CellArchitecture.NODES; to++) {
            SDVariable sum = null;
            for (int from = 0; from < to; from++, edge++) {
                SDVariable mixed = mixed(name + "_e" + edge, edge, from, nodes[from], channels);
                sum = sum == null ? mixed : sum.add(mixed);
            }
            nodes[to] = sum;
        }
        return nodes[CellArchitecture.NODES - 1];
    }

    /**
     * Edge {@code edge}'s mixed operation on node {@code from}'s value {@code x}, plus the auxiliary skip: one matrix
     * product of the weights (a row) with the operations' outputs (one flattened output a row), since SameDiff's
     * gradient of a product with a broadcast scalar is many times slower than the forward pass.
     */
    private SDVariable mixed(String name, int edge, int from, SDVariable x, int channels) {
        List<SDVariable> shares = new ArrayList<>();
        List<SDVariable> outputs = new ArrayList<>();
        shares.add(auxSkip);
        outputs.add(x.reshape(1, -1));
        for (int op = 0; op < operations.size(); op++) {
            CellOperation operation = operations.get(op);
            if (operation != CellOperation.NONE) {
                shares.add(sd.slice(mixing, new int[]{edge, op}, 1, 1));
                outputs.add(operation(name + "_" + operation.text(), operation, from, x, channels).reshape(1, -1));
            }
        }
        SDVariable weighted = sd.mmul(sd.concat(1, shares.toArray(SDVariable[]::new)),
                sd.concat(0, outputs.toArray(SDVariable[]::new)));
        return sd.reshape(weighted, x.shape());
    }

    private SDVariable operation(String name, CellOperation operation, int from, SDVariable x, int channels) {
        return switch (operation) {
            case SKIP_CONNECT -> x;
            case AVG_POOL_3X3 -> sd.cnn().avgPooling2d(x, Pooling2DConfig.builder().kH(3).kW(3).sH(1).sW(1)
                    .paddingMode(PaddingMode.SAME).divisor(Pooling2D.Divisor.EXCLUDE_PADDING).isNHWC(false).build());
            case NOR_CONV_1X1, NOR_CONV_3X3 -> {
                SDVariable relu = rectified.computeIfAbsent(from, f -> sd.nn().relu(x, 0));
                int k = operation == CellOperation.NOR_CONV_1X1 ? 1 : 3;
                yield batchNorm(name + "_bn", convolution(name + "_conv", relu, channels, channels, k, 1), channels,
                        false);
            }
            case NONE -> throw new IllegalArgumentException("'none' has no operation");
        };
    }

    /** NB201's residual reduction: ReLU-conv3x3/2-BN, ReLU-conv3x3-BN, plus 2x2 average pooling and a 1x1 conv. */
    private SDVariable residualReduction(String name, SDVariable x, int in, int out) {
        SDVariable a = batchNorm(name + "_a_bn", convolution(name + "_a_conv", sd.nn().relu(x, 0), in, out, 3, 2),
                out, true);
        SDVariable b = batchNorm(name + "_b_bn", convolution(name + "_b_conv", sd.nn().relu(a, 0), out, out, 3, 1),
                out, true);
        return b.add(convolution(name + "_short_conv", halve(x, 2), in, out, 1, 1));
    }

    private SDVariable halve(SDVariable x, int k) {
        return sd.cnn().avgPooling2d(x, Pooling2DConfig.builder().kH(k).kW(k).sH(2).sW(2)
                .paddingMode(PaddingMode.SAME).divisor(Pooling2D.Divisor.EXCLUDE_PADDING).isNHWC(false).build());
    }

    private SDVariable convolution(String name, SDVariable x, int in, int out, int k, int stride) {
        SDVariable w = weight(name + "_W", gaussian(Math.sqrt(2.0 / (k * k * in)), k, k, in, out));
        return sd.cnn().conv2d(x, w, Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride)
                .paddingMode(PaddingMode.SAME).dataFormat("NCHW").build());
    }

    /** Batch normalisation by the batch's own statistics, with a learned scale and shift when {@code affine}. */
    private SDVariable batchNorm(String name, SDVariable x, int channels, boolean affine) {
        SDVariable centred = x.sub(x.mean(true, 0, 2, 3));
        SDVariable variance = sd.math().square(centred).mean(true, 0, 2, 3);
        SDVariable y = centred.div(sd.math().sqrt(variance.add(BN_EPSILON)));
        if (!affine) {
            return y;
        }
        SDVariable gamma = weight(name + "_gamma", Nd4j.ones(type, 1, channels, 1, 1));
        SDVariable beta = weight(name + "_beta", Nd4j.zeros(type, 1, channels, 1, 1));
        return y.mul(gamma).add(beta);
    }

    private INDArray gaussian(double deviation, long... shape) {
        return Nd4j.randn(0, deviation, shape, random).castTo(type);
    }

    private SDVariable weight(String name, INDArray initial) {
        weightNames.add(name);
        return sd.var(name, initial);
    }

    /** The operations an edge mixes, in {@code alpha}'s column order. */
    public List<CellOperation> operations() {
        return operations;
    }

    /** The live {@code alpha} array ({@code EDGES x operations}): an optimiser updates it in place. */
    public INDArray alpha() {
        return sd.getArrForVarName(ALPHA);
    }

    /** The live network weights by name, in the order they were laid out: an optimiser updates them in place. */
    public Map<String, INDArray> weights() {
        Map<String, INDArray> live = new LinkedHashMap<>();
        weightNames.forEach(name -> live.put(name, sd.getArrForVarName(name)));
        return live;
    }

    /** {@code softmax(alpha)} per edge: each operation's share of every edge's mixed operation. */
    public INDArray mixingWeights() {
        return Nd4j.nn.softmax(alpha(), 1);
    }

    /**
     * The cell DARTS derives: on every edge the operation with the largest {@code alpha} among the operations other
     * than {@code none}, as Liu et al. (2019, section 2.4) derive theirs. {@code none}'s weight only scales an edge's
     * output down, and a supernet whose alpha favours it on the edges into the output derives a cell whose output is
     * always zero (a seed of ours did, with {@code none} included as NAS-Bench-201 derives its DARTS cells).
     */
    public CellArchitecture derive() {
        INDArray alpha = alpha();
        List<CellOperation> edges = new ArrayList<>(CellArchitecture.EDGES);
        for (int edge = 0; edge < CellArchitecture.EDGES; edge++) {
            CellOperation strongest = null;
            double largest = Double.NEGATIVE_INFINITY;
            for (int op = 0; op < operations.size(); op++) {
                double a = alpha.getDouble(edge, op);
                if (operations.get(op) != CellOperation.NONE && a > largest) {
                    strongest = operations.get(op);
                    largest = a;
                }
            }
            edges.add(strongest == null ? CellOperation.NONE : strongest);
        }
        return new CellArchitecture(edges);
    }

    /** The mean loss of a batch, its logits and the loss's gradients with respect to {@code variables}. */
    public record Step(double loss, INDArray logits, Map<String, INDArray> gradients) {
    }

    /**
     * Forward and backward on one batch ({@code features} flat, channel by channel, as {@code MiniBatches} makes
     * them; one-hot {@code labels}) with the auxiliary skip
     * weighted {@code auxSkip}; the gradients are of the batch's mean loss, for the variables named (the network
     * weights, or {@link #ALPHA}).
     */
    public Step gradients(INDArray features, INDArray labels, double auxSkip, Collection<String> variables) {
        OutAndGrad result = sd.calculateGradientsAndOutputs(placeholders(features, labels, auxSkip),
                List.of(LOSS, LOGITS), variables);
        return new Step(result.getOutputs().get(LOSS).getDouble(0), result.getOutputs().get(LOGITS),
                result.getGradients());
    }

    /** Frees the arrays the graph's sessions keep cached, now rather than when the collector gets to them. */
    @Override
    public void close() {
        sd.getSessions().values().forEach(session -> session.getMmgr().close());
    }

    /** The names of the network weights (everything trainable but {@code alpha}). */
    public List<String> weightNames() {
        return List.copyOf(weightNames);
    }

    private Map<String, INDArray> placeholders(INDArray features, INDArray labels, double auxSkip) {
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(INPUT, features);
        feed.put(LABELS, labels);
        feed.put(AUX_SKIP, auxSkipArray(auxSkip));
        return feed;
    }

    private INDArray auxSkipArray(double auxSkip) {
        return Nd4j.scalar(type, auxSkip).reshape(1, 1);
    }
}
