package io.galapagos.config;

import io.galapagos.trial.Objective;

import java.io.Serializable;
import java.util.List;
import java.util.OptionalDouble;

/**
 * How candidates become results: trained with DL4J on images or on text ({@link Dl4jTraining}), looked up in a tabular
 * benchmark ({@link TabularTrainerConfig}), or simulated ({@link SyntheticTrainerConfig}: drawn durations and
 * an architecture-determined score, for scale tests). Closed set; switch over it without a {@code default}.
 * Immutable; serialisable, so that it can travel inside a trial runner factory.
 */
public sealed interface TrainerConfig extends Serializable permits Dl4jTraining, TabularTrainerConfig,
        SyntheticTrainerConfig {

    /**
     * The study's objectives, the first being the one single-objective strategies, the progress lines and
     * the leaderboard rank by; the others (if any) are extra objectives for multi-objective strategies.
     */
    List<Objective> objectives();

    /** The primary objective: {@code objectives().get(0)}. */
    default Objective objective() {
        return objectives().get(0);
    }

    /**
     * Where the Pareto front's hypervolume is measured from on {@code metric}, an objective's metric, when this
     * configuration says; empty otherwise (the hypervolume then starts from the worst value found).
     */
    default OptionalDouble hypervolumeReference(String metric) {
        return OptionalDouble.empty();
    }

    /** Metrics shown beside the objectives but never used to choose (e.g. test accuracy). */
    List<String> reported();

    /**
     * The fidelity levels a candidate may ask for ({@code io.galapagos.trial.Candidate#fidelity()}), as this
     * trainer's configuration names them: what a multi-fidelity strategy's {@code strategy.fidelities} must match.
     */
    FidelityLevels fidelityLevels();
}
