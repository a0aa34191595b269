package io.galapagos.driver.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.space.Architecture;
import io.galapagos.trial.TrialResultJson;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything an output's journal segments hold, read back in order: the {@code study} record of the first
 * segment, and every proposal and result. A line that cannot be read is skipped and reported in
 * {@link #problems()}: above all the torn last line a crash leaves when it interrupts a write (no newline
 * at its end), which is expected and harmless, since its trial runs again on resume.
 *
 * @param study    the first segment's {@code study} record
 * @param events   proposals and results, in the order they were written
 * @param problems one line per skipped line, naming the segment and line
 */
public record JournalHistory(JsonNode study, List<JournalEvent> events, List<String> problems) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public JournalHistory {
        events = List.copyOf(events);
        problems = List.copyOf(problems);
    }

    /**
     * @throws OutputException when there is no journal or its first record is not a {@code study} record
     */
    public static JournalHistory read(RunOutput output) throws IOException {
        JsonNode study = null;
        List<JournalEvent> events = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path segment : output.journalSegments()) {
            String text;
            try (FSDataInputStream in = output.fileSystem().open(segment)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                boolean last = i == lines.length - 1;
                if (line.isBlank()) {
                    continue;
                }
                String where = segment.getName() + ": line " + (i + 1);
                if (last) {
                    problems.add(where + " is torn (no end of line: the search stopped while writing it); skipped");
                    continue;
                }
                JsonNode record;
                try {
                    record = JSON.readTree(line);
                } catch (IOException e) {
                    problems.add(where + " is not JSON; skipped");
                    continue;
                }
                String type = record.path("type").asText();
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
                        default -> problems.add(where + " has unknown type '" + type + "'; skipped");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(where + " is not a valid " + type + " record (" + e.getMessage() + "); skipped");
                }
            }
        }
        if (study == null) {
            throw new OutputException(output.folder().toString(), "has no readable study record in its journal");
        }
        return new JournalHistory(study, events, problems);
    }
}
