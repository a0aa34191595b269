/**
 * Image data for training on an executor: {@link io.galapagos.worker.data.IdxReader} reads IDX files
 * (plain or gzip) from any Hadoop FileSystem, {@link io.galapagos.worker.data.ImageDataset} holds the
 * examples, {@link io.galapagos.worker.data.DataSplit} divides them into train, validation and test, and
 * {@link io.galapagos.worker.data.DatasetCache} loads each configuration once per JVM. Plain Java values:
 * nothing here knows ND4J or Spark.
 */
package io.galapagos.worker.data;
