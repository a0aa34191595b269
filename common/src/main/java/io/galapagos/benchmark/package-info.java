/**
 * Tabular NAS benchmarks: tables with one row per architecture of a space (NAS-Bench-201 and others of
 * the same shape), so that a "training" is a look-up; and the measures searches are judged by (the
 * hypervolume of a front, the rank correlation of two scorings of a sample).
 */
package io.galapagos.benchmark;
