package io.galapagos.config;

import io.galapagos.space.InvalidValueException;
import io.galapagos.trial.Candidate;

import java.io.Serializable;
import java.util.List;

/**
 * How each candidate is trained and measured. Training stops at whichever budget runs out first.
 *
 * @param epochs           passes over the training split
 * @param maxSeconds       wall-clock budget for training, checked after every mini-batch
 * @param batchSize        mini-batch size
 * @param learningRate     Adam's learning rate
 * @param divergenceFactor a loss above this multiple of the first mini-batch's loss (or NaN) stops the trial
 * @param latencyRepeats   timed single-example inferences, after as many warm-up ones, alternating with a reference
 *                         network's; the median is reported, corrected for the machine's speed
 * @param constraints      bounds on the network's metrics ({@code constraints} section): a network over one is
 *                         infeasible, not a result
 * @param fidelityEpochs   the epochs of each fidelity level, cheapest first, strictly ascending, the last
 *                         {@code epochs} (the full training), e.g. {@code [1, 3, 9]}: a candidate at level
 *                         {@code k} trains {@code fidelityEpochs[k]} epochs. Empty (the default) for one level,
 *                         the full training
 * @param cellNetwork      how a cell architecture (the NB201 space) becomes a network; unused for macro
 *                         architectures
 * @param schedule         how the learning rate moves over a candidate's {@code epochs}
 */
public record TrainingConfig(int epochs, double maxSeconds, int batchSize, double learningRate,
                             double divergenceFactor, int latencyRepeats, Constraints constraints,
                             List<Integer> fidelityEpochs, CellNetworkConfig cellNetwork,
                             LearningRateSchedule schedule) implements Serializable {

    /** The learning rate over a candidate's training ({@code training.lr_schedule}). */
    public enum LearningRateSchedule {
        /** Adam's learning rate throughout. */
        CONSTANT,
        /**
         * Annealed from the learning rate to zero along half a cosine over {@code epochs}, mini-batch by
         * mini-batch, as NAS-Bench-201 trains its networks: the last epochs take small steps, so the final
         * accuracy depends less on where the last large step happened to land.
         */
        COSINE;

        /** The configuration's word for it: {@code constant}, {@code cosine}. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public TrainingConfig {
        if (epochs < 1 || epochs > 1000) {
            throw new InvalidValueException("epochs", epochs, "must be between 1 and 1000");
        }
        if (!(maxSeconds > 0)) {
            throw new InvalidValueException("max_seconds", maxSeconds, "must be positive");
        }
        if (batchSize < 1 || batchSize > 8192) {
            throw new InvalidValueException("batch_size", batchSize, "must be between 1 and 8192");
        }
        if (!(learningRate > 0 && learningRate < 10)) {
            throw new InvalidValueException("learning_rate", learningRate, "must be in (0, 10)");
        }
        if (!(divergenceFactor > 1)) {
            throw new InvalidValueException("divergence_factor", divergenceFactor, "must be greater than 1");
        }
        if (latencyRepeats < 1 || latencyRepeats > 10_000) {
            throw new InvalidValueException("latency_repeats", latencyRepeats, "must be between 1 and 10000");
        }
        fidelityEpochs = List.copyOf(fidelityEpochs == null ? List.of() : fidelityEpochs);
        if (!fidelityEpochs.isEmpty()) {
            checkFidelityEpochs(fidelityEpochs, epochs);
        }
        if (cellNetwork == null || schedule == null || constraints == null) {
            throw new IllegalArgumentException("the cell network, learning rate schedule and constraints are required");
        }
    }

    /** With a constant learning rate. */
    public TrainingConfig(int epochs, double maxSeconds, int batchSize, double learningRate, double divergenceFactor,
                          int latencyRepeats, Constraints constraints, List<Integer> fidelityEpochs,
                          CellNetworkConfig cellNetwork) {
        this(epochs, maxSeconds, batchSize, learningRate, divergenceFactor, latencyRepeats, constraints, fidelityEpochs,
                cellNetwork, LearningRateSchedule.CONSTANT);
    }

    /** With NB201's cell network ({@link CellNetworkConfig#NB201}). */
    public TrainingConfig(int epochs, double maxSeconds, int batchSize, double learningRate, double divergenceFactor,
                          int latencyRepeats, Constraints constraints, List<Integer> fidelityEpochs) {
        this(epochs, maxSeconds, batchSize, learningRate, divergenceFactor, latencyRepeats, constraints, fidelityEpochs,
                CellNetworkConfig.NB201);
    }

    /** Training in full only, with no cheaper fidelity levels. */
    public TrainingConfig(int epochs, double maxSeconds, int batchSize, double learningRate, double divergenceFactor,
                          int latencyRepeats, Constraints constraints) {
        this(epochs, maxSeconds, batchSize, learningRate, divergenceFactor, latencyRepeats, constraints, List.of());
    }

    private static void checkFidelityEpochs(List<Integer> levels, int epochs) {
        if (levels.size() < 2) {
            throw new InvalidValueException("fidelity_epochs", levels, "must list at least two epoch budgets, "
                    + "ascending, the last epochs (" + epochs + "), e.g. [1, 3, " + epochs + "]");
        }
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i) < 1) {
                throw new InvalidValueException("fidelity_epochs", levels, "must be positive numbers of epochs, not "
                        + levels.get(i));
            }
            if (i > 0 && levels.get(i) <= levels.get(i - 1)) {
                throw new InvalidValueException("fidelity_epochs", levels, "must be strictly ascending (each level "
                        + "trains longer than the one before), but " + levels.get(i) + " follows " + levels.get(i - 1));
            }
        }
        int last = levels.get(levels.size() - 1);
        if (last != epochs) {
            throw new InvalidValueException("fidelity_epochs", levels, "must end with epochs (" + epochs
                    + "), the full training, not " + last);
        }
    }

    /** The {@code training.fidelity_epochs} levels. */
    public FidelityLevels fidelityLevels() {
        return new FidelityLevels("training.fidelity_epochs", "the epochs of each level, ascending, the last "
                + "training.epochs (e.g. [1, 3, " + epochs + "])", fidelityEpochs.stream().map(String::valueOf).toList());
    }

    /**
     * The epochs a candidate at fidelity {@code level} trains: {@code fidelityEpochs[level]}, or {@code epochs}
     * for a candidate at full fidelity ({@link Candidate#FULL_FIDELITY}) or at the last level (level 0 when
     * there are no levels).
     *
     * @throws IllegalArgumentException for a level that is not configured ({@link FidelityLevels#notConfigured})
     */
    public int epochsAt(int level) {
        FidelityLevels levels = fidelityLevels();
        if (level < Candidate.FULL_FIDELITY || level >= levels.count()) {
            throw new IllegalArgumentException(levels.notConfigured(level));
        }
        return level == Candidate.FULL_FIDELITY || fidelityEpochs.isEmpty() ? epochs : fidelityEpochs.get(level);
    }
}
