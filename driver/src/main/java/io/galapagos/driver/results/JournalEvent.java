package io.galapagos.driver.results;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;

/** What the journal records happened, in order: a candidate handed to an executor, or a trial's result. */
public sealed interface JournalEvent permits JournalEvent.Proposed, JournalEvent.Finished {

    /** The trial the event belongs to. */
    Candidate candidate();

    record Proposed(Candidate candidate) implements JournalEvent {
    }

    record Finished(TrialResult result) implements JournalEvent {
        @Override
        public Candidate candidate() {
            return result.candidate();
        }
    }
}
