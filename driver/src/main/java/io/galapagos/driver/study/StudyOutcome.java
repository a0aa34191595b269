package io.galapagos.driver.study;

import io.galapagos.trial.TrialResult;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a study session produced. A resumed session's outcome holds the study's results of every session;
 * its times, rates and utilisation are this session's alone.
 *
 * @param results        every result of the study, earlier sessions' first, then this session's in the order
 *                       they were recorded
 * @param earlierResults how many of {@code results} earlier sessions recorded
 * @param started        when this session's study loop started
 * @param wallTime       from this session's first submission to its last result
 * @param parallelism    the slots the session started with
 * @param utilisation    how busy this session kept its slots
 * @param driverTime     the study thread's time not spent waiting for results: asking, telling, recording
 * @param dispatches     units of work handed to the executor (fewer than results when trials were batched)
 * @param largestBatch   the most candidates one dispatch carried
 */
public record StudyOutcome(List<TrialResult> results, int earlierResults, Instant started, Duration wallTime,
                           int parallelism, Utilisation utilisation, Duration driverTime, int dispatches,
                           int largestBatch) {

    public StudyOutcome {
        results = List.copyOf(results);
        if (earlierResults < 0 || earlierResults > results.size()) {
            throw new IllegalArgumentException("earlier results must be between 0 and " + results.size() + ", got "
                    + earlierResults);
        }
    }

    /** The results this session recorded. */
    public List<TrialResult> sessionResults() {
        return results.subList(earlierResults, results.size());
    }

    /** This session's results per second of its wall time. */
    public double throughput() {
        double seconds = wallTime.toNanos() / 1e9;
        return seconds > 0 ? sessionResults().size() / seconds : 0;
    }

    /** Driver time per result of this session, in milliseconds. */
    public double driverMillisPerTrial() {
        int n = sessionResults().size();
        return n == 0 ? 0 : driverTime.toNanos() / 1e6 / n;
    }
}
