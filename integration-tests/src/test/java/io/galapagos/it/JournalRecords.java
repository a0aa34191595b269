package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Reads a search's journal as the integration tests see it: every segment, in session order. */
final class JournalRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalRecords() {
    }

    /** Records of {@code type} across the journal's segments, in order; torn lines are left out. */
    static List<JsonNode> of(Path output, String type) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        List<Path> segments;
        try (Stream<Path> files = Files.list(output)) {
            segments = files.filter(p -> p.getFileName().toString().matches("journal(\\.\\d+)?\\.jsonl"))
                    .sorted(Comparator.comparingInt(JournalRecords::segment)).toList();
        }
        for (Path segment : segments) {
            for (String line : Files.readAllLines(segment)) {
                try {
                    JsonNode record = JSON.readTree(line);
                    if (record.path("type").asText().equals(type)) {
                        found.add(record);
                    }
                } catch (IOException torn) {
                    // a line the killed driver did not finish
                }
            }
        }
        return found;
    }

    private static int segment(Path file) {
        String[] parts = file.getFileName().toString().split("\\.");
        return parts.length == 2 ? 1 : Integer.parseInt(parts[1]);
    }
}
