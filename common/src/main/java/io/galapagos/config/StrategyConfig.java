package io.galapagos.config;

import io.galapagos.space.InvalidValueException;

import java.util.Locale;

/**
 * Which strategy proposes candidates, and its settings. Settings a kind does not use keep their defaults
 * ({@link #defaults(Kind)}) and are ignored. Field names follow the YAML keys.
 *
 * @param kind           the strategy: {@code random}, {@code evolution} (regularized evolution), {@code local}
 *                       (local search), {@code reinforce}, {@code bananas} (predictor-guided evolution),
 *                       {@code nsga2}, {@code hyperband} or {@code darts} (gradient-based: not a strategy that
 *                       proposes candidates to a study, but a search of its own, set up by {@link DartsConfig})
 * @param population     evolution: how many of the most recent results the population holds; nsga2: the
 *                       population size
 * @param sampleSize     evolution: tournament size, how many population members compete to be the parent
 * @param crossoverProbability evolution: how often a child is the crossover of two tournament winners (then
 *                       mutated) rather than a mutation of one; 0 by default, mutation only, as in Real et al. 2019
 * @param initialSamples local, bananas: random samples before the strategy starts to exploit them
 * @param learningRate   reinforce: the policy's (Adam) learning rate
 * @param entropyWeight  reinforce: weight of the entropy bonus
 * @param baselineDecay  reinforce: decay of the moving-average reward baseline, in [0, 1)
 * @param ensembleSize   bananas: how many neural predictors vote
 * @param parents        bananas: how many of the best results are mutated into candidates
 * @param candidates     bananas: how many mutations are scored by the acquisition function per batch
 * @param eta            hyperband: the halving rate (keep the best 1/eta of a rung)
 * @param fidelities     hyperband: how many fidelity levels, cheapest first, the last one full
 * @param inner          hyperband: the strategy that proposes new candidates at the lowest rung
 * @param policy         reinforce: the policy over a cell space's edges, {@code factorised} (an independent
 *                       softmax per edge, the default) or {@code autoregressive} (each edge's softmax also
 *                       conditioned on the choices of the earlier edges); macro spaces use their own policy
 */
public record StrategyConfig(Kind kind, int population, int sampleSize, double crossoverProbability,
                             int initialSamples, double learningRate,
                             double entropyWeight, double baselineDecay, int ensembleSize, int parents,
                             int candidates, int eta, int fidelities, Kind inner, Policy policy) {

    public enum Kind {
        RANDOM, EVOLUTION, LOCAL, REINFORCE, BANANAS, NSGA2, HYPERBAND, DARTS;

        /** The YAML name. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Reinforce's policy over a cell space's edges. */
    public enum Policy {
        FACTORISED, AUTOREGRESSIVE;

        /** The YAML name. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StrategyConfig {
        if (kind == null) {
            throw new InvalidValueException("kind", null, "is required");
        }
        if (population < 2) {
            throw new InvalidValueException("population", population, "must be at least 2");
        }
        if (sampleSize < 1 || sampleSize > population) {
            throw new InvalidValueException("sample_size", sampleSize,
                    "must be between 1 and population (" + population + ")");
        }
        if (!(crossoverProbability >= 0 && crossoverProbability <= 1)) {
            throw new InvalidValueException("crossover_probability", crossoverProbability, "must be in [0, 1]");
        }
        if (initialSamples < 1) {
            throw new InvalidValueException("initial_samples", initialSamples, "must be at least 1");
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new InvalidValueException("learning_rate", learningRate, "must be in (0, 10]");
        }
        if (!(entropyWeight >= 0 && entropyWeight <= 10)) {
            throw new InvalidValueException("entropy_weight", entropyWeight, "must be in [0, 10]");
        }
        if (!(baselineDecay >= 0 && baselineDecay < 1)) {
            throw new InvalidValueException("baseline_decay", baselineDecay, "must be in [0, 1)");
        }
        if (ensembleSize < 1 || ensembleSize > 100) {
            throw new InvalidValueException("ensemble_size", ensembleSize, "must be between 1 and 100");
        }
        if (parents < 1) {
            throw new InvalidValueException("parents", parents, "must be at least 1");
        }
        if (candidates < 1) {
            throw new InvalidValueException("candidates", candidates, "must be at least 1");
        }
        if (eta < 2) {
            throw new InvalidValueException("eta", eta, "must be at least 2");
        }
        if (fidelities < 2 || fidelities > 10) {
            throw new InvalidValueException("fidelities", fidelities, "must be between 2 and 10");
        }
        if (inner == null || inner == Kind.HYPERBAND || inner == Kind.NSGA2 || inner == Kind.DARTS) {
            throw new InvalidValueException("inner", inner == null ? null : inner.text(),
                    "must be one of random, evolution, local, reinforce, bananas");
        }
        if (policy == null) {
            throw new InvalidValueException("policy", null, "must be factorised or autoregressive");
        }
    }

    /** Evolution or random search with the given population and tournament, other settings default. */
    public StrategyConfig(Kind kind, int population, int sampleSize) {
        this(kind, population, sampleSize, 0, 10, 0.1, 0.01, 0.9, 5, 10, 100, 3, 2, Kind.LOCAL, Policy.FACTORISED);
    }

    /** The defaults of a kind (nsga2 has a population of 20, the others 10). */
    public static StrategyConfig defaults(Kind kind) {
        return new StrategyConfig(kind, kind == Kind.NSGA2 ? 20 : 10, 3);
    }
}
