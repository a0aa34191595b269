package io.galapagos.worker.network;

import io.galapagos.trial.Metrics;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * An initialised, untrained network and its analytic cost.
 *
 * @param graph the network; one input of flat image rows, one softmax output. Not thread-safe: one
 *              trial trains and measures it on one thread, then {@link ComputationGraph#close() closes} it
 * @param flops  floating-point operations of one forward pass of one example, counted as
 *               {@link NetworkBuilder} describes
 * @param memory what it needs in memory, from its layout
 */
public record BuiltNetwork(ComputationGraph graph, long flops, MemoryFootprint memory) {

    public BuiltNetwork {
        if (graph == null || memory == null) {
            throw new IllegalArgumentException("a built network needs its graph and its memory footprint");
        }
        if (flops < 0) {
            throw new IllegalArgumentException("flops must be non-negative, got " + flops);
        }
    }

    /** Trainable parameters (and batch normalisation statistics), as DeepLearning4J counts them. */
    public long params() {
        return graph.numParams();
    }

    /** Its analytic figures, as {@link NetworkBuilder#cost} gives them. */
    public Metrics metrics() {
        return NetworkBuilder.figures(params(), flops, memory);
    }
}
