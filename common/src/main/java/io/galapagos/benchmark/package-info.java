/**
 * Tabular NAS benchmarks: tables with one row per architecture of a space (NAS-Bench-201 and others of
 * the same shape), so that a "training" is a look-up.
 */
package io.galapagos.benchmark;
