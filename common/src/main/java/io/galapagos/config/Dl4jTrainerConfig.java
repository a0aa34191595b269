package io.galapagos.config;

/**
 * Real training with DeepLearning4J: the image data and the training budget. The objective is validation
 * accuracy; test accuracy is reported.
 *
 * @param data     the image files
 * @param training how each candidate is trained and measured
 */
public record Dl4jTrainerConfig(DataConfig data, TrainingConfig training) implements Dl4jTraining {

    private static final long serialVersionUID = 1L;

    public Dl4jTrainerConfig {
        if (data == null || training == null) {
            throw new IllegalArgumentException("data and training settings are required");
        }
    }
}
