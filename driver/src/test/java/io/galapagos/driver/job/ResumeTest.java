package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.config.ConfigLoader;
import io.galapagos.driver.checkpoint.SnapshotStore;
import io.galapagos.driver.cli.GalapagosCli;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.study.StudyOutcome;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal, snapshots, resume and warm start through {@link SearchJob}, in process with synthetic trials of
 * no duration: a crash is simulated by cutting the journal where a killed driver could have left it.
 */
@Timeout(120)
class ResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            name: resume
            seed: 5
            trials: 40
            executor: in_process
            parallelism: 1
            strategy: {kind: evolution, population: 8, sample_size: 3}
            space:
              min_blocks: 1
              max_blocks: 4
              layers: [conv, maxpool, dense]
              kernel_sizes: [3, 5]
              filters: [8, 16, 32]
              dense_units: [16, 32]
              activations: [relu, tanh]
              batch_norm: [false, true]
              dropout: [0.0, 0.25]
              skip_modes: [add]
            synthetic: {median_seconds: 0}
            recovery: {snapshot_every: 5}
            """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private SearchJob job(String yaml, String... overrides) {
        ConfigLoader.Loaded loaded = ConfigLoader.parse("resume.yaml", yaml, dir, List.of(overrides));
        return new SearchJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private static List<JsonNode> records(Path output, String type) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(output)) {
            List<Path> segments = files.filter(p -> p.getFileName().toString().matches("journal(\\.\\d+)?\\.jsonl"))
                    .sorted(Comparator.comparingInt(ResumeTest::segmentNumber)).toList();
            for (Path segment : segments) {
                for (String line : Files.readAllLines(segment)) {
                    JsonNode record;
                    try {
                        record = JSON.readTree(line);
                    } catch (IOException torn) {
                        continue;
                    }
                    if (record.get("type").asText().equals(type)) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    private static int segmentNumber(Path segment) {
        String[] parts = segment.getFileName().toString().split("\\.");
        return parts.length == 2 ? 1 : Integer.parseInt(parts[1]);
    }

    /** Keeps the first {@code events} proposal/result lines of the journal and half of the next one, as a kill would. */
    private static void cut(Path output, int events) throws IOException {
        Path journal = output.resolve("journal.jsonl");
        List<String> lines = Files.readAllLines(journal);
        StringBuilder kept = new StringBuilder(lines.get(0)).append('\n');
        int seen = 0;
        for (String line : lines.subList(1, lines.size())) {
            if (seen == events) {
                kept.append(line, 0, line.length() / 2);
                break;
            }
            kept.append(line).append('\n');
            seen++;
        }
        Files.writeString(journal, kept.toString());
        for (String name : List.of("leaderboard.csv", "best.json", "timeline.csv")) {
            Files.deleteIfExists(output.resolve(name));
        }
    }

    private static TrialResult best(StudyOutcome outcome) {
        return outcome.results().stream().filter(r -> r instanceof TrialResult.Completed)
                .max((a, b) -> Double.compare(a.metrics().require("score"), b.metrics().require("score"))).orElseThrow();
    }

    @Test
    void theJournalRecordsEveryProposalBeforeItsResultAndASummaryLast() throws Exception {
        Path output = dir.resolve("out");
        job(CONFIG).run(output.toString(), null);
        List<String> lines = Files.readAllLines(output.resolve("journal.jsonl"));
        assertEquals("study", JSON.readTree(lines.get(0)).get("type").asText());
        assertEquals("summary", JSON.readTree(lines.get(lines.size() - 1)).get("type").asText());
        assertEquals(40, records(output, "proposal").size());
        assertEquals(40, records(output, "result").size());
        Set<Integer> proposed = new HashSet<>();
        for (String line : lines.subList(1, lines.size() - 1)) {
            JsonNode r = JSON.readTree(line);
            if (r.get("type").asText().equals("proposal")) {
                proposed.add(r.get("number").asInt());
            } else {
                assertTrue(proposed.contains(r.get("number").asInt()), "result before its proposal: " + line);
            }
        }
        try (Stream<Path> snapshots = Files.list(output.resolve("snapshots"))) {
            assertEquals(3, snapshots.count(), "the newest three snapshots are kept");
        }
    }

    @Test
    void aResumedSearchEndsExactlyAsAnUninterruptedOneWithEveryEarlierResultKeptOnce() throws Exception {
        StudyOutcome uninterrupted = job(CONFIG).run(dir.resolve("whole").toString(), null);
        Path output = dir.resolve("cut");
        job(CONFIG).run(output.toString(), null);
        List<JsonNode> before = records(output, "result");
        cut(output, 31); // 16 proposals and 15 results, then a torn proposal: trial 16 was being handed out
        List<JsonNode> kept = records(output, "result");
        assertEquals(15, kept.size());
        StudyOutcome resumed = job(CONFIG).resume(output.toString()).orElseThrow();
        assertTrue(console.toString().contains("is torn"), console.toString());
        List<JsonNode> after = records(output, "result");
        assertEquals(40, after.size(), "exactly the requested results");
        Set<Integer> numbers = new HashSet<>();
        after.forEach(r -> numbers.add(r.get("number").asInt()));
        assertEquals(40, numbers.size(), "no trial counted twice");
        for (int i = 0; i < kept.size(); i++) {
            assertEquals(kept.get(i), after.get(i), "an earlier result changed");
        }
        assertEquals(best(uninterrupted).candidate(), best(resumed).candidate());
        assertEquals(before.stream().map(r -> r.get("architecture").asText()).toList(),
                after.stream().map(r -> r.get("architecture").asText()).toList(),
                "the resumed strategy proposes what the uninterrupted one did");
    }

    @Test
    void aTrialRunningAtTheCrashRunsAgainUnderItsIdAndCountsOnce() throws Exception {
        Path output = dir.resolve("inflight");
        job(CONFIG).run(output.toString(), null);
        cut(output, 21); // 11 proposals, 10 results: trial 10 was running
        job(CONFIG).resume(output.toString());
        assertTrue(console.toString().contains("1 trials were running and run again"), console.toString());
        List<JsonNode> results = records(output, "result");
        assertEquals(40, results.size());
        assertEquals(1, results.stream().filter(r -> r.get("trial").asText().equals("trial-0010")).count());
        assertEquals(1, records(output, "resume").size());
    }

    @Test
    void aDamagedSnapshotFallsBackToAnOlderOneAndAnUnknownFormatIsRefused() throws Exception {
        StudyOutcome uninterrupted = job(CONFIG).run(dir.resolve("whole").toString(), null);
        Path output = dir.resolve("damaged");
        job(CONFIG).run(output.toString(), null);
        cut(output, 78);
        List<Path> snapshots;
        try (Stream<Path> files = Files.list(output.resolve("snapshots"))) {
            snapshots = files.sorted().toList();
        }
        Path newest = snapshots.get(snapshots.size() - 1);
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 10] ^= 0x5a;
        Files.write(newest, bytes);
        StudyOutcome resumed = job(CONFIG).resume(output.toString()).orElseThrow();
        assertTrue(console.toString().contains(newest.getFileName() + " is damaged (checksum mismatch)"), console.toString());
        assertEquals(40, records(output, "result").size());
        assertEquals(best(uninterrupted).candidate(), best(resumed).candidate());

        Path future = dir.resolve("future");
        job(CONFIG).run(future.toString(), null);
        cut(future, 30);
        Path snapshot;
        try (Stream<Path> files = Files.list(future.resolve("snapshots"))) {
            snapshot = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        byte[] header = Files.readAllBytes(snapshot);
        int versionAt = 2 + "GALAPAGOS-STRATEGY-SNAPSHOT".length();
        ByteBuffer.wrap(header).putInt(versionAt, SnapshotStore.FORMAT_VERSION + 1);
        Files.write(snapshot, header);
        OutputException e = assertThrows(OutputException.class, () -> job(CONFIG).resume(future.toString()));
        assertTrue(e.getMessage().contains(snapshot.getFileName() + ": is a strategy snapshot of format version 2"),
                e.getMessage());
    }

    @Test
    void aResumeOverAnotherSpaceIsRefused() throws Exception {
        Path output = dir.resolve("space");
        job(CONFIG).run(output.toString(), null);
        OutputException e = assertThrows(OutputException.class,
                () -> job(CONFIG, "space.filters=[8, 64]").resume(output.toString()));
        assertTrue(e.getMessage().contains("holds a search over another space"), e.getMessage());
    }

    @Test
    void aWarmStartTellsTheStrategyAndAnswersKnownArchitecturesFromTheCache() throws Exception {
        String tiny = CONFIG.replace("max_blocks: 4", "max_blocks: 1").replace("filters: [8, 16, 32]", "filters: [8]")
                .replace("trials: 40", "trials: 12");
        Path first = dir.resolve("first");
        job(tiny).run(first.toString(), null);
        StudyOutcome second = job(tiny, "seed=6").run(dir.resolve("second").toString(), first.toString());
        long cached = second.results().stream().filter(r -> r.execution().executor().equals("cache")).count();
        assertTrue(cached > 0, "a space this small repeats architectures: " + console);
        assertTrue(console.toString().contains(cached + " trials were answered from the warm start's results"), console.toString());
        assertEquals(cached, records(dir.resolve("second"), "summary").get(0).get("cached").asLong());
        // other training: the strategy still learns from the earlier results, nothing is answered from them
        StudyOutcome retrained = job(tiny, "synthetic.sigma=0.1").run(dir.resolve("third").toString(), first.toString());
        assertFalse(retrained.results().stream().anyMatch(r -> r.execution().executor().equals("cache")));
        OutputException e = assertThrows(OutputException.class,
                () -> job(CONFIG).run(dir.resolve("fourth").toString(), first.toString()));
        assertTrue(e.getMessage().contains("searched another space"), e.getMessage());
    }

    @Test
    void aStudyWhoseTrialsKeepFailingStopsWithAClearMessage() throws Exception {
        Path output = dir.resolve("failing");
        StudyStoppedException e = assertThrows(StudyStoppedException.class,
                () -> job(CONFIG, "synthetic.failure_probability=0.9").run(output.toString(), null));
        assertTrue(e.getMessage().matches("stopped: \\d+ of \\d+ results failed \\(\\d+%\\), more than "
                + "recovery.max_failure_rate 0.50 allows; the last: failed: synthetic failure"), e.getMessage());
        assertTrue(records(output, "result").size() < 40);
        assertTrue(Files.exists(output.resolve("leaderboard.csv")), "reports are still written");
    }

    @Test
    void theCommandLineRefusesAnExistingOutputWithoutResumeAndResumesWithIt() throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), CONFIG);
        Path output = dir.resolve("cli");
        StringWriter err = new StringWriter();
        GalapagosCli.commandLine().setErr(new PrintWriter(err, true)).execute("run", config.toString(), "--output", output.toString());
        cut(output, 11);
        assertEquals(GalapagosCli.BAD_INPUT, GalapagosCli.commandLine().setErr(new PrintWriter(err, true))
                .execute("run", config.toString(), "--output", output.toString()));
        assertTrue(err.toString().contains("is not empty") && err.toString().contains("--resume"), err.toString());
        assertEquals(0, GalapagosCli.commandLine().setErr(new PrintWriter(err, true))
                .execute("resume", output.toString()), err::toString);
        assertEquals(40, records(output, "result").size());
        Path notASearch = Files.createDirectories(dir.resolve("empty"));
        assertEquals(GalapagosCli.BAD_INPUT, GalapagosCli.commandLine().setErr(new PrintWriter(err, true))
                .execute("resume", notASearch.toString()));
        assertTrue(err.toString().contains("is not the output of a search"), err.toString());
    }

    @Test
    void aFinishedSearchIsReportedInOneLineAndLeftAsItIsUntilMoreTrialsAreAsked() throws Exception {
        Path output = dir.resolve("finished");
        job(CONFIG).run(output.toString(), null);
        Map<String, byte[]> before = contents(output);
        console.reset();
        assertTrue(job(CONFIG).resume(output.toString()).isEmpty());
        String said = console.toString();
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.contains("is finished: 40 of 40 trials recorded (40 completed); best score ")
                && said.contains("--set trials=N with N above 40 extends it"), said);
        Map<String, byte[]> after = contents(output);
        assertEquals(before.keySet(), after.keySet(), "no file added or removed");
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " changed"));

        console.reset();
        StudyOutcome extended = job(CONFIG, "trials=50").resume(output.toString()).orElseThrow();
        assertEquals(50, extended.results().size());
        assertEquals(10, extended.sessionResults().size());
        assertTrue(console.toString().contains("Finished 10 trials in ")
                && console.toString().contains(" this session; the study holds 50 results."), console.toString());
        JsonNode summary = records(output, "summary").get(1);
        assertEquals(10, summary.get("trials").asInt());
        assertEquals(50, summary.get("study_trials").asInt());
        List<String> timeline = Files.readAllLines(output.resolve("timeline.csv"));
        assertEquals(51, timeline.size(), "a header and every trial of both sessions");
        double firstSessionEnd = 0;
        for (String row : timeline.subList(1, timeline.size())) {
            String[] cells = row.split(",");
            double start = Double.parseDouble(cells[6]);
            assertTrue(start >= 0, "seconds from the first session's start: " + row);
            int number = Integer.parseInt(cells[1].substring("trial-".length()));
            if (number < 40) {
                firstSessionEnd = Math.max(firstSessionEnd, Double.parseDouble(cells[7]));
            }
        }
        for (String row : timeline.subList(1, timeline.size())) {
            String[] cells = row.split(",");
            if (Integer.parseInt(cells[1].substring("trial-".length())) >= 40) {
                assertTrue(Double.parseDouble(cells[6]) >= firstSessionEnd, "the second session runs later: " + row);
            }
        }
    }

    @Test
    void aFinishedSearchWhoseReportsWereLostGetsThemBackFromTheJournal() throws Exception {
        Path output = dir.resolve("lost-reports");
        job(CONFIG).run(output.toString(), null);
        String leaderboard = Files.readString(output.resolve("leaderboard.csv"));
        Files.delete(output.resolve("leaderboard.csv"));
        assertTrue(job(CONFIG).resume(output.toString()).isEmpty());
        assertEquals(leaderboard, Files.readString(output.resolve("leaderboard.csv")));
        assertTrue(console.toString().contains("written again from the journal"), console.toString());
        assertEquals(1, records(output, "summary").size(), "no session was started");
    }

    private static Map<String, byte[]> contents(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }
}
