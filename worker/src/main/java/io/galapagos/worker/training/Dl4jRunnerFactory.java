package io.galapagos.worker.training;

import io.galapagos.config.DataConfig;
import io.galapagos.config.TrainingConfig;
import io.galapagos.trial.TrialRunner;
import io.galapagos.trial.TrialRunnerFactory;

/**
 * The serialisable recipe for a {@link Dl4jTrialRunner}: shipped to executors inside the Spark function,
 * holding only the data and training settings. Immutable; thread-safe.
 */
public record Dl4jRunnerFactory(DataConfig data, TrainingConfig training) implements TrialRunnerFactory {

    public Dl4jRunnerFactory {
        if (data == null || training == null) {
            throw new IllegalArgumentException("data and training settings are required");
        }
    }

    @Override
    public TrialRunner create() {
        return new Dl4jTrialRunner(data, training);
    }
}
