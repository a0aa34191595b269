package io.galapagos.worker.supernet;

import io.galapagos.trial.TrialRunner;
import io.galapagos.trial.TrialRunnerFactory;

/**
 * The serialisable recipe for a {@link SupernetTrialRunner}, shipped to executors inside the Spark function.
 * Immutable; thread-safe.
 *
 * @param calibrationBatches mini-batches of the training split each evaluation recalibrates batch normalisation on
 */
public record SupernetRunnerFactory(SupernetSpec spec, int calibrationBatches) implements TrialRunnerFactory {

    private static final long serialVersionUID = 1L;

    public SupernetRunnerFactory {
        if (spec == null || calibrationBatches < 1) {
            throw new IllegalArgumentException("a spec and at least one calibration batch are required, got "
                    + calibrationBatches);
        }
    }

    @Override
    public TrialRunner create() {
        return new SupernetTrialRunner(spec, calibrationBatches);
    }
}
