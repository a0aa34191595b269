package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code trial_timeout_seconds} through {@link SearchJob} in process on one slot, where trials could run on the study's
 * own thread: synthetic trials of 20 s against a deadline of 0.3 s are cancelled and recorded as timed out.
 */
@Timeout(60)
class TrialTimeoutSearchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            name: deadline
            seed: 3
            trials: 2
            executor: in_process
            parallelism: 1
            scheduling: {trial_timeout_seconds: 0.3}
            strategy: {kind: random}
            space:
              max_blocks: 2
              layers: [conv, dense]
              kernel_sizes: [3]
              filters: [8, 16]
              dense_units: [16]
              activations: [relu]
              batch_norm: [false]
              dropout: [0.0]
              skip_modes: [add]
            synthetic: {median_seconds: 20, sigma: 0}
            """;

    @TempDir
    Path dir;

    @Test
    void aTrialOverItsDeadlineOnTheOnlySlotIsCancelledAndRecordedAsTimedOut() throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.parse("deadline.yaml", CONFIG, dir, List.of());
        Path output = dir.resolve("out");
        new SearchJob(loaded.config(), loaded.effectiveYaml(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(output.toString(), null);

        List<JsonNode> results = new ArrayList<>();
        JsonNode summary = null;
        for (String line : Files.readAllLines(output.resolve("journal.jsonl"))) {
            JsonNode record = JSON.readTree(line);
            switch (record.get("type").asText()) {
                case "result" -> results.add(record);
                case "summary" -> summary = record;
                default -> { }
            }
        }
        assertEquals(2, results.size());
        for (JsonNode result : results) {
            assertEquals("failed", result.get("status").asText(), result.toString());
            assertTrue(result.get("reason").asText().contains("still running after"), result.toString());
        }
        assertEquals(2, summary.get("timeouts").asInt());
    }
}
