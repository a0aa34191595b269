package io.galapagos.config;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A test configuration, loading test configurations, and asserting that one is refused in one line naming its mistake. */
final class ConfigAssertions {

    /** A search of the cell space with DL4J training on four (not read) data files; sections are appended to it. */
    static final String CELL_SEARCH = """
            name: t
            space: {kind: nb201}
            data:
              train_images: data/train-images.gz
              train_labels: data/train-labels.gz
              test_images: data/test-images.gz
              test_labels: data/test-labels.gz
            training: {epochs: 2, cell_channels: 8, cells_per_stage: 1}
            """;

    private ConfigAssertions() {
    }

    /** The configuration of {@code yaml} as {@code test.yaml} in {@code /configs}, with {@code overrides}. */
    static SearchConfig load(String yaml, String... overrides) {
        return ConfigLoader.parse("test.yaml", yaml, Path.of("/configs"), List.of(overrides)).config();
    }

    /** Asserts that loading fails with a one-line message containing {@code fragment}. */
    static void assertRejected(String fragment, String yaml, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml, overrides));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
