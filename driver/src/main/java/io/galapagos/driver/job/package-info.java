/**
 * A search as a Spark application: checks the configuration's inputs, prepares the output folder,
 * starts Spark, runs the study and writes the reports.
 */
package io.galapagos.driver.job;
