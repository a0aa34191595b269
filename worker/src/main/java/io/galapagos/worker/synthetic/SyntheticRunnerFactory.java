package io.galapagos.worker.synthetic;

import io.galapagos.config.SyntheticTrainerConfig;
import io.galapagos.trial.TrialRunner;
import io.galapagos.trial.TrialRunnerFactory;

/**
 * The serialisable recipe for a {@link SyntheticTrialRunner}, shipped to executors inside the Spark
 * function: only the synthetic settings travel. Immutable; thread-safe.
 */
public record SyntheticRunnerFactory(SyntheticTrainerConfig config) implements TrialRunnerFactory {

    private static final long serialVersionUID = 1L;

    public SyntheticRunnerFactory {
        if (config == null) {
            throw new IllegalArgumentException("synthetic settings are required");
        }
    }

    @Override
    public TrialRunner create() {
        return new SyntheticTrialRunner(config);
    }
}
