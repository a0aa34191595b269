/**
 * The synthetic trainer, for scale tests and scheduling benchmarks: a trial waits for a duration drawn
 * from its seed (occupying its slot, not the CPU) and answers with a score determined by the architecture
 * ({@link io.galapagos.worker.synthetic.SyntheticTrialRunner}). Nothing is trained or read.
 */
package io.galapagos.worker.synthetic;
