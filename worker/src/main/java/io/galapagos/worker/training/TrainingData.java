package io.galapagos.worker.training;

import io.galapagos.space.Architecture;
import io.galapagos.worker.data.Splits;
import io.galapagos.worker.network.BuiltNetwork;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.NetworkBuilder;

import java.io.IOException;
import java.io.Serializable;

/**
 * What a DL4J trial trains on and how a network for it is built: images ({@link ImageTrainingData}) or text
 * ({@link TextTrainingData}). Serialisable, to travel to executors inside a runner factory; immutable.
 *
 * @param <S> the splits it loads
 */
public sealed interface TrainingData<S extends Splits> extends Serializable
        permits ImageTrainingData, TextTrainingData {

    /** The splits, loaded at most once per JVM. */
    S load() throws IOException;

    /** A new, initialised network for {@code architecture} reading {@code splits}' examples. */
    BuiltNetwork build(NetworkBuilder builder, Architecture architecture, S splits, int batchSize, double learningRate,
                       long seed) throws InfeasibleNetworkException;
}
