package io.galapagos.config;

import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;

import java.util.List;

/**
 * Real training with DeepLearning4J: the image data and the training budget. The objective is validation
 * accuracy; test accuracy is reported.
 *
 * @param data     the image files
 * @param training how each candidate is trained and measured
 */
public record Dl4jTrainerConfig(DataConfig data, TrainingConfig training) implements TrainerConfig {

    private static final long serialVersionUID = 1L;

    public Dl4jTrainerConfig {
        if (data == null || training == null) {
            throw new IllegalArgumentException("data and training settings are required");
        }
    }

    @Override
    public List<Objective> objectives() {
        return List.of(Objective.VALIDATION_ACCURACY);
    }

    @Override
    public List<String> reported() {
        return List.of(Metrics.TEST_ACCURACY);
    }

    /** The {@code training.fidelity_epochs} levels. */
    @Override
    public FidelityLevels fidelityLevels() {
        return training.fidelityLevels();
    }
}
