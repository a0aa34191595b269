package io.galapagos.driver.oneshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.study.StudyListener;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes one phase's proposals and results to the search's journal, as {@link Journal} does, each tagged with the
 * phase, and those measured on shared weights with {@code "fidelity": "supernet"}. Told of a result before the
 * strategy is, as {@link Journal} is.
 */
final class PhaseJournal implements StudyListener {

    private final Journal journal;
    private final Phase phase;

    PhaseJournal(Journal journal, Phase phase) {
        this.journal = journal;
        this.phase = phase;
    }

    @Override
    public void submitted(Candidate candidate) {
        append(TrialResultJson.candidateJson(Journal.PROPOSAL, candidate), candidate.trialId());
    }

    @Override
    public void finished(TrialResult result, int finished, int total) {
        append(TrialResultJson.toJson(result), result.candidate().trialId());
    }

    private void append(ObjectNode record, String trial) {
        record.put("phase", phase.text());
        if (phase.sharedWeights()) {
            record.put("fidelity", Phase.SUPERNET_FIDELITY);
        }
        try {
            journal.append(record);
        } catch (IOException e) {
            throw new UncheckedIOException("could not append the " + record.get("type").asText() + " of " + trial
                    + " to the journal", e);
        }
    }
}
