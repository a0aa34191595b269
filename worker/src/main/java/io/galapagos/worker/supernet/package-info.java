/**
 * Weight sharing on the executors, for cell spaces:
 * <ul>
 *   <li>{@link io.galapagos.worker.supernet.SharedWeights}: a supernet's weights, lent by name and shape to the
 *       path network ({@link io.galapagos.worker.supernet.PathNetworks}) of whichever cell a step trains or an
 *       evaluation measures;</li>
 *   <li>{@link io.galapagos.worker.supernet.SposTrainer}: single-path uniform-sampling training (Guo et al. 2020),
 *       or strictly fair groups (FairNAS, Chu et al. 2021; {@link io.galapagos.worker.supernet.CellSampler}), with
 *       its own optimiser over named weights, {@link io.galapagos.worker.supernet.NamedOptimiser} (SGD or Adam);</li>
 *   <li>{@link io.galapagos.worker.supernet.SupernetEvaluator}: accuracy with inherited weights after batch-norm
 *       recalibration;</li>
 *   <li>{@link io.galapagos.worker.supernet.SupernetCheckpoint}: the training state in one checksummed file through
 *       the Hadoop FileSystem API ({@link io.galapagos.worker.supernet.ArrayArchive}, which DARTS's checkpoints use
 *       too), refused when damaged or of another supernet ({@link io.galapagos.worker.supernet.SupernetIdentity}).</li>
 * </ul>
 * A path is an ordinary network of {@link io.galapagos.worker.network.NetworkBuilder}, so a cell measured on the
 * supernet computes exactly what the stand-alone network of that cell computes with the same weights.
 */
package io.galapagos.worker.supernet;
