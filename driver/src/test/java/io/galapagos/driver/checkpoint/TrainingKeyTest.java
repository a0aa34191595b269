package io.galapagos.driver.checkpoint;

import io.galapagos.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** What a training key sees: what decides training, not what the search optimises. */
class TrainingKeyTest {

    private static final String SEARCH = """
            name: t
            space: {min_blocks: 1, max_blocks: 2}
            data:
              train_images: data/train-images.gz
              train_labels: data/train-labels.gz
              test_images: data/test-images.gz
              test_labels: data/test-labels.gz
            training: {epochs: 2}
            """;

    private static String key(String yaml, String... overrides) {
        return TrainingKey.of(ConfigLoader.parse("t.yaml", yaml, Path.of("/configs"), List.of(overrides)).config());
    }

    @Test
    void objectivesDoNotChangeTheKeyButTrainingAndConstraintsDo() {
        String plain = key(SEARCH);
        assertEquals(plain, key(SEARCH + "objectives: {minimize: [latency_ms, params], reference: {latency_ms: 2, "
                + "params: 9}}\n"), "NSGA-II on latency trains a network as accuracy alone does");
        assertEquals(plain, key(SEARCH, "strategy.kind=random"));
        assertNotEquals(plain, key(SEARCH, "training.epochs=3"));
        assertNotEquals(plain, key(SEARCH + "constraints: {max_params: 1000}\n"));
    }
}
