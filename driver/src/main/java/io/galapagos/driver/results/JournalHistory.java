package io.galapagos.driver.results;

import com.fasterxml.jackson.databind.JsonNode;
import io.galapagos.space.Architecture;
import io.galapagos.trial.TrialResultJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything an output's journal segments hold, read back in order: the {@code study} record of the first
 * segment, and every proposal and result. A record that cannot be read is skipped and reported in
 * {@link #problems()}, as {@link JournalRecords} reports unreadable lines.
 *
 * @param study    the first segment's {@code study} record
 * @param events   proposals and results, in the order they were written
 * @param problems one line per skipped line, naming the segment and line
 * @param ended    whether the last session ended ({@link JournalRecords#lastSessionEnded()})
 */
public record JournalHistory(JsonNode study, List<JournalEvent> events, List<String> problems, boolean ended) {

    public JournalHistory {
        events = List.copyOf(events);
        problems = List.copyOf(problems);
    }

    /**
     * @throws OutputException when there is no journal or its first record is not a {@code study} record
     */
    public static JournalHistory read(RunOutput output) throws IOException {
        JournalRecords journal = JournalRecords.read(output);
        JsonNode study = null;
        List<JournalEvent> events = new ArrayList<>();
        List<String> problems = new ArrayList<>(journal.problems());
        for (JournalRecords.Line line : journal.records()) {
            JsonNode record = line.record();
            String type = line.type();
            try {
                switch (type) {
                    case Journal.STUDY -> study = study == null ? record : study;
                    case Journal.PROPOSAL ->
                            events.add(new JournalEvent.Proposed(TrialResultJson.candidateFromJson(record, Architecture::parse)));
                    case Journal.RESULT ->
                            events.add(new JournalEvent.Finished(TrialResultJson.fromJson(record, Architecture::parse)));
                    case Journal.RESUME, Journal.SUMMARY -> {
                        // bookkeeping of earlier sessions
                    }
                    default -> problems.add(line.where() + " has unknown type '" + type + "'; skipped");
                }
            } catch (IllegalArgumentException e) {
                problems.add(line.where() + " is not a valid " + type + " record (" + e.getMessage() + "); skipped");
            }
        }
        if (study == null) {
            throw new OutputException(output.folder().toString(), "has no readable study record in its journal");
        }
        return new JournalHistory(study, events, problems, journal.lastSessionEnded());
    }
}
