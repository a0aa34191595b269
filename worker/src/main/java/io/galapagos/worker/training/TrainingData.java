package io.galapagos.worker.training;

import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.Splits;
import io.galapagos.worker.network.NetworkInput;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.Serializable;

/**
 * What a DL4J trial trains on and what its networks read: images ({@link ImageTrainingData}) or text
 * ({@link TextTrainingData}). Serialisable, to travel to executors inside a runner factory; immutable.
 *
 * @param <S> the splits it loads
 */
public sealed interface TrainingData<S extends Splits> extends Serializable
        permits ImageTrainingData, TextTrainingData {

    /** The splits, loaded at most once per JVM. */
    default S load() throws IOException {
        return load(HadoopFileSystems.configuration());
    }

    /**
     * The splits, loaded at most once per JVM, through the file systems {@code hadoop} configures if not loaded yet:
     * a driver that trains in its own JVM loads them with its configuration's settings (an s3a key in its
     * {@code spark.conf}), which Spark gives an executor but nothing gives this JVM's later {@link #load()}.
     */
    S load(Configuration hadoop) throws IOException;

    /** What a network reads and predicts for {@code splits}' examples. */
    NetworkInput input(S splits);

    /**
     * The same as {@code input(load(hadoop))}, found without holding the examples where that is costly (images: the
     * files' headers and labels), for the driver to screen architectures before dispatch.
     */
    NetworkInput input(Configuration hadoop) throws IOException;
}
