/**
 * What runs on executors: {@code data} loads IDX images once per JVM, {@code network} builds DL4J graphs
 * from architectures, {@code training} trains and measures them, {@code tabular} answers from a benchmark
 * table instead, {@code spark} is the thin layer Spark calls (functions, Kryo), {@code export} retrains one
 * architecture on the full data, data-parallel with DL4J Spark.
 * {@link io.galapagos.worker.ExecutorIdentity} says which JVM that is.
 */
package io.galapagos.worker;
