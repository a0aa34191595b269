package io.galapagos.config;

import io.galapagos.trial.Candidate;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code training.fidelity_epochs}: the DL4J trainer's fidelity levels, their epochs, the messages for bad
 * lists, and hyperband held to them by the same check as to a benchmark's fidelity columns.
 */
class FidelityEpochsConfigTest {

    private static final String DL4J = """
            name: t
            strategy: {kind: hyperband, fidelities: 3, inner: random}
            space: {min_blocks: 1, max_blocks: 2}
            data:
              train_images: data/train-images.gz
              train_labels: data/train-labels.gz
              test_images: data/test-images.gz
              test_labels: data/test-labels.gz
            training: {epochs: 9, fidelity_epochs: [1, 3, 9]}
            """;

    private static ConfigLoader.Loaded load(String yaml, String... overrides) {
        return ConfigLoader.parse("mf.yaml", yaml, Path.of("/configs"), List.of(overrides));
    }

    private static TrainingConfig training(String yaml, String... overrides) {
        return ((Dl4jTrainerConfig) load(yaml, overrides).config().trainer()).training();
    }

    private static void assertRejected(String yaml, String expected, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml, overrides));
        assertEquals(expected, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void levelsTrainTheirEpochsAndFullFidelityTheConfiguredOnes() {
        TrainingConfig t = training(DL4J);
        assertEquals(List.of(1, 3, 9), t.fidelityEpochs());
        assertEquals(3, t.fidelityLevels().count());
        assertEquals(List.of(1, 3, 9), List.of(t.epochsAt(0), t.epochsAt(1), t.epochsAt(2)));
        assertEquals(9, t.epochsAt(Candidate.FULL_FIDELITY));
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class, () -> t.epochsAt(3));
        assertEquals("fidelity level 3 is not configured: training.fidelity_epochs has levels 0 to 2 (1, 3, 9)",
                beyond.getMessage());
        assertEquals(t.fidelityLevels(), load(DL4J).config().trainer().fidelityLevels());
    }

    @Test
    void withoutTheKeyThereIsOneLevelTheFullTraining() {
        String plain = DL4J.replace(", fidelity_epochs: [1, 3, 9]", "").replace("{kind: hyperband, fidelities: 3, "
                + "inner: random}", "{kind: evolution}");
        TrainingConfig t = training(plain);
        assertEquals(List.of(), t.fidelityEpochs());
        assertEquals(1, t.fidelityLevels().count());
        assertEquals(9, t.epochsAt(0));
        assertEquals(9, t.epochsAt(Candidate.FULL_FIDELITY));
        assertEquals(new TrainingConfig(9, 120, 64, 1e-3, 10, 20, Constraints.NONE), t, "the seven-setting constructor: no levels");
    }

    @Test
    void theEffectiveConfigLoadsBackWithItsLevels() {
        ConfigLoader.Loaded first = load(DL4J);
        assertTrue(first.effectiveYaml().contains("fidelity_epochs:"), first.effectiveYaml());
        assertEquals(first.config(), ConfigLoader.parse("config.yaml", first.effectiveYaml(), Path.of("/x"), List.of())
                .config());
    }

    @Test
    void badListsAreOneLineQuotingThem() {
        assertRejected(DL4J, "--set training.fidelity_epochs=[3, 1, 9]: [3, 1, 9] must be strictly ascending (each level "
                + "trains longer than the one before), but 1 follows 3", "training.fidelity_epochs=[3, 1, 9]");
        assertRejected(DL4J, "--set training.fidelity_epochs=[1, 3, 3, 9]: [1, 3, 3, 9] must be strictly ascending (each level "
                + "trains longer than the one before), but 3 follows 3", "training.fidelity_epochs=[1, 3, 3, 9]");
        assertRejected(DL4J, "--set training.fidelity_epochs=[0, 3, 9]: [0, 3, 9] must be positive numbers of epochs, not 0",
                "training.fidelity_epochs=[0, 3, 9]");
        assertRejected(DL4J, "--set training.fidelity_epochs=[1, 3, 8]: [1, 3, 8] must end with epochs (9), the full "
                + "training, not 8", "training.fidelity_epochs=[1, 3, 8]");
        assertRejected(DL4J, "--set training.fidelity_epochs=[9]: [9] must list at least two epoch budgets, ascending, "
                + "the last epochs (9), e.g. [1, 3, 9]", "training.fidelity_epochs=[9]");
        assertRejected(DL4J, "mf.yaml with --set training.epochs=12: training.fidelity_epochs: [1, 3, 9] must end with epochs (12), the full "
                + "training, not 9", "training.epochs=12");
        assertRejected(DL4J, "--set training.fidelity_epochs=3: 3 should be a list, e.g. [a, b]",
                "training.fidelity_epochs=3");
        assertRejected(DL4J, "--set training.fidelity_epochs=[1, x, 9]: training.fidelity_epochs[1]: 'x' should be a whole number",
                "training.fidelity_epochs=[1, x, 9]");
    }

    @Test
    void hyperbandIsHeldToTheLevelsAsToABenchmarksFidelityColumns() {
        assertRejected(DL4J, "--set strategy.fidelities=2: 2 must equal the number of training.fidelity_epochs "
                + "(3: 1, 3, 9)", "strategy.fidelities=2");
        assertRejected(DL4J.replace(", fidelity_epochs: [1, 3, 9]", ""), "mf.yaml: strategy.kind: 'hyperband' needs "
                + "training.fidelity_epochs: the epochs of each level, ascending, the last training.epochs "
                + "(e.g. [1, 3, 9])");
        // other strategies propose at full fidelity: levels are allowed and unused
        SearchConfig evolution = load(DL4J.replace("{kind: hyperband, fidelities: 3, inner: random}",
                "{kind: evolution}")).config();
        assertEquals(3, evolution.trainer().fidelityLevels().count());
    }

    @Test
    void syntheticTrialsHaveNoLevelsForHyperband() {
        assertRejected("name: s\nstrategy: {kind: hyperband}\nsynthetic: {median_seconds: 0}\n",
                "mf.yaml: strategy.kind: 'hyperband' needs fidelity levels: synthetic trials have none (they are "
                        + "drawn, not trained; benchmark.fidelities or training.fidelity_epochs offer levels)");
    }

    @Test
    void theRecordValidatesItselfWhereverItIsMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingConfig(4, 60, 16, 0.01, 10, 1, Constraints.NONE, List.of(2, 1, 4)));
        assertTrue(e.getMessage().startsWith("fidelity_epochs: [2, 1, 4] must be strictly ascending"), e.getMessage());
        assertEquals(List.of(), new TrainingConfig(4, 60, 16, 0.01, 10, 1, Constraints.NONE, null).fidelityEpochs());
    }
}
