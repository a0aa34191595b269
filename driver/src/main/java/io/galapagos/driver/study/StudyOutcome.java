package io.galapagos.driver.study;

import io.galapagos.trial.TrialResult;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a study produced.
 *
 * @param results      every result, in the order they finished
 * @param started      when the study started
 * @param wallTime     from the first submission to the last result
 * @param parallelism  the slots the study started with
 * @param utilisation  how busy the slots were
 * @param driverTime   the study thread's time not spent waiting for results: asking, telling, recording
 * @param dispatches   units of work handed to the executor (fewer than results when trials were batched)
 * @param largestBatch the most candidates one dispatch carried
 */
public record StudyOutcome(List<TrialResult> results, Instant started, Duration wallTime, int parallelism, Utilisation utilisation,
                           Duration driverTime, int dispatches, int largestBatch) {

    public StudyOutcome {
        results = List.copyOf(results);
    }

    /** Results per second of wall time. */
    public double throughput() {
        double seconds = wallTime.toNanos() / 1e9;
        return seconds > 0 ? results.size() / seconds : 0;
    }

    /** Driver time per result, in milliseconds. */
    public double driverMillisPerTrial() {
        return results.isEmpty() ? 0 : driverTime.toNanos() / 1e6 / results.size();
    }
}
