package io.galapagos.driver.study;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeBudgetTest {

    @Test
    void runsOutOnceItsDurationHasPassedAndStaysOut() {
        AtomicLong now = new AtomicLong(1_000);
        TimeBudget budget = new TimeBudget(Duration.ofSeconds(60), now::get);
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertFalse(budget.getAsBoolean());
        assertFalse(budget.reached());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(budget.getAsBoolean());
        assertTrue(budget.reached());
        now.set(0);
        assertTrue(budget.getAsBoolean(), "a clock read earlier does not give the budget back");
    }

    @Test
    void zeroIsNoBudget() {
        AtomicLong now = new AtomicLong();
        TimeBudget budget = new TimeBudget(Duration.ZERO, now::get);
        now.set(Long.MAX_VALUE / 2);
        assertFalse(budget.getAsBoolean());
        assertFalse(budget.reached());
    }

    @Test
    void aNegativeBudgetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TimeBudget(Duration.ofSeconds(-1)));
    }
}
