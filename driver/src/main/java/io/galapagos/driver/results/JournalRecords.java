package io.galapagos.driver.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON records of an output's journal segments, in the order they were written, each with where it stands. A line
 * that is not JSON is skipped and reported in {@link #problems()}: above all the torn last line a crash leaves when it
 * interrupts a write (no newline at its end), which is expected and harmless, since its trial runs again on resume.
 *
 * @param records  every readable record
 * @param problems one line per skipped line, naming the segment and line
 */
public record JournalRecords(List<Line> records, List<String> problems) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param where  the segment and line number, for messages
     * @param record the parsed line
     */
    public record Line(String where, JsonNode record) {

        /** The record's {@code type}. */
        public String type() {
            return record.path("type").asText();
        }
    }

    public JournalRecords {
        records = List.copyOf(records);
        problems = List.copyOf(problems);
    }

    /**
     * Whether the last session ended: it wrote its {@code summary} record, which is its last, after all its trials ran
     * or it stopped on its own (time budget, failure rate). A session the driver's death cut short has none.
     */
    public boolean lastSessionEnded() {
        return !records.isEmpty() && records.get(records.size() - 1).type().equals(Journal.SUMMARY);
    }

    public static JournalRecords read(RunOutput output) throws IOException {
        List<Line> records = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path segment : output.journalSegments()) {
            String text;
            try (FSDataInputStream in = output.fileSystem().open(segment)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String where = segment.getName() + ": line " + (i + 1);
                if (i == lines.length - 1) {
                    problems.add(where + " is torn (no end of line: the search stopped while writing it); skipped");
                    continue;
                }
                try {
                    records.add(new Line(where, JSON.readTree(lines[i])));
                } catch (IOException e) {
                    problems.add(where + " is not JSON; skipped");
                }
            }
        }
        return new JournalRecords(records, problems);
    }
}
