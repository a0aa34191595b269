package io.galapagos.config;

import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Real training with DeepLearning4J, on images ({@link Dl4jTrainerConfig}) or on text ({@link TextTrainerConfig}):
 * the objectives are validation accuracy and any cost metrics the {@code objectives} section minimises, test accuracy
 * is reported, and the fidelity levels are the training's epoch budgets.
 */
public sealed interface Dl4jTraining extends TrainerConfig permits Dl4jTrainerConfig, TextTrainerConfig {

    /** How each candidate is trained and measured. */
    TrainingConfig training();

    /** The {@code objectives} section. */
    ObjectivesConfig objectiveSettings();

    /** What the driver's latency model learns before the first candidate ({@code constraints.latency_*}). */
    LatencyModelConfig latencyModel();

    @Override
    default List<Objective> objectives() {
        return objectiveSettings().objectives();
    }

    /** The section's reference for {@code metric}, else the bound of a constraint on it. */
    @Override
    default OptionalDouble hypervolumeReference(String metric) {
        return objectiveSettings().reference(metric, training().constraints());
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
