package io.galapagos.worker.training;

import io.galapagos.config.DataConfig;
import io.galapagos.space.Architecture;
import io.galapagos.worker.data.DataSplit;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.network.BuiltNetwork;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkBuilder;

import java.io.IOException;

/** Image data (IDX files) for macro and cell architectures. */
public record ImageTrainingData(DataConfig config) implements TrainingData<DataSplit> {

    private static final long serialVersionUID = 1L;

    public ImageTrainingData {
        if (config == null) {
            throw new IllegalArgumentException("the data settings are required");
        }
    }

    @Override
    public DataSplit load() throws IOException {
        return DatasetCache.get(config);
    }

    @Override
    public BuiltNetwork build(NetworkBuilder builder, Architecture architecture, DataSplit splits, int batchSize,
                              double learningRate, long seed) throws InfeasibleNetworkException {
        return builder.build(architecture, InputSpec.of(splits.train()), batchSize, learningRate, seed);
    }

    @Override
    public String toString() {
        return config.toString();
    }
}
