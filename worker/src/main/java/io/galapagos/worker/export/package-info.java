/**
 * Retraining one architecture on the full data for export: in this JVM, or data-parallel over the cluster with
 * DL4J Spark.
 */
package io.galapagos.worker.export;
