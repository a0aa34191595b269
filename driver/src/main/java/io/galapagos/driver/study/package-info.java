/**
 * The study loop: asks the strategy for candidates, keeps up to {@code parallelism} of them running on a
 * {@link io.galapagos.driver.execution.TrialExecutor}, and tells each result to the strategy and the
 * listeners (journal, progress) as soon as it arrives. No generation barrier.
 */
package io.galapagos.driver.study;
