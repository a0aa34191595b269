/**
 * Gradient-based architecture search (DARTS) on the executors: the continuous relaxation of a cell space as a
 * SameDiff graph ({@link io.galapagos.worker.darts.MixedCellSupernet}) and one seed's alternating search on it
 * ({@link io.galapagos.worker.darts.DartsSearch}).
 */
package io.galapagos.worker.darts;
