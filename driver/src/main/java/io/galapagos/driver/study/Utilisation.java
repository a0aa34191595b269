package io.galapagos.driver.study;

import io.galapagos.trial.Execution;
import io.galapagos.trial.TrialResult;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How busy a study kept its slots: busy fraction = (sum of trial durations) / (slot-seconds available),
 * where the slot-seconds are the integral of the slot count over the study's wall time (the count
 * changes when executors come and go). Trial durations are the executors' own start and end times, so
 * time spent launching work counts as idle.
 *
 * @param busySeconds the trials' durations, summed, clipped to the study's wall time
 * @param slotSeconds the slot count integrated over the wall time
 * @param wallSeconds the study's wall time
 */
public record Utilisation(double busySeconds, double slotSeconds, double wallSeconds) {

    /** From {@code from} on (until the next change), the study had {@code slots} slots. */
    public record SlotCount(Instant from, int slots) {
    }

    /** Busy seconds over slot-seconds; 0 for a study that had no time or no slots. */
    public double busyFraction() {
        return slotSeconds > 0 ? busySeconds / slotSeconds : 0;
    }

    /**
     * @param slots the slot count over time, in order; the first entry applies from {@code start}
     *              whatever its own time
     */
    public static Utilisation of(List<TrialResult> results, List<SlotCount> slots, Instant start, Instant end) {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
        double busy = 0;
        for (TrialResult result : results) {
            Execution e = result.execution();
            busy += seconds(later(e.started(), start), earlier(e.finished(), end));
        }
        double capacity = 0;
        for (int i = 0; i < slots.size(); i++) {
            Instant from = i == 0 ? start : later(slots.get(i).from(), start);
            Instant to = i + 1 < slots.size() ? earlier(slots.get(i + 1).from(), end) : end;
            capacity += slots.get(i).slots() * seconds(from, to);
        }
        return new Utilisation(busy, capacity, seconds(start, end));
    }

    private static double seconds(Instant from, Instant to) {
        return to.isAfter(from) ? Duration.between(from, to).toNanos() / 1e9 : 0;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
