package io.galapagos.driver.study;

import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressPrinterTest {

    private static final Architecture ARCHITECTURE = Architecture.parse("dense16:relu");
    private static final Execution RAN = new Execution("test", "localhost", 1, Instant.EPOCH, Instant.EPOCH);

    private static TrialResult completed(int number, int level, double accuracy) {
        return new TrialResult.Completed(new Candidate(number, ARCHITECTURE, number, level),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, accuracy), RAN);
    }

    /**
     * As the leaderboard ranks: a higher level's score is the best over a cheaper level's, whatever the values; the
     * best's level is named.
     */
    @Test
    void theBestSoFarIsTakenAtTheHighestLevelScored() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ProgressPrinter printer = new ProgressPrinter(new PrintStream(console, true, StandardCharsets.UTF_8),
                List.of(Objective.VALIDATION_ACCURACY), List.of());
        printer.finished(completed(3, 0, 0.91), 1, 3);
        printer.finished(completed(9, 2, 0.90), 2, 3);
        printer.finished(completed(10, 0, 0.95), 3, 3);
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).contains("| best 0.9100 (trial-0003 at level 0) |"), lines.get(0));
        assertTrue(lines.get(1).contains("| best 0.9000 (trial-0009 at level 2) |"), lines.get(1));
        assertTrue(lines.get(2).contains("| best 0.9000 (trial-0009 at level 2) |"), lines.get(2));
    }

    /** With several objectives a tie on the first is broken by the others, as best.json's is. */
    @Test
    void aTieOnTheFirstObjectiveIsBrokenByTheOthers() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ProgressPrinter printer = new ProgressPrinter(new PrintStream(console, true, StandardCharsets.UTF_8),
                List.of(Objective.VALIDATION_ACCURACY, Objective.minimize(Metrics.LATENCY_MS)), List.of());
        printer.finished(new TrialResult.Completed(new Candidate(1, ARCHITECTURE, 1),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.9).with(Metrics.LATENCY_MS, 3.0), RAN), 1, 2);
        printer.finished(new TrialResult.Completed(new Candidate(2, ARCHITECTURE, 2),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.9).with(Metrics.LATENCY_MS, 2.0), RAN), 2, 2);
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(1).contains("| best 0.9000 (trial-0002) |"), lines.get(1));
    }
}
