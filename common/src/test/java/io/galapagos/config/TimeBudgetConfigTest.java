package io.galapagos.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.galapagos.config.ConfigAssertions.assertRejected;
import static io.galapagos.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code max_minutes}: a session's wall-clock budget, for searches that train every candidate. */
class TimeBudgetConfigTest {

    @Test
    void theBudgetIsReadInMinutesAndIsOffByDefault() {
        assertEquals(Duration.ZERO, load(ConfigAssertions.CELL_SEARCH).maxTime());
        assertEquals(Duration.ofMinutes(30), load(ConfigAssertions.CELL_SEARCH + "max_minutes: 30\n").maxTime());
        assertEquals(Duration.ofSeconds(90), load(ConfigAssertions.CELL_SEARCH, "max_minutes=1.5").maxTime());
    }

    @Test
    void aNegativeBudgetIsRefused() {
        assertRejected("max_minutes", ConfigAssertions.CELL_SEARCH + "max_minutes: -1\n");
    }

    @Test
    void weightSharingAndDartsRunTheirPhasesToTheirEnd() {
        assertRejected("test.yaml: max_minutes: 30.0 applies to searches that train every candidate",
                ConfigAssertions.CELL_SEARCH + "trials: 20\nmax_minutes: 30\noneshot: {}\n");
        assertRejected("applies to searches that train every candidate",
                ConfigAssertions.CELL_SEARCH + "max_minutes: 30\nstrategy: {kind: darts}\n");
    }
}
