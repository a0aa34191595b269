package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.config.ConfigLoader;
import io.galapagos.driver.study.StudyOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code max_minutes} through {@link SearchJob}, in process with synthetic trials of about 20 ms on one slot: once
 * the budget has run out no trial starts, the journal's summary and the console say so, and a resume continues the
 * search with a budget of its own. And {@code trial_timeout_seconds} on that one slot, where trials could run on the
 * study's own thread.
 */
@Timeout(120)
class TimeBudgetSearchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            name: budget
            seed: 3
            trials: 100000
            max_minutes: 0.01
            executor: in_process
            parallelism: 1
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
            synthetic: {median_seconds: 0.02}
            """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private SearchJob job(String... overrides) {
        ConfigLoader.Loaded loaded = ConfigLoader.parse("budget.yaml", CONFIG, dir, List.of(overrides));
        return new SearchJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private static JsonNode lastSummary(Path output) throws IOException {
        JsonNode summary = null;
        for (String line : Files.readAllLines(output.resolve("journal.jsonl"))) {
            JsonNode record = JSON.readTree(line);
            if (record.get("type").asText().equals("summary")) {
                summary = record;
            }
        }
        return summary;
    }

    @Test
    void noTrialStartsOnceTheBudgetHasRunOutAndAResumeGetsANewOne() throws Exception {
        // a first search loads what a session loads (logging, the journal, the executor): in a fresh JVM that alone can
        // take longer than the 0.6 s budget, which would then run out before the first trial
        job("max_minutes=0", "trials=1").run(dir.resolve("warm-up").toString(), null);
        console.reset();
        Path output = dir.resolve("out");
        long before = System.nanoTime();
        StudyOutcome first = job().run(output.toString(), null);
        Duration session = Duration.ofNanos(System.nanoTime() - before);
        int ran = first.results().size();
        // 0.6 s of 20 ms trials on one slot: some tens of trials, far from the 100,000 asked for
        assertTrue(ran >= 1 && ran < 1000, "trials run: " + ran);
        // the budget counts from the session's start: the session cannot end before its 0.6 s, and the study's own
        // clock, started a moment later, runs within it
        assertTrue(session.toMillis() >= 600, "the session ran its budget: " + session);
        assertTrue(first.wallTime().compareTo(session) <= 0 && !first.wallTime().isZero(),
                "the study ran within the session: " + first.wallTime() + " of " + session);
        JsonNode summary = lastSummary(output);
        assertTrue(summary.get("time_budget_reached").asBoolean());
        assertEquals(ran, summary.get("trials").asInt());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("The time budget (max_minutes 0.01) ran out: no "
                + "trial started after it, " + ran + " of 100000 trials ran"), console.toString(StandardCharsets.UTF_8));

        StudyOutcome resumed = job().resume(output.toString()).orElseThrow();
        assertTrue(resumed.results().size() > ran, "the resume ran trials of its own");
        assertEquals(ran, resumed.earlierResults());
    }

    @Test
    void withoutABudgetTheSearchRunsItsTrials() throws Exception {
        Path output = dir.resolve("out");
        StudyOutcome outcome = job("max_minutes=0", "trials=5").run(output.toString(), null);
        assertEquals(5, outcome.results().size());
        assertFalse(lastSummary(output).get("time_budget_reached").asBoolean());
        assertFalse(console.toString(StandardCharsets.UTF_8).contains("time budget"));
    }

    @Test
    void aTrialOverItsDeadlineOnTheOnlySlotIsCancelledAndRecordedAsTimedOut() throws Exception {
        Path output = dir.resolve("out");
        job("max_minutes=0", "trials=2", "scheduling.trial_timeout_seconds=0.3", "synthetic.median_seconds=20",
                "synthetic.sigma=0").run(output.toString(), null);
        List<JsonNode> results = new ArrayList<>();
        for (String line : Files.readAllLines(output.resolve("journal.jsonl"))) {
            JsonNode record = JSON.readTree(line);
            if (record.get("type").asText().equals("result")) {
                results.add(record);
            }
        }
        assertEquals(2, results.size());
        for (JsonNode result : results) {
            assertEquals("failed", result.get("status").asText(), result.toString());
            assertTrue(result.get("reason").asText().contains("still running after"), result.toString());
        }
        assertEquals(2, lastSummary(output).get("timeouts").asInt());
    }
}
