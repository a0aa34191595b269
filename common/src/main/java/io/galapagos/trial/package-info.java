/**
 * The values that travel between driver and executors: a {@link io.galapagos.trial.Candidate} goes out,
 * a {@link io.galapagos.trial.TrialResult} comes back, and {@link io.galapagos.trial.TrialRunner} turns
 * one into the other. All are immutable.
 */
package io.galapagos.trial;
