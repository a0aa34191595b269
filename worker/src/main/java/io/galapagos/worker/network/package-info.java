/**
 * Turns an architecture into a DeepLearning4J {@link org.deeplearning4j.nn.graph.ComputationGraph}:
 * {@link io.galapagos.worker.network.NetworkBuilder} has a macro architecture laid out by
 * {@link io.galapagos.worker.network.MacroGraphPlanner}, or a NAS-Bench-201 cell on its skeleton by
 * {@link io.galapagos.worker.network.CellGraphPlanner}, both on the shared layers of
 * {@link io.galapagos.worker.network.GraphLayers}, which count parameters and FLOPs analytically; it refuses
 * networks over its limits with an {@link io.galapagos.worker.network.InfeasibleNetworkException}, and returns a
 * {@link io.galapagos.worker.network.BuiltNetwork}. Knows nothing of data loading, training loops or Spark.
 */
package io.galapagos.worker.network;
