package io.galapagos.config;

/**
 * Real training of sequence networks with DeepLearning4J on labelled text. The objective is validation accuracy;
 * test accuracy is reported.
 *
 * @param data     the text files and the vocabulary rules
 * @param training how each candidate is trained and measured
 */
public record TextTrainerConfig(TextDataConfig data, TrainingConfig training) implements Dl4jTraining {

    private static final long serialVersionUID = 1L;

    public TextTrainerConfig {
        if (data == null || training == null) {
            throw new IllegalArgumentException("data and training settings are required");
        }
    }
}
