/**
 * Weight sharing on the executors: the shared weights of a cell space's supernet
 * ({@link io.galapagos.worker.supernet.SharedWeights}), lent by name and shape to the stand-alone network of
 * whichever cell a step trains or an evaluation measures; single-path uniform-sampling training
 * ({@link io.galapagos.worker.supernet.SposTrainer}, Guo et al. 2020) with its own optimiser over named weights
 * ({@link io.galapagos.worker.supernet.NamedSgd}); and evaluation with inherited weights after batch-norm
 * recalibration ({@link io.galapagos.worker.supernet.SupernetEvaluator}). A path is an ordinary network of
 * {@link io.galapagos.worker.network.NetworkBuilder}, so a cell measured on the supernet computes exactly what the
 * stand-alone network of that cell computes with the same weights.
 */
package io.galapagos.worker.supernet;
