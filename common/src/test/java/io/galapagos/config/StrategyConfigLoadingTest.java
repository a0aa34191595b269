package io.galapagos.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The {@code strategy} section: every kind, its settings, defaults, and the messages for bad values. */
class StrategyConfigLoadingTest {

    private static final String BASE = """
            name: t
            strategy: {kind: evolution}
            space: {min_blocks: 1, max_blocks: 2}
            data:
              train_images: data/train-images.gz
              train_labels: data/train-labels.gz
              test_images: data/test-images.gz
              test_labels: data/test-labels.gz
            """;

    /**
     * Hyperband needs fidelity levels of the trainer: DL4J's are two epoch budgets here, or as overridden; NSGA-II a
     * second objective.
     */
    private static StrategyConfig strategy(String section, String... overrides) {
        String levels = section.contains("hyperband") ? "training: {epochs: 2, fidelity_epochs: [1, 2]}\n" : "";
        String objectives = section.contains("nsga2") ? "objectives: {minimize: [latency_ms]}\n" : "";
        return ConfigLoader.parse("test.yaml", BASE.replace("{kind: evolution}", section) + levels + objectives,
                Path.of("/configs"),
                List.of(overrides)).config().strategy();
    }

    private static void assertRejected(String section, String expectedMessage) {
        ConfigException e = assertThrows(ConfigException.class, () -> strategy(section));
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void everyKindLoadsWithDefaults() {
        for (StrategyConfig.Kind kind : StrategyConfig.Kind.values()) {
            if (kind == StrategyConfig.Kind.DARTS) {
                continue; // needs the cell space: DartsConfigTest
            }
            StrategyConfig c = strategy("{kind: " + kind.text() + "}");
            assertEquals(StrategyConfig.defaults(kind), c);
        }
        assertEquals(20, strategy("{kind: nsga2}").population());
        assertEquals(StrategyConfig.Kind.LOCAL, strategy("{kind: hyperband}").inner());
    }

    @Test
    void readsEachKindsSettings() {
        assertEquals(4, strategy("{kind: local, initial_samples: 4}").initialSamples());
        StrategyConfig r = strategy("{kind: reinforce, learning_rate: 0.05, entropy_weight: 0.1, baseline_decay: 0.8}");
        assertEquals(0.05, r.learningRate());
        assertEquals(0.1, r.entropyWeight());
        assertEquals(0.8, r.baselineDecay());
        assertEquals(StrategyConfig.Policy.FACTORISED, r.policy());
        assertEquals(StrategyConfig.Policy.AUTOREGRESSIVE, strategy("{kind: reinforce, policy: autoregressive}").policy());
        StrategyConfig b = strategy("{kind: bananas, initial_samples: 20, ensemble_size: 3, parents: 5, candidates: 50}");
        assertEquals(List.of(20, 3, 5, 50), List.of(b.initialSamples(), b.ensembleSize(), b.parents(), b.candidates()));
        StrategyConfig h = strategy("{kind: hyperband, eta: 2, fidelities: 3, inner: bananas}", "training.epochs=3",
                "training.fidelity_epochs=[1, 2, 3]");
        assertEquals(List.of(2, 3), List.of(h.eta(), h.fidelities()));
        assertEquals(StrategyConfig.Kind.BANANAS, h.inner());
        assertEquals(30, strategy("{kind: nsga2}", "strategy.population=30").population());
        assertEquals(0.5, strategy("{kind: evolution, crossover_probability: 0.5}").crossoverProbability());
        assertEquals(0, strategy("{kind: evolution}").crossoverProbability(), "mutation only by default");
    }

    @Test
    void badSettingsAreNamedWithTheirValue() {
        assertRejected("{kind: annealing}", "test.yaml: strategy.kind: 'annealing' is not valid: expected random, "
                + "evolution, local, reinforce, bananas, nsga2, hyperband or darts");
        assertRejected("{kind: reinforce, learning_rate: 0}",
                "test.yaml: strategy.learning_rate: 0 is out of range (must be between 1.0E-9 and 10.0)");
        assertRejected("{kind: reinforce, baseline_decay: 1}",
                "test.yaml: strategy.baseline_decay: 1 is out of range (must be between 0.0 and 0.999999)");
        assertRejected("{kind: reinforce, entropy_weight: -0.1}",
                "test.yaml: strategy.entropy_weight: -0.1 is out of range (must be between 0.0 and 10.0)");
        assertRejected("{kind: reinforce, policy: rnn}",
                "test.yaml: strategy.policy: 'rnn' is not valid: expected factorised or autoregressive");
        assertRejected("{kind: bananas, ensemble_size: 0}",
                "test.yaml: strategy.ensemble_size: 0 is out of range (must be between 1 and 100)");
        assertRejected("{kind: bananas, parents: 0}",
                "test.yaml: strategy.parents: 0 is out of range (must be between 1 and 100000)");
        assertRejected("{kind: local, initial_samples: 0}",
                "test.yaml: strategy.initial_samples: 0 is out of range (must be between 1 and 1000000)");
        assertRejected("{kind: hyperband, eta: 1}",
                "test.yaml: strategy.eta: 1 is out of range (must be between 2 and 100)");
        assertRejected("{kind: hyperband, fidelities: 1}",
                "test.yaml: strategy.fidelities: 1 is out of range (must be between 2 and 10)");
        assertRejected("{kind: hyperband, inner: hyperband}",
                "test.yaml: strategy.inner: hyperband must be one of random, evolution, local, reinforce, bananas");
        assertRejected("{kind: evolution, crossover_probability: 1.5}",
                "test.yaml: strategy.crossover_probability: 1.5 is out of range (must be between 0.0 and 1.0)");
        assertThrows(ConfigException.class, () -> strategy("{kind: random, crossover_probability: 0.5}"),
                "only evolution reads it");
        assertRejected("{kind: hyperband, inner: nsga2}",
                "test.yaml: strategy.inner: nsga2 must be one of random, evolution, local, reinforce, bananas");
    }

    @Test
    void aSettingOfAnotherKindIsAnUnknownKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> strategy("{kind: local, eta: 3}"));
        assertEquals("test.yaml: strategy.eta: unknown key (known here: initial_samples, kind, population, "
                + "sample_size)", e.getMessage());
    }
}
