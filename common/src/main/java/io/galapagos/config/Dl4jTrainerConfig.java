package io.galapagos.config;

/**
 * Real training with DeepLearning4J: the image data and the training budget. The objectives are
 * validation accuracy and the configured cost metrics; test accuracy is reported.
 *
 * @param data     the image files
 * @param training how each candidate is trained and measured
 * @param objectiveSettings what the search optimises ({@code objectives} section)
 * @param latencyModel what the driver's latency model learns before the first candidate
 */
public record Dl4jTrainerConfig(DataConfig data, TrainingConfig training,
                                ObjectivesConfig objectiveSettings, LatencyModelConfig latencyModel) implements Dl4jTraining {

    private static final long serialVersionUID = 1L;

    public Dl4jTrainerConfig {
        if (data == null || training == null || objectiveSettings == null || latencyModel == null) {
            throw new IllegalArgumentException("data, training, objective and latency model settings are required");
        }
    }
}
