package io.galapagos.worker.training;

import io.galapagos.config.TextDataConfig;
import io.galapagos.space.Architecture;
import io.galapagos.space.SequenceArchitecture;
import io.galapagos.text.Vocabulary;
import io.galapagos.worker.network.BuiltNetwork;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.network.TokenInput;
import io.galapagos.worker.text.TextDatasetCache;
import io.galapagos.worker.text.TextSplit;

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
    public TextSplit load() throws IOException {
        return TextDatasetCache.get(config, vocabulary);
    }

    @Override
    public BuiltNetwork build(NetworkBuilder builder, Architecture architecture, TextSplit splits, int batchSize,
                              double learningRate, long seed) throws InfeasibleNetworkException {
        if (!(architecture instanceof SequenceArchitecture sequence)) {
            throw new InfeasibleNetworkException("text data needs a sequence architecture, not "
                    + architecture.text());
        }
        return builder.build(sequence, new TokenInput(vocabulary.size(), vocabulary.maxLength(),
                splits.classes().size()), batchSize, learningRate, seed);
    }

    /** The data and the whole vocabulary: a level checkpoint is continued only under both. */
    @Override
    public String toString() {
        return config + "; vocabulary of " + vocabulary.size() + " tokens (hash " + vocabulary.hashCode()
                + "), max_length " + vocabulary.maxLength();
    }
}
