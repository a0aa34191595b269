package io.galapagos.config;

/**
 * Real training of sequence networks with DeepLearning4J on labelled text. The objectives are validation
 * accuracy and the configured cost metrics; test accuracy is reported.
 *
 * @param data     the text files and the vocabulary rules
 * @param training how each candidate is trained and measured
 * @param objectiveSettings what the search optimises ({@code objectives} section)
 * @param latencyModel what the driver's latency model learns before the first candidate
 */
public record TextTrainerConfig(TextDataConfig data, TrainingConfig training,
                                ObjectivesConfig objectiveSettings, LatencyModelConfig latencyModel) implements Dl4jTraining {

    private static final long serialVersionUID = 1L;

    public TextTrainerConfig {
        if (data == null || training == null || objectiveSettings == null || latencyModel == null) {
            throw new IllegalArgumentException("data, training, objective and latency model settings are required");
        }
    }
}
