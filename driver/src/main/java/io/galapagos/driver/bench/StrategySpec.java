package io.galapagos.driver.bench;

import io.galapagos.config.ConfigException;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.StrategyConfig;

/**
 * A strategy named on the command line: its kind, optionally followed by settings with the same keys as a
 * config's {@code strategy} section, e.g. {@code random}, {@code evolution} (population 10, tournament 3)
 * or {@code evolution:population=20,sample_size=5}. Whatever kinds and settings the configuration knows,
 * this knows too.
 *
 * @param text   the name as given, used as the strategy's label in reports
 * @param config the strategy's settings, defaults applied
 */
public record StrategySpec(String text, StrategyConfig config) {

    public StrategySpec {
        if (text == null || text.isBlank() || config == null) {
            throw new IllegalArgumentException("a strategy spec needs its text and settings");
        }
    }

    /** Parses one spec; a bad one is a {@link io.galapagos.config.ConfigException} naming it. */
    public static StrategySpec parse(String text) {
        String spec = text.strip();
        String source = "--strategies '" + spec + "'";
        StrategyConfig config = ConfigLoader.strategy(source, spec);
        if (config.kind() == StrategyConfig.Kind.DARTS) {
            throw new ConfigException(source, "darts", "cannot answer from a benchmark table: it trains a supernet "
                    + "on real data (run it with a darts configuration)");
        }
        return new StrategySpec(spec, config);
    }
}
