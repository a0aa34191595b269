/**
 * Turns a {@link io.galapagos.space.MacroArchitecture} into a DeepLearning4J
 * {@link org.deeplearning4j.nn.graph.ComputationGraph}: {@link io.galapagos.worker.network.NetworkBuilder}
 * lays out the graph, counts its parameters and FLOPs analytically, refuses networks over its limits
 * with an {@link io.galapagos.worker.network.InfeasibleNetworkException}, and returns a
 * {@link io.galapagos.worker.network.BuiltNetwork}. Knows nothing of data loading, training loops or Spark.
 */
package io.galapagos.worker.network;
