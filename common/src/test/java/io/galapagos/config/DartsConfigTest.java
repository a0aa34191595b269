package io.galapagos.config;

import org.junit.jupiter.api.Test;

import static io.galapagos.config.ConfigAssertions.assertRejected;
import static io.galapagos.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code strategy.kind: darts} and its {@code darts} section: keys, defaults, and every mistake in one line. */
class DartsConfigTest {

    private static final String CELLS = ConfigAssertions.CELL_SEARCH;
    private static final String DARTS = CELLS + "strategy: {kind: darts}\n";

    @Test
    void theKindAloneIsDartsWithTheDefaultsAndOtherKindsHaveNone() {
        assertEquals(DartsConfig.DEFAULTS, load(DARTS).darts().orElseThrow());
        assertEquals(DartsConfig.Remedy.EARLY_STOP, DartsConfig.DEFAULTS.remedy());
        assertTrue(load(CELLS).darts().isEmpty());
    }

    @Test
    void readsEveryKey() {
        DartsConfig d = load(DARTS + """
                darts: {seeds: 3, epochs: 6, warmup_epochs: 2, batch_size: 32, learning_rate: 0.05, momentum: 0.8, weight_decay: 0.001,
                        alpha_learning_rate: 0.0006, alpha_weight_decay: 0.002, remedy: none}
                """).darts().orElseThrow();
        assertEquals(new DartsConfig(3, 6, 2, 32, 0.05, 0.8, 0.001, 0.0006, 0.002, DartsConfig.Remedy.NONE), d);
        assertEquals(4, load(DARTS, "darts.epochs=4").darts().orElseThrow().epochs());
    }

    @Test
    void refusesBadSettingsNamingTheKey() {
        assertRejected("darts.seeds", DARTS + "darts: {seeds: 0}\n");
        assertRejected("darts.warmup_epochs: 4 must be at least 0 and less than epochs (4)",
                DARTS + "darts: {warmup_epochs: 4}\n");
        assertRejected("darts.learning_rate", DARTS + "darts: {learning_rate: 20}\n");
        assertRejected("darts.alpha_learning_rate", DARTS + "darts: {alpha_learning_rate: 0}\n");
        assertRejected("darts.momentum", DARTS + "darts: {momentum: 1.5}\n");
        assertRejected("darts.remedy: 'gumbel' is not valid: expected none, auxiliary_skip or early_stop",
                DARTS + "darts: {remedy: gumbel}\n");
        assertRejected("darts.pc_darts", DARTS + "darts: {pc_darts: true}\n");
        assertRejected("unknown cell operation 'sep_conv_5x5'",
                DARTS.replace("{kind: nb201}", "{kind: nb201, operations: [skip_connect, sep_conv_5x5]}"));
    }

    @Test
    void refusesDartsWhereItCannotRun() {
        assertRejected("test.yaml: strategy.kind: darts needs the cell space (space.kind: nb201)",
                DARTS.replace("{kind: nb201}", "{kind: macro}").replace(", cell_channels: 8, cells_per_stage: 1", ""));
        assertRejected("darts: section needs strategy.kind: darts", CELLS + "darts: {seeds: 2}\n");
        assertRejected("needs executor: spark", DARTS + "executor: in_process\n");
        assertRejected("cannot be used with strategy.kind darts", DARTS + "oneshot: {}\n");
        assertRejected("strategy.inner: darts must be one of random, evolution, local, reinforce, bananas",
                CELLS + "strategy: {kind: hyperband, inner: darts}\n");
    }
}
