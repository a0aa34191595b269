package io.galapagos.config;

import io.galapagos.space.InvalidValueException;
import io.galapagos.space.MacroSearchSpace;

/**
 * Everything a search needs, as loaded from YAML by {@link ConfigLoader}.
 *
 * @param name        a label for logs and reports
 * @param seed        the study seed; per-trial seeds derive from it
 * @param trials      how many candidates to train in total
 * @param parallelism how many trials run at once; 0 means the number of Spark task slots
 */
public record SearchConfig(String name, long seed, int trials, int parallelism, StrategyConfig strategy,
                           MacroSearchSpace space, DataConfig data, TrainingConfig training,
                           SparkSettings spark) {

    public SearchConfig {
        if (trials < 1 || trials > 1_000_000) {
            throw new InvalidValueException("trials", trials, "must be between 1 and 1000000");
        }
        if (parallelism < 0 || parallelism > 100_000) {
            throw new InvalidValueException("parallelism", parallelism, "must be 0 (one per task slot) or positive");
        }
    }
}
