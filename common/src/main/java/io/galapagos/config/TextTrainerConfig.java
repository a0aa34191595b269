package io.galapagos.config;

import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;

import java.util.List;

/**
 * Real training of sequence networks with DeepLearning4J on labelled text. The objective is validation accuracy;
 * test accuracy is reported.
 *
 * @param data     the text files and the vocabulary rules
 * @param training how each candidate is trained and measured
 */
public record TextTrainerConfig(TextDataConfig data, TrainingConfig training) implements TrainerConfig {

    private static final long serialVersionUID = 1L;

    public TextTrainerConfig {
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

    @Override
    public FidelityLevels fidelityLevels() {
        return training.fidelityLevels();
    }
}
