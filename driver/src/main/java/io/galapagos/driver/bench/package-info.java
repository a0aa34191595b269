/**
 * {@code galapagos bench}: strategies measured side by side on a tabular benchmark. Each strategy runs one
 * in-process {@link io.galapagos.driver.study.Study} per seed, synchronously
 * ({@link io.galapagos.driver.execution.DirectTrialExecutor}), up to the largest query budget; at each
 * budget the best architecture by the signal is scored by the reported column (mean, standard deviation
 * and regret over seeds), and, with a minimised column, the hypervolume of the front found.
 */
package io.galapagos.driver.bench;
