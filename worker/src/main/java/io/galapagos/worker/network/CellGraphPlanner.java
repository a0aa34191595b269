package io.galapagos.worker.network;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.space.Activation;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.worker.network.GraphLayers.Plan;
import io.galapagos.worker.network.GraphLayers.Tensor;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out the stand-alone DeepLearning4J network of a {@link CellArchitecture} on NAS-Bench-201's skeleton
 * ({@link CellNetworkConfig}), as NB201's reference code builds it:
 * <ul>
 *   <li>stem: 3x3 convolution to {@code C} channels (no bias), batch normalisation;</li>
 *   <li>3 stages of {@code N} cells with {@code C}, {@code 2C} and {@code 4C} channels; before the second and
 *       third, a residual reduction block: ReLU, 3x3 convolution of stride 2, BN, ReLU, 3x3 convolution, BN,
 *       added to a shortcut of 2x2 average pooling (stride 2) and a 1x1 convolution (or, with
 *       {@link CellNetworkConfig.Reduction#POOL}, the 2x2 average pooling alone, its channels repeated);</li>
 *   <li>head: BN, ReLU, global average pooling, softmax classifier.</li>
 * </ul>
 * A cell's node 0 is its input; node {@code j} is the sum of the operations on its edges from every earlier
 * node; node 3 is the output. Operations: {@code nor_conv_kxk} is ReLU, {@code k x k} convolution (no bias), BN;
 * {@code avg_pool_3x3} is 3x3 average pooling of stride 1 over real values only; {@code skip_connect} is the
 * identity; {@code none} contributes nothing. A node all of whose edges are {@code none} or come from such nodes
 * is zero, and adds nothing where it is used (NB201 would add the constant its edges' batch normalisation biases
 * make of a zero input, which carries nothing of the image); a cell whose output node is zero outputs zeros.
 * Convolutions are He-initialised.
 *
 * <p>Layer names are stable and say where a layer is: {@code s<stage>c<cell>_n<node>from<source>_<operation>_conv}
 * (and {@code _bn}, {@code _pool}), {@code reduce<stage>_...}, {@code stem_...}, {@code head_...}; an operation's
 * parameters are named by its edge and operation, so networks of different cells that share an operation on an
 * edge have parameters of the same name and shape there. One instance per plan; not thread-safe.
 */
final class CellGraphPlanner {

    private final GraphLayers layers;

    private CellGraphPlanner(GraphLayers layers) {
        this.layers = layers;
    }

    /**
     * Plans {@code cell} on {@code network}'s skeleton for {@code input}. Allocates no parameters.
     *
     * @param nativeLayers convolutions and batch normalisation as {@link NativeConvolution} and
     *                     {@link NativeBatchNorm} rather than DL4J's own layers (same parameters and results)
     */
    static Plan plan(CellArchitecture cell, CellNetworkConfig network, InputSpec input, double learningRate, long seed,
                     boolean nativeLayers) {
        CellGraphPlanner planner = new CellGraphPlanner(new GraphLayers(input, learningRate, seed, nativeLayers));
        GraphLayers layers = planner.layers;
        Tensor x = layers.convolution("stem_conv", layers.input(), 3, 1, network.channels(), false, identity(),
                WeightInit.RELU);
        x = layers.batchNorm("stem_bn", x);
        for (int stage = 0; stage < CellNetworkConfig.STAGES; stage++) {
            if (stage > 0) {
                x = network.reduction() == CellNetworkConfig.Reduction.RESIDUAL
                        ? planner.reduction("reduce" + stage, x, network.channelsAt(stage))
                        : planner.pooledReduction("reduce" + stage, x);
            }
            for (int i = 0; i < network.cellsPerStage(); i++) {
                x = planner.cell("s" + stage + "c" + i, cell, x);
            }
        }
        x = layers.activation("head_act", Activation.RELU, layers.batchNorm("head_bn", x));
        x = layers.add("head_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x, false, 1, 1,
                x.channels());
        return layers.finish(x);
    }

    /**
     * The cell on {@code in}: its output node, or zeros of {@code in}'s shape when that node is zero. Only the
     * {@linkplain CellArchitecture#effective() effective} edges are built (DL4J refuses layers whose output nobody
     * reads, and they would change nothing).
     */
    private Tensor cell(String name, CellArchitecture cell, Tensor in) {
        CellArchitecture live = cell.effective();
        Tensor[] outputs = new Tensor[CellArchitecture.NODES];
        outputs[0] = in;
        Map<Integer, Tensor> rectified = new HashMap<>();
        for (int node = 1; node < CellArchitecture.NODES; node++) {
            List<Tensor> terms = new ArrayList<>();
            for (int from = 0; from < node; from++) {
                CellOperation operation = live.operation(from, node);
                if (operation != CellOperation.NONE) {
                    String prefix = name + "_n" + node + "from" + from + "_" + operation.text();
                    terms.add(operation(prefix, operation, outputs[from], from, name, rectified));
                }
            }
            if (!terms.isEmpty()) {
                outputs[node] = terms.size() == 1 ? terms.get(0) : layers.sum(name + "_n" + node, terms);
            }
        }
        Tensor out = outputs[CellArchitecture.NODES - 1];
        return out != null ? out : layers.vertex(name + "_zero", new ScaleVertex(0), in, in.channels(), List.of(in));
    }

    /**
     * One edge's operation on {@code source}, node {@code from} of cell {@code cell}; the ReLU in front of
     * convolutions is computed once per source node ({@code rectified}).
     */
    private Tensor operation(String name, CellOperation operation, Tensor source, int from, String cell,
                             Map<Integer, Tensor> rectified) {
        return switch (operation) {
            case SKIP_CONNECT -> source;
            case AVG_POOL_3X3 -> layers.pool(name + "_pool", PoolingType.AVG, 3, 1, source);
            case NOR_CONV_1X1, NOR_CONV_3X3 -> {
                Tensor relu = rectified.computeIfAbsent(from,
                        node -> layers.sharedInputRelu(cell + "_n" + node + "_relu", source));
                int kernel = operation == CellOperation.NOR_CONV_1X1 ? 1 : 3;
                yield layers.batchNorm(name + "_bn", layers.convolution(name + "_conv", relu, kernel, 1,
                        source.channels(), false, identity(), WeightInit.RELU));
            }
            case NONE -> throw new IllegalArgumentException("'none' has no layer");
        };
    }

    /** NB201's ResNet basic block of stride 2, from {@code in}'s channels to {@code channels}. */
    private Tensor reduction(String name, Tensor in, int channels) {
        Tensor a = reluConvBn(name + "_a", in, 2, channels);
        Tensor b = reluConvBn(name + "_b", a, 1, channels);
        Tensor pooled = layers.pool(name + "_short_pool", PoolingType.AVG, 2, 2, in);
        Tensor shortcut = layers.convolution(name + "_short_conv", pooled, 1, 1, channels, false, identity(),
                WeightInit.RELU);
        return layers.sum(name + "_add", List.of(b, shortcut));
    }

    /** 2x2 average pooling of stride 2, the channels repeated: twice the channels, half the size, no weights. */
    private Tensor pooledReduction(String name, Tensor in) {
        Tensor pooled = layers.pool(name + "_pool", PoolingType.AVG, 2, 2, in);
        return layers.vertex(name + "_repeat", new MergeVertex(), pooled, 2 * in.channels(), List.of(pooled, pooled));
    }

    private Tensor reluConvBn(String name, Tensor in, int stride, int channels) {
        // the reduction's input also feeds its shortcut; its second ReLU reads what only it reads
        Tensor relu = stride > 1 ? layers.sharedInputRelu(name + "_relu", in)
                : layers.activation(name + "_relu", Activation.RELU, in);
        return layers.batchNorm(name + "_bn", layers.convolution(name + "_conv", relu, 3, stride, channels, false,
                identity(), WeightInit.RELU));
    }

    private static org.nd4j.linalg.activations.IActivation identity() {
        return org.nd4j.linalg.activations.Activation.IDENTITY.getActivationFunction();
    }
}
