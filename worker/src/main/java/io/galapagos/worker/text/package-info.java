/**
 * Text data on the executors: the labelled files read and split as the configuration says
 * ({@link io.galapagos.worker.text.TextCorpus}), encoded with the vocabulary the driver built
 * ({@link io.galapagos.worker.text.TokenDataset}), and kept once per executor JVM
 * ({@link io.galapagos.worker.text.TextDatasetCache}).
 */
package io.galapagos.worker.text;
