package io.galapagos.worker.data;

import io.galapagos.config.DataConfig;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * The data of each {@link DataConfig}, loaded at most once per JVM and kept for the JVM's life: an
 * executor trains many trials on the same data, and Spark may run several of them at once in one JVM.
 *
 * <p>Thread-safe; loads as {@link OncePerJvm} does.
 *
 * <p>The validation split uses the fixed seed {@link #SPLIT_SEED}, so it depends on the configuration
 * alone: every trial, on every executor, scores on the same held-out examples.
 */
public final class DatasetCache {

    /** Seed of the shuffle that picks the validation examples. */
    public static final long SPLIT_SEED = 0x6a1a9a605L;

    private static final OncePerJvm<DataConfig, DataSplit> LOADED = new OncePerJvm<>();

    private DatasetCache() {
    }

    /**
     * The split data of {@code config}, reading the files on first use.
     *
     * @throws IOException            a file is missing or malformed (the message names it), or the two
     *                                sets do not fit together
     * @throws InterruptedIOException the calling thread was interrupted while waiting for another
     *                                thread's load (its interrupt flag is set again)
     */
    public static DataSplit get(DataConfig config) throws IOException {
        return get(config, HadoopFileSystems.configuration());
    }

    /**
     * As {@link #get(DataConfig)}, reading through the file systems {@code hadoop} configures if this JVM has not read
     * the files yet: a driver that trains in its own JVM loads them with its configuration's settings (an s3a key
     * given in its {@code spark.conf}), which Spark gives an executor.
     */
    public static DataSplit get(DataConfig config, Configuration hadoop) throws IOException {
        return LOADED.get(config, c -> load(c, hadoop));
    }

    private static DataSplit load(DataConfig config, Configuration hadoop) throws IOException {
        ImageDataset train = IdxReader.read(config.trainImages(), config.trainLabels(), hadoop);
        ImageDataset test = IdxReader.read(config.testImages(), config.testLabels(), hadoop);
        try {
            return DataSplit.of(train, test, config.validationFraction(), config.trainLimit(), SPLIT_SEED);
        } catch (IllegalArgumentException e) {
            throw new IOException("data of " + config.trainImages() + " and " + config.testImages()
                    + " cannot be split: " + e.getMessage(), e);
        }
    }
}
