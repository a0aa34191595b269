package io.galapagos.config;

import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;

import java.util.List;

/**
 * Real training with DeepLearning4J, on images ({@link Dl4jTrainerConfig}) or on text ({@link TextTrainerConfig}):
 * the objective is validation accuracy, test accuracy is reported, and the fidelity levels are the training's epoch
 * budgets.
 */
public sealed interface Dl4jTraining extends TrainerConfig permits Dl4jTrainerConfig, TextTrainerConfig {

    /** How each candidate is trained and measured. */
    TrainingConfig training();

    @Override
    default List<Objective> objectives() {
        return List.of(Objective.VALIDATION_ACCURACY);
    }

    @Override
    default List<String> reported() {
        return List.of(Metrics.TEST_ACCURACY);
    }

    /** The {@code training.fidelity_epochs} levels. */
    @Override
    default FidelityLevels fidelityLevels() {
        return training().fidelityLevels();
    }
}
