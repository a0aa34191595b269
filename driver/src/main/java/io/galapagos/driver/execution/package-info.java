/**
 * Where trials run: {@link io.galapagos.driver.execution.TrialExecutor} and its implementations,
 * {@link io.galapagos.driver.execution.SparkTrialExecutor} (one Spark job per trial, in a job group named by
 * the trial id) and {@link io.galapagos.driver.execution.InProcessTrialExecutor} (a thread pool in this
 * JVM) and {@link io.galapagos.driver.execution.DirectTrialExecutor} (on the caller's thread, for
 * microsecond trials), which run the same {@link io.galapagos.trial.TrialRunner} the same way; and
 * {@link io.galapagos.driver.execution.SparkContexts}, the Spark configuration of a search.
 */
package io.galapagos.driver.execution;
