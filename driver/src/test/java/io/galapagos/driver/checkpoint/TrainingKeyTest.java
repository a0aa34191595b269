package io.galapagos.driver.checkpoint;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.results.OutputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * A search with a train_limit started when the limit took the file's first examples has the key it had then: the
     * current version refuses to go on with it (its keys name the random draw); keys without a limit are as they were.
     */
    @Test
    void aSearchWhoseLimitTookTheFirstExamplesIsRefusedAndKeysWithoutALimitStay() {
        assertEquals("87e15837baac7461", key(SEARCH), "a key without a limit is the one outputs recorded before");
        SearchConfig limited = ConfigLoader.parse("t.yaml", SEARCH, Path.of("/configs"), List.of("data.train_limit=500"))
                .config();
        // the key of this configuration with a limit, as the version before the random draw recorded it
        ObjectNode before = JsonNodeFactory.instance.objectNode().put("training_key", "6a197ac33c6c8102");
        assertNotEquals("6a197ac33c6c8102", TrainingKey.of(limited));
        OutputException e = assertThrows(OutputException.class,
                () -> TrainingKey.checkLimitPolicy(before, limited, "runs/x"));
        assertTrue(e.getMessage().startsWith("output runs/x: was searched when train_limit took the first examples"),
                e.getMessage());
        ObjectNode now = JsonNodeFactory.instance.objectNode().put("training_key", TrainingKey.of(limited));
        assertDoesNotThrow(() -> TrainingKey.checkLimitPolicy(now, limited, "runs/x"));
    }
}
