package io.galapagos.driver.results;

import io.galapagos.trial.Execution;
import io.galapagos.trial.TrialResult;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The per-slot timeline of a study as CSV, one row per trial, ordered by slot then start: which trial each
 * slot ran when, seconds from the study's start. Chart it as horizontal bars, one row per slot; gaps are
 * idle time. Stateless.
 */
public final class Timeline {

    public static final String HEADER = "slot,trial,status,executor,host,gpus,start_s,end_s,duration_s";

    private Timeline() {
    }

    public static String toCsv(List<TrialResult> results, Instant studyStart) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        results.stream()
                .sorted(Comparator.comparingInt((TrialResult r) -> r.execution().slot())
                        .thenComparing(r -> r.execution().started())
                        .thenComparingInt(r -> r.candidate().number()))
                .forEach(r -> {
                    Execution e = r.execution();
                    csv.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.3f,%.3f,%.3f%n", e.slot(),
                            r.candidate().trialId(), r.status(), field(e.executor()), field(e.host()),
                            String.join(" ", e.gpus()), seconds(studyStart, e.started()),
                            seconds(studyStart, e.finished()), seconds(e.started(), e.finished())));
                });
        return csv.toString();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    /** Host names and executor ids never hold commas or quotes; keep the CSV well-formed if one did. */
    private static String field(String text) {
        return text.replace(',', ' ').replace('"', ' ');
    }
}
