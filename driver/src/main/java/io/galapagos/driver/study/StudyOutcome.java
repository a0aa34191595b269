package io.galapagos.driver.study;

import io.galapagos.trial.TrialResult;

import java.time.Duration;
import java.util.List;

/**
 * What a study produced: every result in the order they finished, the wall time, and how many trials
 * ran at once.
 */
public record StudyOutcome(List<TrialResult> results, Duration wallTime, int parallelism) {

    public StudyOutcome {
        results = List.copyOf(results);
    }
}
