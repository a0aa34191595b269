package io.galapagos.config;

import io.galapagos.space.InvalidValueException;
import io.galapagos.trial.Objective;

import java.util.List;

/**
 * A synthetic trainer, for scale tests and scheduling benchmarks: a "training" waits for a drawn duration
 * (occupying its slot but no CPU) and answers with a score that depends on the architecture alone (see
 * {@code io.galapagos.worker.synthetic.SyntheticTrialRunner}). Works with any search space. Durations are
 * lognormal: {@code median * exp(sigma * z)}, {@code z} standard normal; with probability
 * {@code stragglerProbability} a trial takes {@code stragglerFactor} times its drawn duration; with
 * probability {@code failureProbability} it fails. Every draw is a function of the candidate's seed, so a
 * rerun of a trial behaves identically. The objective is to maximise {@value #SCORE}; nothing is reported
 * beside it. Immutable; serialisable.
 *
 * @param medianSeconds        the median trial duration in seconds; 0 for trials that take no time at all
 * @param sigma                the standard deviation of the log of the duration; 0 for a fixed duration
 * @param stragglerProbability the probability, in [0, 1], that a trial is a straggler
 * @param stragglerFactor      how many times longer a straggler takes (at least 1)
 * @param failureProbability   the probability, in [0, 1], that a trial fails ("failed: synthetic failure")
 */
public record SyntheticTrainerConfig(double medianSeconds, double sigma, double stragglerProbability,
                                     double stragglerFactor, double failureProbability) implements TrainerConfig {

    private static final long serialVersionUID = 1L;

    /** The metric the synthetic trainer scores architectures with, in [0, 1): the objective, maximised. */
    public static final String SCORE = "score";
    /** The metric recording a trial's drawn duration in seconds (straggling included). */
    public static final String DURATION_SECONDS = "duration_seconds";

    public static final double DEFAULT_MEDIAN_SECONDS = 1.0;
    public static final double DEFAULT_SIGMA = 0.5;
    public static final double DEFAULT_STRAGGLER_PROBABILITY = 0.0;
    public static final double DEFAULT_STRAGGLER_FACTOR = 10;
    public static final double DEFAULT_FAILURE_PROBABILITY = 0.0;

    public SyntheticTrainerConfig {
        if (!(medianSeconds >= 0 && Double.isFinite(medianSeconds))) {
            throw new InvalidValueException("median_seconds", medianSeconds, "must be 0 (no time) or positive");
        }
        if (!(sigma >= 0 && Double.isFinite(sigma))) {
            throw new InvalidValueException("sigma", sigma, "must be 0 or positive");
        }
        if (!(stragglerProbability >= 0 && stragglerProbability <= 1)) {
            throw new InvalidValueException("straggler_probability", stragglerProbability, "must be in [0, 1]");
        }
        if (!(stragglerFactor >= 1 && Double.isFinite(stragglerFactor))) {
            throw new InvalidValueException("straggler_factor", stragglerFactor, "must be at least 1");
        }
        if (!(failureProbability >= 0 && failureProbability <= 1)) {
            throw new InvalidValueException("failure_probability", failureProbability, "must be in [0, 1]");
        }
    }

    /** Every setting at its default: 1-second median, sigma 0.5, no stragglers, no failures. */
    public static SyntheticTrainerConfig defaults() {
        return new SyntheticTrainerConfig(DEFAULT_MEDIAN_SECONDS, DEFAULT_SIGMA, DEFAULT_STRAGGLER_PROBABILITY,
                DEFAULT_STRAGGLER_FACTOR, DEFAULT_FAILURE_PROBABILITY);
    }

    /** Maximise {@value #SCORE}. */
    @Override
    public List<Objective> objectives() {
        return List.of(Objective.maximize(SCORE));
    }

    /** Nothing besides the score. */
    @Override
    public List<String> reported() {
        return List.of();
    }

    /** None: a synthetic trial's duration and score do not depend on a level, so a level would mean nothing. */
    @Override
    public FidelityLevels fidelityLevels() {
        return new FidelityLevels("fidelity levels", "synthetic trials have none (they are drawn, not trained; "
                + "benchmark.fidelities or training.fidelity_epochs offer levels)", List.of());
    }
}
