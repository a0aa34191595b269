package io.galapagos.driver.oneshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.driver.study.ProgressPrinter;
import io.galapagos.trial.TrialResult;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** What a phase of a weight-sharing search cost: its wall time, and the seconds its tasks held slots (its compute). */
record PhaseCost(String phase, Duration wall, double slotSeconds) {

    /** Writes every phase's costs into {@code summary}'s {@code phases} object, by phase name. */
    static void record(ObjectNode summary, List<PhaseCost> costs) {
        ObjectNode phases = summary.putObject("phases");
        costs.forEach(c -> phases.putObject(c.phase()).put("wall_seconds", c.wall().toMillis() / 1000.0)
                .put("slot_seconds", c.slotSeconds()));
    }

    /** Prints the costs as a table of phase, wall time and slot-seconds. */
    static void print(PrintStream out, List<PhaseCost> costs) {
        out.printf(Locale.ROOT, "%-26s %10s %14s%n", "phase", "wall", "slot-seconds");
        costs.forEach(c -> out.printf(Locale.ROOT, "%-26s %10s %14.0f%n", c.phase(), ProgressPrinter.clock(c.wall()),
                c.slotSeconds()));
    }

    /** A phase of trials: the slot-seconds are the sum of their durations. */
    static PhaseCost of(String phase, Duration wall, List<TrialResult> results) {
        return new PhaseCost(phase, wall, results.stream()
                .mapToDouble(r -> r.execution().duration().toMillis() / 1000.0).sum());
    }
}
