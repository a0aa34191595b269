package io.galapagos.driver.strategy;

import io.galapagos.trial.Objective;

import io.galapagos.config.StrategyConfig;
import io.galapagos.space.SearchSpace;

/** Builds the strategy a configuration names. */
public final class Strategies {

    private Strategies() {
    }

    public static SearchStrategy create(StrategyConfig config, SearchSpace space, Objective objective, long seed) {
        return switch (config.kind()) {
            case RANDOM -> new RandomSearch(space, seed);
            case EVOLUTION -> new RegularizedEvolution(space, objective, config.population(), config.sampleSize(), seed);
        };
    }
}
