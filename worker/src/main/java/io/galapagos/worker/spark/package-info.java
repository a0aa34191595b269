/**
 * The thin Spark layer of the worker: {@link io.galapagos.worker.spark.RunCandidateFunction}, the function
 * a Spark job maps over one candidate; {@link io.galapagos.worker.spark.GalapagosKryoRegistrator}, the
 * explicit Kryo registration of every value that crosses the wire, with the serializers it registers;
 * {@link io.galapagos.worker.spark.GuardedTrialRun}, how every executor (Spark or in-process) runs one
 * candidate and records where it ran; and {@link io.galapagos.worker.spark.TaskGpus}, the GPU addresses
 * Spark assigned to the running task. Everything that builds, trains and measures networks lives elsewhere
 * and never sees Spark.
 */
package io.galapagos.worker.spark;
