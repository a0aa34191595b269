package io.galapagos.driver.study;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;

import java.util.List;

/**
 * Where a study begins: from nothing, or, when resuming, with the results an earlier session recorded,
 * the trials it left running (they run again, under the same ids and seeds, and count once), and the next
 * trial number.
 *
 * @param results    results already recorded; they count towards the study's trials
 * @param inFlight   candidates proposed but without a result; submitted first
 * @param nextNumber the number of the next new candidate
 */
public record StudyStart(List<TrialResult> results, List<Candidate> inFlight, int nextNumber) {

    public static final StudyStart FRESH = new StudyStart(List.of(), List.of(), 0);

    public StudyStart {
        results = List.copyOf(results);
        inFlight = List.copyOf(inFlight);
        if (nextNumber < 0) {
            throw new IllegalArgumentException("next trial number must be at least 0, got " + nextNumber);
        }
    }
}
