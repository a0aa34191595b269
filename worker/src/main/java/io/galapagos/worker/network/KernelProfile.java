package io.galapagos.worker.network;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A network as kernels, the unit nn-Meter (Zhang et al., MobiSys 2021) predicts inference latency by: every vertex
 * of the graph, named by its kind (its DL4J layer or vertex class: {@code ConvolutionLayer}, {@code DenseLayer},
 * {@code Bidirectional-LSTM}, {@code MergeVertex}, ...), with the multiply-adds it performs and the values it writes
 * for one example, totalled per kind. A latency model fits a cost per kind from networks whose latency was measured
 * and predicts a network's latency as the sum over its kernels.
 *
 * <p>Multiply-adds come from the layout alone: a layer's parameters times the positions it applies them at (its
 * output values over its output channels: the pixels of a convolution, the time steps of a recurrent layer, 1 for a
 * dense layer). That is exact for convolutions, dense and recurrent layers, and a proxy for the others (an
 * embedding's look-up, attention's scores, batch normalisation), whose fitted costs absorb the difference.
 *
 * @param kinds the totals of each kind, by kind, in name order
 */
public record KernelProfile(Map<String, Kernel> kinds) {

    /** The kernels of one kind in a network: how many, their multiply-adds and output values per example. */
    public record Kernel(int count, double macs, double outputs) {

        Kernel plus(Kernel other) {
            return new Kernel(count + other.count, macs + other.macs, outputs + other.outputs);
        }
    }

    public KernelProfile {
        kinds = Collections.unmodifiableMap(new TreeMap<>(kinds));
    }

    /** The kernels of {@code plan}'s network. */
    static KernelProfile of(GraphLayers.Plan plan) {
        ComputationGraphConfiguration configuration = plan.configuration();
        Map<String, InputType> types = configuration.getLayerActivationTypes(plan.inputType());
        Map<String, Kernel> kinds = new TreeMap<>();
        MemoryFootprint.outputValues(configuration, plan.inputType()).forEach((name, values) -> {
            GraphVertex vertex = configuration.getVertices().get(name);
            long positions = Math.max(1, values / Math.max(1, channels(types.get(name))));
            long params = 0;
            String kind = vertex.getClass().getSimpleName();
            if (vertex instanceof LayerVertex layerVertex) {
                NeuralNetConfiguration conf = layerVertex.getLayerConf();
                Layer layer = conf.getLayer();
                params = layer.initializer().numParams(conf);
                kind = layer instanceof Bidirectional b ? "Bidirectional-" + b.getFwd().getClass().getSimpleName()
                        : layer.getClass().getSimpleName();
            }
            kinds.merge(kind, new Kernel(1, (double) params * positions, values), Kernel::plus);
        });
        return new KernelProfile(kinds);
    }

    /** The channels (or units, or features per time step) of one position of an output. */
    private static long channels(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return c.getChannels();
        }
        if (type instanceof InputType.InputTypeConvolutionalFlat f) {
            return f.getDepth();
        }
        if (type instanceof InputType.InputTypeRecurrent r) {
            return r.getSize();
        }
        return type.arrayElementsPerExample();
    }
}
