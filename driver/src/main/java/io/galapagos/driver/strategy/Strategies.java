package io.galapagos.driver.strategy;

import io.galapagos.config.StrategyConfig;
import io.galapagos.space.SearchSpace;
import io.galapagos.trial.Objective;

import java.util.List;

/** Builds the strategy a configuration names. */
public final class Strategies {

    private Strategies() {
    }

    /** A single-objective strategy; {@code nsga2} needs {@link #create(StrategyConfig, SearchSpace, List, long)}. */
    public static SearchStrategy create(StrategyConfig config, SearchSpace space, Objective objective, long seed) {
        return create(config, space, List.of(objective), seed);
    }

    /**
     * The strategy of {@code config}. {@code objectives} lists what to optimise, the search signal first;
     * every strategy but {@code nsga2} optimises only that first one, and {@code nsga2} needs at least two.
     */
    public static SearchStrategy create(StrategyConfig config, SearchSpace space, List<Objective> objectives,
                                        long seed) {
        if (objectives.isEmpty()) {
            throw new IllegalArgumentException("a strategy needs an objective");
        }
        Objective objective = objectives.get(0);
        return switch (config.kind()) {
            case RANDOM -> new RandomSearch(space, seed);
            case EVOLUTION -> new RegularizedEvolution(space, objective, config.population(), config.sampleSize(),
                    config.crossoverProbability(), seed);
            case LOCAL -> new LocalSearch(space, objective, config.initialSamples(), seed);
            case REINFORCE -> new Reinforce(space, objective, config.learningRate(), config.entropyWeight(),
                    config.baselineDecay(), config.policy(), seed);
            case BANANAS -> new Bananas(space, objective, config.initialSamples(), config.ensembleSize(),
                    config.parents(), config.candidates(), seed);
            case NSGA2 -> {
                if (objectives.size() < 2) {
                    throw new IllegalArgumentException("strategy nsga2 needs at least two objectives, got only "
                            + objective.metric() + "; name the others in the benchmark's objectives");
                }
                yield new Nsga2(space, objectives, config.population(), seed);
            }
            case HYPERBAND -> {
                StrategyConfig innerConfig = new StrategyConfig(config.inner(), config.population(),
                        config.sampleSize(), config.crossoverProbability(), config.initialSamples(), config.learningRate(), config.entropyWeight(),
                        config.baselineDecay(), config.ensembleSize(), config.parents(), config.candidates(),
                        config.eta(), config.fidelities(), StrategyConfig.Kind.RANDOM, config.policy());
                SearchStrategy inner = create(innerConfig, space, objectives, seed ^ 0x5DEECE66DL);
                yield new Hyperband(space, inner, objective, config.fidelities(), config.eta(), seed);
            }
            case DARTS -> throw new IllegalArgumentException("strategy darts learns a cell by gradient descent on a "
                    + "supernet trained on real data: it proposes no candidates to a study (run it with a darts "
                    + "configuration)");
        };
    }
}
