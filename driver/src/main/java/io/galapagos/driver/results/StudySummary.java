package io.galapagos.driver.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.driver.study.Study;
import io.galapagos.driver.study.StudyOutcome;
import io.galapagos.driver.study.Utilisation;
import io.galapagos.trial.TrialResult;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The journal's closing {@code summary} record and the matching console line: this session's counts by
 * status, wall time, slots, busy fraction, throughput, driver time per trial, batching; and the study's
 * total of results ({@code study_trials}, more than {@code trials} in a resumed session). Stateless.
 */
public final class StudySummary {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StudySummary() {
    }

    public static ObjectNode record(StudyOutcome outcome) {
        Utilisation u = outcome.utilisation();
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "summary");
        node.put("trials", outcome.sessionResults().size());
        node.put("study_trials", outcome.results().size());
        node.put("completed", count(outcome, "completed"));
        node.put("failed", count(outcome, "failed"));
        node.put("infeasible", count(outcome, "infeasible"));
        node.put("timeouts", timeouts(outcome));
        node.put("wall_seconds", round(u.wallSeconds()));
        node.put("slots", outcome.parallelism());
        node.put("slot_seconds", round(u.slotSeconds()));
        node.put("busy_seconds", round(u.busySeconds()));
        node.put("busy_fraction", round(u.busyFraction()));
        node.put("trials_per_second", round(outcome.throughput()));
        node.put("driver_ms_per_trial", round(outcome.driverMillisPerTrial()));
        node.put("dispatches", outcome.dispatches());
        node.put("largest_batch", outcome.largestBatch());
        node.put("finished", Instant.now().toString());
        return node;
    }

    /**
     * The summary of a session that ran nothing, in a study of {@code studyResults} results: a resume that closed a
     * search whose driver died after its last result ({@code closed_by_resume}). Every count and time is 0.
     */
    public static ObjectNode nothingRan(int studyResults) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "summary");
        node.put("trials", 0);
        node.put("study_trials", studyResults);
        for (String key : List.of("completed", "failed", "infeasible", "timeouts", "wall_seconds", "slots",
                "slot_seconds", "busy_seconds", "busy_fraction", "trials_per_second", "driver_ms_per_trial",
                "dispatches", "largest_batch", "cached", "screened")) {
            node.put(key, 0);
        }
        node.put("time_budget_reached", false);
        node.put("closed_by_resume", true);
        node.put("finished", Instant.now().toString());
        return node;
    }

    /** One line for the console, about this session. */
    public static String line(StudyOutcome outcome) {
        Utilisation u = outcome.utilisation();
        String busy = u.busySeconds() > 0 || outcome.sessionResults().isEmpty()
                ? String.format(Locale.ROOT, "Busy fraction %.3f (%.1f busy of %.1f slot-seconds)", u.busyFraction(),
                u.busySeconds(), u.slotSeconds())
                : "Busy fraction not measurable (the trials took no measurable time: look-ups, not training)";
        return String.format(Locale.ROOT, "%s; %.3g trials/s; driver %.3f ms/trial; %d dispatches, largest batch %d; "
                        + "%d timeouts", busy, outcome.throughput(), outcome.driverMillisPerTrial(), outcome.dispatches(),
                outcome.largestBatch(), timeouts(outcome));
    }

    private static long count(StudyOutcome outcome, String status) {
        return outcome.sessionResults().stream().filter(r -> r.status().equals(status)).count();
    }

    private static long timeouts(StudyOutcome outcome) {
        return outcome.sessionResults().stream().filter(StudySummary::timedOut).count();
    }

    private static boolean timedOut(TrialResult r) {
        return r instanceof TrialResult.Failed && r.reason().startsWith(Study.TIMEOUT_REASON);
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
