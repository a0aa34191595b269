package io.galapagos.config;

/**
 * Real training with DeepLearning4J: the image data and the training budget. The objectives are
 * validation accuracy and the configured cost metrics; test accuracy is reported.
 *
 * @param data     the image files
 * @param training how each candidate is trained and measured
 * @param objectiveSettings what the search optimises ({@code objectives} section)
 * @param latencyModel the latency model file the driver starts from ({@code constraints.latency_model}), or
 *                 {@code null}
 */
public record Dl4jTrainerConfig(DataConfig data, TrainingConfig training,
                                ObjectivesConfig objectiveSettings, String latencyModel) implements Dl4jTraining {

    private static final long serialVersionUID = 1L;

    public Dl4jTrainerConfig {
        if (data == null || training == null || objectiveSettings == null) {
            throw new IllegalArgumentException("data, training and objective settings are required");
        }
    }
}
