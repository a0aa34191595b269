package io.galapagos.worker.training;

import io.galapagos.config.DataConfig;
import io.galapagos.worker.data.DataSplit;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.data.IdxReader;
import io.galapagos.worker.data.IdxReader.Contents;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkInput;
import org.apache.hadoop.conf.Configuration;

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
    public DataSplit load(Configuration hadoop) throws IOException {
        return DatasetCache.get(config, hadoop);
    }

    @Override
    public NetworkInput input(DataSplit splits) {
        return InputSpec.of(splits.train());
    }

    /** One channel, the headers' size, and as many classes as the largest label of either file + 1. */
    @Override
    public NetworkInput input(Configuration hadoop) throws IOException {
        Contents images = IdxReader.imagesHeader(config.trainImages(), hadoop);
        int maxLabel = Math.max(IdxReader.checkLabels(config.trainLabels(), hadoop).maxLabel(),
                IdxReader.checkLabels(config.testLabels(), hadoop).maxLabel());
        return new InputSpec(images.rows(), images.columns(), 1, maxLabel + 1);
    }

    @Override
    public String toString() {
        return config.toString();
    }
}
