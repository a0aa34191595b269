package io.galapagos.config;

import io.galapagos.space.InvalidValueException;

/**
 * Which strategy proposes candidates, and its settings.
 *
 * @param kind       {@code random} or {@code evolution} (regularized evolution)
 * @param population evolution: how many of the most recent results the population holds
 * @param sampleSize evolution: tournament size, how many population members compete to be the parent
 */
public record StrategyConfig(Kind kind, int population, int sampleSize) {

    public enum Kind { RANDOM, EVOLUTION }

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
    }
}
