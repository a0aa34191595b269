package io.galapagos.worker.network;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a network needs in memory, computed from its layout before anything is allocated, in bytes at the network's
 * data type (4 for float).
 *
 * @param paramBytes         the parameters (batch normalisation's running statistics included)
 * @param inferencePeakBytes the peak activation memory of a forward pass of one example: walking the graph in
 *                           topological order, each vertex's output is allocated while its inputs are still held,
 *                           and an output is freed once the last vertex reading it has run, so a skip connection
 *                           keeps its source alive until the block it joins. The input is the first live array; the
 *                           network's output stays live. Temporaries inside a layer are not counted
 * @param trainPeakBytes     training with mini-batches of the configured size: the weights, their gradients and
 *                           Adam's two moments ({@code 4 x params}), plus every forward value the backward pass keeps
 *                           and its gradient ({@code 2 x batch x} the planner's activation values per example, which
 *                           count recurrent gates and attention scores as well as the layers' outputs)
 */
public record MemoryFootprint(long paramBytes, long inferencePeakBytes, long trainPeakBytes) {

    public MemoryFootprint {
        if (paramBytes < 0 || inferencePeakBytes < 0 || trainPeakBytes < 0) {
            throw new IllegalArgumentException("memory figures must be non-negative, got " + paramBytes + ", "
                    + inferencePeakBytes + " and " + trainPeakBytes);
        }
    }

    /** The footprint of {@code plan} trained with mini-batches of {@code batchSize}. */
    static MemoryFootprint of(GraphLayers.Plan plan, int batchSize) {
        long width = plan.configuration().getDataType().width();
        long peak = inferencePeakValues(plan.configuration(), plan.inputType(), plan.inputValues());
        long train = 4 * plan.params() + 2L * batchSize * plan.activationsPerExample();
        return new MemoryFootprint(width * plan.params(), width * peak, width * train);
    }

    /**
     * The largest number of values live at once in a forward pass of one example of {@code configuration}, whose one
     * input is of {@code inputType} and holds {@code inputValues} values (token ids hold one value a position,
     * whatever the vocabulary the input type names).
     */
    static long inferencePeakValues(ComputationGraphConfiguration configuration, InputType inputType,
                                    long inputValues) {
        Map<String, List<String>> inputsOf = configuration.getVertexInputs();
        Map<String, Long> sizes = outputValues(configuration, inputType);
        List<String> order = new ArrayList<>(sizes.keySet());
        Map<String, Integer> lastRead = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            for (String source : inputsOf.get(order.get(i))) {
                lastRead.put(source, i);
            }
        }
        Set<String> outputs = new HashSet<>(configuration.getNetworkOutputs());
        Map<String, Long> live = new HashMap<>();
        for (String in : configuration.getNetworkInputs()) {
            live.put(in, inputValues);
        }
        long held = inputValues * configuration.getNetworkInputs().size();
        long peak = held;
        for (int i = 0; i < order.size(); i++) {
            String vertex = order.get(i);
            long size = sizes.get(vertex);
            live.put(vertex, size);
            held += size;
            peak = Math.max(peak, held);
            for (String source : new LinkedHashSet<>(inputsOf.get(vertex))) {
                if (lastRead.get(source) == i && !outputs.contains(source)) {
                    held -= live.remove(source);
                }
            }
        }
        return peak;
    }

    /**
     * The values of each vertex's output for one example of {@code inputType}, the vertices (inputs excluded) in
     * topological order.
     */
    static Map<String, Long> outputValues(ComputationGraphConfiguration configuration, InputType inputType) {
        Map<String, InputType> types = configuration.getLayerActivationTypes(inputType);
        Map<String, List<String>> inputsOf = configuration.getVertexInputs();
        Map<String, Long> lengths = new HashMap<>();
        for (String in : configuration.getNetworkInputs()) {
            lengths.put(in, inputType instanceof InputType.InputTypeRecurrent r ? r.getTimeSeriesLength() : 1L);
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String vertex : topologicalOrder(configuration.getNetworkInputs(), inputsOf)) {
            if (types.get(vertex) instanceof InputType.InputTypeRecurrent r) {
                // some layers (Bidirectional) leave the length out of their output type, and every layer after them
                // then does too: it is their input's, pooled where a 1-D pooling layer pools it
                long length = r.getTimeSeriesLength() > 0 ? r.getTimeSeriesLength()
                        : pooledLength(configuration.getVertices().get(vertex), lengths.get(inputsOf.get(vertex).get(0)));
                lengths.put(vertex, length);
                sizes.put(vertex, r.getSize() * length);
            } else {
                sizes.put(vertex, types.get(vertex).arrayElementsPerExample());
            }
        }
        return sizes;
    }

    /** The length a vertex's output has for an input of {@code length}: a 1-D pooling layer's, else the same. */
    private static long pooledLength(GraphVertex vertex, long length) {
        if (vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof Subsampling1DLayer pool) {
            long kernel = pool.getKernelSize()[0];
            long stride = pool.getStride()[0];
            return pool.getConvolutionMode() == ConvolutionMode.Same ? (length + stride - 1) / stride
                    : (length - kernel) / stride + 1;
        }
        return length;
    }

    /** The vertices (inputs excluded), each after every vertex it reads; among the ready ones, the first declared. */
    private static List<String> topologicalOrder(List<String> inputs, Map<String, List<String>> inputsOf) {
        Set<String> placed = new HashSet<>(inputs);
        List<String> pending = new ArrayList<>(inputsOf.keySet());
        List<String> order = new ArrayList<>(pending.size());
        while (!pending.isEmpty()) {
            String ready = pending.stream().filter(v -> placed.containsAll(inputsOf.get(v))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the graph has a cycle among " + pending));
            pending.remove(ready);
            placed.add(ready);
            order.add(ready);
        }
        return order;
    }
}
