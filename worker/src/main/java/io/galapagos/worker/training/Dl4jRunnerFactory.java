package io.galapagos.worker.training;

import io.galapagos.config.DataConfig;
import io.galapagos.config.TrainingConfig;
import io.galapagos.trial.TrialRunner;
import io.galapagos.trial.TrialRunnerFactory;

/**
 * The serialisable recipe for a {@link Dl4jTrialRunner}: shipped to executors inside the Spark function (Java
 * serialisation, as Spark ships every task's function), holding only the data and training settings and where
 * level checkpoints go. Immutable; thread-safe.
 *
 * @param checkpoints the folder (a Hadoop FileSystem URI) where trainings at the lower fidelity levels are saved
 *                    for their promotions to continue, e.g. a search's {@code <output>/checkpoints}; null for
 *                    none (every candidate trains from scratch)
 */
public record Dl4jRunnerFactory(TrainingData<?> data, TrainingConfig training, String checkpoints)
        implements TrialRunnerFactory {

    private static final long serialVersionUID = 1L;

    public Dl4jRunnerFactory {
        if (data == null || training == null) {
            throw new IllegalArgumentException("data and training settings are required");
        }
        if (checkpoints != null && checkpoints.isBlank()) {
            throw new IllegalArgumentException("a checkpoint folder must be null (none) or name a folder, got '"
                    + checkpoints + "'");
        }
    }

    /** Images. */
    public Dl4jRunnerFactory(DataConfig data, TrainingConfig training, String checkpoints) {
        this(new ImageTrainingData(data), training, checkpoints);
    }

    /** Images, without checkpoints: every candidate trains from scratch. */
    public Dl4jRunnerFactory(DataConfig data, TrainingConfig training) {
        this(data, training, null);
    }

    @Override
    public TrialRunner create() {
        return new Dl4jTrialRunner(data, training, 0, checkpoints);
    }

    /** Runners that only time each candidate's untrained network ({@link Dl4jTrialRunner#measureLatency}). */
    public TrialRunnerFactory latencyOnly() {
        return new LatencyOnly(this);
    }

    private record LatencyOnly(Dl4jRunnerFactory trainer) implements TrialRunnerFactory {

        private static final long serialVersionUID = 1L;

        @Override
        public TrialRunner create() {
            return new Dl4jTrialRunner(trainer.data(), trainer.training(), 0, null)::measureLatency;
        }
    }
}
