package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.config.ConfigLoader;
import io.galapagos.driver.checkpoint.SnapshotStore;
import io.galapagos.driver.cli.GalapagosCli;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.study.StudyOutcome;
import io.galapagos.space.Architecture;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal, snapshots, resume and warm start through {@link SearchJob}, in process with synthetic trials of
 * no duration: a crash is simulated by cutting a finished search's journal where a killed driver could have
 * left it, and its snapshots to those written by then. A resumed search is compared with an uninterrupted
 * one trial by trial (id, number, seed, architecture, status, metrics), and the journal's resume record says
 * whether it started from a snapshot (which one, and how many events it replayed) or from the configuration.
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

    /**
     * Keeps the first {@code events} proposal/result lines of the journal and half of the next one, and the
     * snapshots whose state those events cover, as a kill at that moment would have left them (of the
     * snapshots written by then, those the finished search still kept: the newest three), and removes the
     * reports.
     */
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
        for (String snapshot : snapshots(output)) {
            // strategy-000000001234.snap: the state after the journal's first 1234 events
            if (Long.parseLong(snapshot.replaceAll("\\D", "")) > events) {
                Files.delete(output.resolve("snapshots").resolve(snapshot));
            }
        }
        for (String name : List.of("leaderboard.csv", "best.json", "timeline.csv")) {
            Files.deleteIfExists(output.resolve(name));
        }
    }

    /** The snapshot files' names, oldest first. */
    private static List<String> snapshots(Path output) throws IOException {
        if (!Files.isDirectory(output.resolve("snapshots"))) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(output.resolve("snapshots"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Each result of the journal, in order, without when and where it ran. */
    private static List<String> outcomes(Path output) throws IOException {
        return records(output, "result").stream().map(r -> String.join(" ", r.get("trial").asText(),
                r.get("number").asText(), r.get("seed").asText(), r.get("architecture").asText(),
                r.path("fidelity").asText("full"), r.get("status").asText(), r.get("reason").asText(),
                r.get("metrics").toString())).toList();
    }

    /** The journal's one resume record. */
    private static JsonNode resumeRecord(Path output) throws IOException {
        List<JsonNode> resumes = records(output, "resume");
        assertEquals(1, resumes.size(), "resume records");
        return resumes.get(0);
    }

    /**
     * Resumes {@code output}, cut after {@code events} journal events, and checks it ends with exactly the
     * uninterrupted search's results, every result recorded before the cut kept as it was.
     */
    private StudyOutcome resumeAndCompare(Path output, Path uninterrupted, int events, String... overrides)
            throws Exception {
        List<JsonNode> kept = records(output, "result");
        StudyOutcome resumed = job(CONFIG, overrides).resume(output.toString()).orElseThrow();
        List<JsonNode> after = records(output, "result");
        assertEquals(40, after.size(), "exactly the requested results");
        assertEquals(40, after.stream().map(r -> r.get("number").asInt()).distinct().count(), "no trial counted twice");
        for (int i = 0; i < kept.size(); i++) {
            assertEquals(kept.get(i), after.get(i), "an earlier result changed");
        }
        List<String> expected = outcomes(uninterrupted);
        List<String> actual = outcomes(output);
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            assertEquals(i < expected.size() ? expected.get(i) : null, i < actual.size() ? actual.get(i) : null,
                    "result " + i + " of the search resumed after " + events + " events and of the uninterrupted one");
        }
        return resumed;
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

    /**
     * The journal alternates proposal and result (one trial at a time), so a cut after {@code 2k + 1} events
     * leaves {@code k + 1} proposals, {@code k} results and the torn result of trial {@code k}, which was
     * running. Snapshots are labelled with the events they cover: every 5 results, the finished 40-trial
     * search keeps those after 30, 35 and 40 results (60, 70 and 80 events); every 10, those after 20, 30 and
     * 40 (40, 60 and 80 events).
     */
    @ParameterizedTest(name = "snapshot every {0} results, cut after {1} events: strategy from ''{2}''")
    @CsvSource({
            // none of the kept snapshots covers 31 events (those a kill would have left, after 5, 10 and 15
            // results, the finished search deleted): a fresh strategy replays the whole journal
            "5, 31, '', 31, 15",
            // from the snapshot after 20 results, 5 events replayed, trial 22 rerun, 17 new trials
            "10, 45, snapshots/strategy-000000000040.snap, 5, 22",
            // from the snapshot after 30 results, 3 events replayed, trial 31 rerun, 8 new trials
            "5, 63, snapshots/strategy-000000000060.snap, 3, 31"})
    void aResumedSearchEndsExactlyAsAnUninterruptedOneWithEveryEarlierResultKeptOnce(
            int snapshotEvery, int events, String snapshot, int replayed, int recorded) throws Exception {
        String every = "recovery.snapshot_every=" + snapshotEvery;
        Path uninterrupted = dir.resolve("whole");
        StudyOutcome whole = job(CONFIG, every).run(uninterrupted.toString(), null);
        Path output = dir.resolve("cut");
        job(CONFIG, every).run(output.toString(), null);
        cut(output, events);
        assertEquals(recorded, records(output, "result").size());
        assertEquals(snapshot.isEmpty() ? List.of() : List.of(snapshot.substring("snapshots/".length())),
                snapshots(output), "the snapshots the cut journal covers");
        StudyOutcome resumed = resumeAndCompare(output, uninterrupted, events, every);
        assertTrue(console.toString().contains("is torn"), console.toString());
        JsonNode resume = resumeRecord(output);
        assertEquals(snapshot, resume.get("snapshot").asText(), "the snapshot resume started from");
        assertEquals(replayed, resume.get("replayed").asInt(), "journal events replayed on top of it");
        assertEquals(recorded, resume.get("results").asInt());
        assertEquals(1, resume.get("rerun").asInt(), "the trial that was running");
        assertEquals(best(whole).candidate(), best(resumed).candidate());
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
        assertEquals(1, resumeRecord(output).get("rerun").asInt());
    }

    @Test
    void aDamagedSnapshotFallsBackToAnOlderOneAndAnUnknownFormatIsRefused() throws Exception {
        Path uninterrupted = dir.resolve("whole");
        job(CONFIG).run(uninterrupted.toString(), null);
        Path output = searchCut("damaged", 78); // 39 proposals and 39 results, then a torn proposal
        assertEquals(List.of("strategy-000000000060.snap", "strategy-000000000070.snap"), snapshots(output));
        Path newest = output.resolve("snapshots/strategy-000000000070.snap");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 10] ^= 0x5a;
        Files.write(newest, bytes);
        resumeAndCompare(output, uninterrupted, 78);
        assertTrue(console.toString().contains(newest.getFileName() + " is damaged (checksum mismatch)"), console.toString());
        JsonNode resume = resumeRecord(output);
        assertEquals("snapshots/strategy-000000000060.snap", resume.get("snapshot").asText(), "the older snapshot");
        assertEquals(18, resume.get("replayed").asInt(), "the events after the older snapshot");
        assertEquals(0, resume.get("rerun").asInt());

        Path future = dir.resolve("future");
        job(CONFIG).run(future.toString(), null);
        cut(future, 75);
        Path snapshot = future.resolve("snapshots/strategy-000000000070.snap");
        byte[] header = Files.readAllBytes(snapshot);
        int versionAt = 2 + "GALAPAGOS-STRATEGY-SNAPSHOT".length();
        ByteBuffer.wrap(header).putInt(versionAt, SnapshotStore.FORMAT_VERSION + 1);
        Files.write(snapshot, header);
        OutputException e = assertThrows(OutputException.class, () -> job(CONFIG).resume(future.toString()));
        assertTrue(e.getMessage().contains(snapshot.getFileName() + ": is a strategy snapshot of format version 2"),
                e.getMessage());
    }

    /**
     * A journal copied from another search (another seed) beside this one's config.yaml is refused in one message
     * before anything is touched: no snapshot removed, no journal segment or report written.
     */
    @Test
    void aJournalOfAnotherSearchIsRefusedAndNothingChanged() throws Exception {
        Path output = dir.resolve("mine");
        job(CONFIG).run(output.toString(), null);
        Path other = dir.resolve("other");
        job(CONFIG, "seed=6", "trials=20").run(other.toString(), null);
        Files.copy(other.resolve("journal.jsonl"), output.resolve("journal.jsonl"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, byte[]> before = contents(output);
        OutputException e = assertThrows(OutputException.class,
                () -> job(CONFIG, "trials=60").resume(output.toString()));
        assertTrue(e.getMessage().contains("holds a journal of another search than its config.yaml (the journal's study"
                + " record against config.yaml: seed 6 against 5): a resume needs the journal and configuration of one"
                + " search; nothing was changed"), e.getMessage());
        assertUnchanged(before, contents(output));
    }

    /**
     * A snapshot another version of Galapagos wrote, whose strategy class has changed its form since (its
     * serialVersionUID), is said to be that, not damaged; older snapshots are not tried (they are older still), and the
     * strategy rebuilt from the configuration replays the whole journal to the uninterrupted search's end.
     */
    @Test
    void aSnapshotOfAnotherVersionsStrategyFormReplaysTheWholeJournal() throws Exception {
        Path uninterrupted = dir.resolve("whole");
        job(CONFIG).run(uninterrupted.toString(), null);
        Path output = searchCut("upgraded", 78);
        Path newest = output.resolve("snapshots/strategy-000000000070.snap");
        Files.write(newest, withChangedSerialVersion(Files.readAllBytes(newest), "RegularizedEvolution"));
        resumeAndCompare(output, uninterrupted, 78);
        assertTrue(console.toString().contains(newest.getFileName() + " was written by another version of Galapagos,"
                + " whose RegularizedEvolution this one does not read; the strategy is rebuilt from the configuration"
                + " and the whole journal replayed"), console.toString());
        assertFalse(console.toString().contains("damaged"), console.toString());
        JsonNode resume = resumeRecord(output);
        assertEquals("", resume.get("snapshot").asText(), "no snapshot: the older one is not tried");
        assertEquals(78, resume.get("replayed").asInt(), "every event of the journal");
    }

    /** A search of {@link #CONFIG} in {@code name}, its journal then cut after {@code events} events. */
    private Path searchCut(String name, int events) throws Exception {
        Path output = dir.resolve(name);
        job(CONFIG).run(output.toString(), null);
        cut(output, events);
        return output;
    }

    /** A snapshot file whose payload names {@code className} with another serialVersionUID, checksum made good. */
    private static byte[] withChangedSerialVersion(byte[] file, String className) {
        int payloadAt = 2 + "GALAPAGOS-STRATEGY-SNAPSHOT".length() + 4 + 8 + 8 + 4;
        byte[] payload = Arrays.copyOfRange(file, payloadAt, file.length);
        byte[] name = ("io.galapagos.driver.strategy." + className).getBytes(StandardCharsets.UTF_8);
        int at = indexOf(payload, name);
        assertTrue(at > 0, "the class descriptor");
        ByteBuffer.wrap(payload).putLong(at + name.length, ByteBuffer.wrap(payload).getLong(at + name.length) + 1);
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer out = ByteBuffer.wrap(file.clone());
        out.putLong(payloadAt - 12, crc.getValue());
        out.put(payloadAt, payload);
        return out.array();
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The journal lost its last lines but the snapshots written after them survived (a power loss without
     * sync_journal): those snapshots belong to a history the resumed search will not have, so they are removed and
     * an older one is used, and the search ends as the uninterrupted one.
     */
    @Test
    void aSnapshotAheadOfTheJournalIsRemovedAndAnOlderOneUsed() throws Exception {
        Path uninterrupted = dir.resolve("whole");
        job(CONFIG).run(uninterrupted.toString(), null);
        Path output = dir.resolve("lost");
        job(CONFIG).run(output.toString(), null);
        Path kept = Files.createDirectories(dir.resolve("kept-snapshots"));
        for (String snapshot : snapshots(output)) {
            Files.copy(output.resolve("snapshots").resolve(snapshot), kept.resolve(snapshot));
        }
        cut(output, 65);
        for (String snapshot : List.of("strategy-000000000070.snap", "strategy-000000000080.snap")) {
            Files.copy(kept.resolve(snapshot), output.resolve("snapshots").resolve(snapshot));
        }
        // files of the user's beside them are neither read nor removed
        Files.writeString(output.resolve("snapshots/notes"), "why 80 was copied");
        Files.copy(kept.resolve("strategy-000000000080.snap"), output.resolve("snapshots/strategy-000000000080.snap.bak2"));
        resumeAndCompare(output, uninterrupted, 65);
        assertTrue(Files.exists(output.resolve("snapshots/notes")));
        assertTrue(console.toString().contains("strategy-000000000080.snap covers 80 journal events but the journal "
                + "holds 65; removed"), console.toString());
        assertTrue(console.toString().contains("strategy-000000000070.snap covers 70"), console.toString());
        assertEquals("snapshots/strategy-000000000060.snap", resumeRecord(output).get("snapshot").asText());
    }

    @Test
    void aResumeOverAnotherSpaceOrWithAnotherStrategyIsRefused() throws Exception {
        Path output = dir.resolve("space");
        job(CONFIG).run(output.toString(), null);
        OutputException e = assertThrows(OutputException.class,
                () -> job(CONFIG, "space.filters=[8, 64]").resume(output.toString()));
        assertTrue(e.getMessage().contains("holds a search over another space"), e.getMessage());
        OutputException strategy = assertThrows(OutputException.class,
                () -> job(CONFIG, "strategy.population=9", "trials=50").resume(output.toString()));
        assertTrue(strategy.getMessage().contains("was searched with another strategy than this configuration's "
                + "(evolution with its settings)"), strategy.getMessage());
        OutputException seed = assertThrows(OutputException.class, () -> job(CONFIG, "seed=6").resume(output.toString()));
        assertTrue(seed.getMessage().contains("was searched with another seed or other objectives than this "
                + "configuration's (seed 5, maximising or minimising [score])"), seed.getMessage());

        String table = """
                name: objectives
                trials: 10
                executor: in_process
                parallelism: 1
                space: {kind: nb201}
                benchmark: {table: %s, signal: val_acc_12ep, minimize: [latency_ms_pixel3]}
                """.formatted(BenchmarkModeTest.NB201);
        Path benchmark = dir.resolve("objectives");
        job(table).run(benchmark.toString(), null);
        OutputException objectives = assertThrows(OutputException.class,
                () -> job(table, "benchmark.minimize=[]").resume(benchmark.toString()));
        assertTrue(objectives.getMessage().contains("(seed 0, maximising or minimising [val_acc_12ep, "
                + "latency_ms_pixel3])"), objectives.getMessage());
    }

    @Test
    void aStudyRecordWithoutAReadableStartIsRefusedNamingTheOutput() throws Exception {
        Path output = dir.resolve("start");
        job(CONFIG, "trials=4").run(output.toString(), null);
        Path journal = output.resolve("journal.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.set(0, lines.get(0).replaceFirst("\"started\":\"[^\"]*\"", "\"started\":\"yesterday\""));
        Files.write(journal, lines);
        OutputException e = assertThrows(OutputException.class,
                () -> job(CONFIG, "trials=6").resume(output.toString()));
        assertTrue(e.getMessage().startsWith("output file:" + output + ": its journal's study record has no readable "
                + "start time ('yesterday')"), e.getMessage());
    }

    @Test
    void aResumeThatTrainsOtherwiseSaysSo() throws Exception {
        Path output = dir.resolve("training");
        job(CONFIG, "trials=10").run(output.toString(), null);
        job(CONFIG, "trials=12").resume(output.toString());
        assertFalse(console.toString().contains("trains otherwise"), console.toString());
        job(CONFIG, "trials=14", "synthetic.sigma=0.1").resume(output.toString());
        assertTrue(console.toString().contains("Resume: this configuration trains otherwise than the one that started "
                + "the search"), console.toString());
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

    /**
     * A warm-started search cut before its first snapshot: the resumed strategy, rebuilt from the configuration,
     * is told the warm start's results again (a local search then proposes as the uninterrupted one did), and its
     * cache answers again, so that nothing the uninterrupted search answered from it is trained. The resumed
     * session's summary counts only its own answers from the cache.
     */
    @ParameterizedTest(name = "strategy {0}")
    @ValueSource(strings = {"{kind: local}", "{kind: evolution, population: 8, sample_size: 3}"})
    void aResumedWarmStartedSearchIsToldTheWarmStartAgainAndAnswersFromItAsTheUninterruptedOneDid(String strategy)
            throws Exception {
        String tiny = CONFIG.replace("max_blocks: 4", "max_blocks: 1").replace("filters: [8, 16, 32]", "filters: [8]")
                .replace("strategy: {kind: evolution, population: 8, sample_size: 3}", "strategy: " + strategy)
                .replace("snapshot_every: 5", "snapshot_every: 1000");
        Path first = dir.resolve("first");
        job(tiny, "seed=6").run(first.toString(), null);
        Path uninterrupted = dir.resolve("whole");
        job(tiny).run(uninterrupted.toString(), first.toString());
        Path output = dir.resolve("cut");
        job(tiny).run(output.toString(), first.toString());
        cut(output, 9); // 5 proposals, 4 results
        long cachedBefore = answeredFromCache(output);
        job(tiny).resume(output.toString()).orElseThrow();
        assertFalse(console.toString().contains("replayed proposals differ"), console.toString());
        assertEquals(outcomes(uninterrupted), outcomes(output));
        long cached = answeredFromCache(uninterrupted);
        assertTrue(cached > cachedBefore, "the uninterrupted search answers from the cache after the cut too");
        assertEquals(cached, answeredFromCache(output));
        List<JsonNode> summaries = records(output, "summary");
        assertEquals(cached - cachedBefore, summaries.get(summaries.size() - 1).get("cached").asLong());
    }

    @Test
    void aResumedWarmStartedSearchWhoseSourceNoLongerLoadsGoesOnWithoutIt() throws Exception {
        String tiny = CONFIG.replace("max_blocks: 4", "max_blocks: 1").replace("filters: [8, 16, 32]", "filters: [8]")
                .replace("snapshot_every: 5", "snapshot_every: 1000");
        Path first = dir.resolve("first");
        job(tiny, "seed=6").run(first.toString(), null);
        Path output = dir.resolve("cut");
        job(tiny).run(output.toString(), first.toString());
        cut(output, 9);
        Files.writeString(first.resolve("config.yaml"), "retired_key: 1\n", StandardOpenOption.APPEND);
        console.reset();

        job(tiny).resume(output.toString()).orElseThrow();

        String said = console.toString();
        assertTrue(said.contains(first + " cannot be read (") && said.contains("retired_key")
                && said.contains("the search goes on without it"), said);
        assertEquals(40, records(output, "result").size());
    }

    @Test
    void aResumedSessionsProgressLinesNameTheStudysBestSoFar() throws Exception {
        Path output = dir.resolve("progress");
        job(CONFIG).run(output.toString(), null);
        cut(output, 61);
        TrialResult bestBefore = records(output, "result").stream()
                .map(r -> TrialResultJson.fromJson(r, Architecture::parse))
                .max(Comparator.comparingDouble(r -> r.metrics().require("score"))).orElseThrow();
        console.reset();

        StudyOutcome resumed = job(CONFIG).resume(output.toString()).orElseThrow();

        String first = console.toString().lines().filter(l -> l.startsWith("[")).findFirst().orElseThrow();
        TrialResult firstOfSession = resumed.sessionResults().get(0);
        TrialResult expected = firstOfSession.metrics().require("score") > bestBefore.metrics().require("score")
                ? firstOfSession : bestBefore;
        assertTrue(first.contains(String.format(Locale.ROOT, "| best %.4f (%s) |", expected.metrics().require("score"),
                expected.candidate().trialId())), first + " (best before the cut: " + bestBefore.candidate().trialId() + ")");
    }

    /** Results of the journal answered from a warm start's cache. */
    private static long answeredFromCache(Path output) throws IOException {
        return records(output, "result").stream().filter(r -> r.get("executor").asText().equals("cache")).count();
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
        assertUnchanged(before, contents(output));

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

    /**
     * A resumed session killed after its last result, before its reports were all written (its summary written or
     * not): the next resume finds nothing to run, and its reports, the first session's, are brought up to date.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aResumedSessionKilledBeforeItsReportsGetsThemFromTheJournal(boolean summaryWritten) throws Exception {
        Path output = dir.resolve("stale-" + summaryWritten);
        job(CONFIG).run(output.toString(), null);
        Map<String, byte[]> firstSession = new TreeMap<>();
        for (String report : List.of("timeline.csv", "leaderboard.csv", "best.json", "report.html")) {
            firstSession.put(report, Files.readAllBytes(output.resolve(report)));
        }
        job(CONFIG, "trials=50").resume(output.toString()).orElseThrow();
        String leaderboard = Files.readString(output.resolve("leaderboard.csv"));
        String best = Files.readString(output.resolve("best.json"));
        String timeline = Files.readString(output.resolve("timeline.csv"));
        if (!summaryWritten) {
            Path segment = output.resolve("journal.2.jsonl");
            List<String> lines = Files.readAllLines(segment);
            assertTrue(lines.get(lines.size() - 1).contains("\"summary\""), lines.get(lines.size() - 1));
            Files.write(segment, lines.subList(0, lines.size() - 1));
        }
        for (Map.Entry<String, byte[]> report : firstSession.entrySet()) {
            Files.write(output.resolve(report.getKey()), report.getValue());
        }
        console.reset();
        assertTrue(job(CONFIG, "trials=50").resume(output.toString()).isEmpty());
        assertEquals(51, Files.readAllLines(output.resolve("leaderboard.csv")).size(), "a header and 50 trials");
        assertEquals(leaderboard, Files.readString(output.resolve("leaderboard.csv")));
        assertEquals(best, Files.readString(output.resolve("best.json")));
        assertEquals(timeline, Files.readString(output.resolve("timeline.csv")));
        assertFalse(Arrays.equals(firstSession.get("report.html"), Files.readAllBytes(output.resolve("report.html"))),
                "report.html written again");
        assertTrue(console.toString().contains("written again from the journal"), console.toString());
    }

    private static void assertUnchanged(Map<String, byte[]> before, Map<String, byte[]> after) {
        assertEquals(before.keySet(), after.keySet(), "no file added or removed");
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " changed"));
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
