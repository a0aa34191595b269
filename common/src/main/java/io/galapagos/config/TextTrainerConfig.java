package io.galapagos.config;

/**
 * Real training of sequence networks with DeepLearning4J on labelled text. The objectives are validation
 * accuracy and the configured cost metrics; test accuracy is reported.
 *
 * @param data     the text files and the vocabulary rules
 * @param training how each candidate is trained and measured
 * @param objectiveSettings what the search optimises ({@code objectives} section)
 * @param latencyModel the latency model file the driver starts from ({@code constraints.latency_model}), or
 *                 {@code null}
 */
public record TextTrainerConfig(TextDataConfig data, TrainingConfig training,
                                ObjectivesConfig objectiveSettings, String latencyModel) implements Dl4jTraining {

    private static final long serialVersionUID = 1L;

    public TextTrainerConfig {
        if (data == null || training == null || objectiveSettings == null) {
            throw new IllegalArgumentException("data, training and objective settings are required");
        }
    }
}
