package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Reads a search's journal as the integration tests see it: every segment, in session order. */
final class JournalRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEGMENT = "journal(\\.\\d+)?\\.jsonl";

    private JournalRecords() {
    }

    /** Records of {@code type} across the journal's segments, in order; torn lines are left out. */
    static List<JsonNode> of(Path output, String type) throws IOException {
        List<Path> segments;
        try (Stream<Path> files = Files.list(output)) {
            segments = files.filter(p -> p.getFileName().toString().matches(SEGMENT))
                    .sorted(Comparator.comparingInt(p -> segment(p.getFileName().toString()))).toList();
        }
        List<JsonNode> found = new ArrayList<>();
        for (Path segment : segments) {
            collect(Files.readString(segment), type, found);
        }
        return found;
    }

    /**
     * The same through a Hadoop file system ({@code hdfs:}), reading each segment to its end as any reader there
     * would: what the file system shows that reader now, flushed records of a file still being written included.
     */
    static List<JsonNode> of(FileSystem fs, org.apache.hadoop.fs.Path output, String type) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (org.apache.hadoop.fs.Path segment : segments(fs, output)) {
            try (FSDataInputStream in = fs.open(segment)) {
                collect(new String(in.readAllBytes(), StandardCharsets.UTF_8), type, found);
            }
        }
        return found;
    }

    /** The journal's segments in a folder of a Hadoop file system, in session order. */
    static List<org.apache.hadoop.fs.Path> segments(FileSystem fs, org.apache.hadoop.fs.Path output) throws IOException {
        return Arrays.stream(fs.listStatus(output)).map(FileStatus::getPath)
                .filter(p -> p.getName().matches(SEGMENT))
                .sorted(Comparator.comparingInt(p -> segment(p.getName()))).toList();
    }

    /**
     * Waits, up to 180 s and while {@code driverAlive}, until the journal in {@code output} holds {@code count}
     * results; fails with {@code story} (where to look) otherwise.
     */
    static void awaitResults(Path output, int count, BooleanSupplier driverAlive, Supplier<String> story)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && driverAlive.getAsBoolean()) {
            if (Files.exists(output.resolve("journal.jsonl")) && of(output, "result").size() >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + count + " results before the deadline; driver alive: "
                + driverAlive.getAsBoolean() + "\n" + story.get());
    }

    /** Records of {@code type} in one segment's text; torn lines are left out. */
    static List<JsonNode> in(String text, String type) {
        List<JsonNode> found = new ArrayList<>();
        collect(text, type, found);
        return found;
    }

    private static void collect(String text, String type, List<JsonNode> found) {
        for (String line : text.lines().toList()) {
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

    private static int segment(String name) {
        String[] parts = name.split("\\.");
        return parts.length == 2 ? 1 : Integer.parseInt(parts[1]);
    }
}
