/**
 * The tabular trainer: answers a candidate from a benchmark table (NAS-Bench-201 and any other table of
 * that shape) instead of training it. The table is read once per JVM ({@link
 * io.galapagos.worker.tabular.TabularBenchmarks}); an answer is a hash look-up, microseconds.
 */
package io.galapagos.worker.tabular;
