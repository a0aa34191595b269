package io.galapagos.worker.training;

import io.galapagos.config.TextDataConfig;
import io.galapagos.text.Vocabulary;
import io.galapagos.worker.network.NetworkInput;
import io.galapagos.worker.network.TokenInput;
import io.galapagos.worker.text.TextDatasetCache;
import io.galapagos.worker.text.TextSplit;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;

/**
 * Labelled text for sequence architectures, encoded with the vocabulary the driver built from the training split
 * (it travels here with this value).
 */
public record TextTrainingData(TextDataConfig config, Vocabulary vocabulary) implements TrainingData<TextSplit> {

    private static final long serialVersionUID = 1L;

    public TextTrainingData {
        if (config == null || vocabulary == null) {
            throw new IllegalArgumentException("the data settings and the vocabulary are required");
        }
    }

    @Override
    public TextSplit load(Configuration hadoop) throws IOException {
        return TextDatasetCache.get(config, vocabulary, hadoop);
    }

    @Override
    public NetworkInput input(TextSplit splits) {
        return new TokenInput(vocabulary.size(), vocabulary.maxLength(), splits.classes().size());
    }

    /** Loads the splits (text sets are small; on a local master the executors share them). */
    @Override
    public NetworkInput input(Configuration hadoop) throws IOException {
        return input(load(hadoop));
    }

    /** The data and the whole vocabulary: a level checkpoint is continued only under both. */
    @Override
    public String toString() {
        return config + "; vocabulary of " + vocabulary.size() + " tokens (hash " + vocabulary.hashCode()
                + "), max_length " + vocabulary.maxLength();
    }
}
