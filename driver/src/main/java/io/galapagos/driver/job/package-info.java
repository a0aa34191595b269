/**
 * A search as an application: checks the configuration's inputs (data files, or a benchmark table and its
 * columns), prepares the output folder, starts Spark (unless trials run in process), runs the study and
 * writes the reports.
 */
package io.galapagos.driver.job;
