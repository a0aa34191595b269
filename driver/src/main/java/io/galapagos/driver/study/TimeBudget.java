package io.galapagos.driver.study;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A search session's wall-clock budget ({@code max_minutes}), as a study's stop condition: once it has run out, no
 * new trial starts, and the trials in flight finish (their training is already paid for). {@link Duration#ZERO}
 * never runs out.
 */
public final class TimeBudget implements BooleanSupplier {

    private final long budgetNanos;
    private final long startNanos;
    private final LongSupplier clock;
    private boolean reached;

    /** A budget counted from now on the system's monotonic clock. */
    public TimeBudget(Duration budget) {
        this(budget, System::nanoTime);
    }

    TimeBudget(Duration budget, LongSupplier clock) {
        if (budget == null || budget.isNegative()) {
            throw new IllegalArgumentException("a time budget must be zero (none) or positive, got " + budget);
        }
        this.budgetNanos = budget.toNanos();
        this.clock = clock;
        this.startNanos = clock.getAsLong();
    }

    @Override
    public boolean getAsBoolean() {
        if (!reached && budgetNanos > 0 && clock.getAsLong() - startNanos >= budgetNanos) {
            reached = true;
        }
        return reached;
    }

    /** Whether the budget ran out when the study asked (new trials were then refused). */
    public boolean reached() {
        return reached;
    }
}
