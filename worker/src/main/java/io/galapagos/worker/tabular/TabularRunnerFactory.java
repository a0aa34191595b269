package io.galapagos.worker.tabular;

import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.trial.TrialRunner;
import io.galapagos.trial.TrialRunnerFactory;

/**
 * The serialisable recipe for a {@link TabularTrialRunner}, shipped to executors inside the Spark
 * function: only the benchmark settings travel; each JVM reads the table once. Immutable; thread-safe.
 */
public record TabularRunnerFactory(TabularTrainerConfig config) implements TrialRunnerFactory {

    private static final long serialVersionUID = 1L;

    public TabularRunnerFactory {
        if (config == null) {
            throw new IllegalArgumentException("benchmark settings are required");
        }
    }

    @Override
    public TrialRunner create() {
        return new TabularTrialRunner(config);
    }
}
