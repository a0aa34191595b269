package io.galapagos.driver.job;

import io.galapagos.config.ConfigLoader;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.RunOutput;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code run --nightly} does tonight, decided from real searches' outputs on the local file system (synthetic
 * trials of no duration, in process): which earlier night it warm-starts from, and when it resumes or leaves tonight's.
 */
@Timeout(60)
class NightlySeriesTest {

    private static final LocalDate TONIGHT = LocalDate.of(2026, 12, 1);
    private static final String CONFIG = """
            name: nightly
            seed: 3
            trials: 6
            executor: in_process
            parallelism: 1
            strategy: {kind: evolution, population: 4, sample_size: 2}
            space: {min_blocks: 1, max_blocks: 3, filters: [8, 16]}
            synthetic: {median_seconds: 0}
            """;

    @TempDir
    Path runs;

    private final List<String> said = new ArrayList<>();

    private static SearchConfig config(String... overrides) {
        return ConfigLoader.parse("nightly.yaml", CONFIG, null, List.of(overrides)).config();
    }

    /** Runs a whole search into {@code runs/<night>}: its last session ends. */
    private Path search(String night, String... overrides) throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.parse("nightly.yaml", CONFIG, null, List.of(overrides));
        Path output = runs.resolve(night);
        new SearchJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).run(output.toString(), (String) null);
        return output;
    }

    /** Removes the summary record, the last line of the journal, as a driver killed before writing it would have left it. */
    private static void interrupt(Path output) throws IOException {
        Path journal = output.resolve("journal.jsonl");
        List<String> lines = Files.readAllLines(journal);
        assertTrue(lines.get(lines.size() - 1).contains("\"type\":\"summary\""), lines.get(lines.size() - 1));
        Files.write(journal, lines.subList(0, lines.size() - 1));
    }

    private NightlySeries.Tonight plan(SearchConfig config) throws IOException {
        return NightlySeries.plan(runs.toString(), TONIGHT, config, new Configuration(), said::add);
    }

    @Test
    void theFirstNightStartsAfreshInAFolderNamedByItsDate() throws IOException {
        NightlySeries.Tonight tonight = plan(config());
        NightlySeries.Start start = assertInstanceOf(NightlySeries.Start.class, tonight);
        assertEquals(runs.resolve("2026-12-01").toString(), start.output());
        assertTrue(start.from().isEmpty());
        assertEquals(List.of("Nightly: no earlier night in " + runs + " to warm-start from; tonight's search starts afresh"),
                said);
    }

    @Test
    void aNewNightWarmStartsFromTheNewestEarlierNightThatEndedOverTheSameSpace() throws Exception {
        search("2026-11-27");
        Path ended = search("2026-11-28");
        interrupt(search("2026-11-29"));
        search("2026-11-30", "space.filters=[8, 32]");
        search("2026-12-02");
        search("latest");

        NightlySeries.Start start = assertInstanceOf(NightlySeries.Start.class, plan(config()));
        assertEquals(runs.resolve("2026-12-01").toString(), start.output());
        assertEquals("file:" + ended, start.from().orElseThrow().source());
        assertEquals(6, start.from().get().results().size());
        assertEquals(2, said.size(), said::toString);
        assertTrue(said.get(0).startsWith("Nightly: skipping file:" + runs.resolve("2026-11-30") + ": output ")
                && said.get(0).endsWith("searched another space than this configuration's; a warm start needs the same "
                + "space section"), said.get(0));
        assertEquals("Nightly: skipping file:" + runs.resolve("2026-11-29") + ": its last session did not end "
                + "(galapagos resume file:" + runs.resolve("2026-11-29") + " would finish it)", said.get(1));
    }

    @Test
    void aNightWhoseConfigNoLongerLoadsIsSkippedAndAnUnusableParentIsRefusedInOneLine() throws Exception {
        Path readable = search("2026-11-29");
        Path unreadable = search("2026-11-30");
        Files.writeString(unreadable.resolve("config.yaml"), "retired_key: 1\n", StandardOpenOption.APPEND);

        NightlySeries.Start start = assertInstanceOf(NightlySeries.Start.class, plan(config()));
        assertEquals("file:" + readable, start.from().orElseThrow().source());
        assertEquals(1, said.size(), said::toString);
        assertTrue(said.get(0).startsWith("Nightly: skipping file:" + unreadable + ": ") && said.get(0).contains(
                "retired_key"), said.get(0));

        OutputException e = assertThrows(OutputException.class, () -> NightlySeries.plan("nosuchfs://host/runs",
                TONIGHT, config(), new Configuration(), said::add));
        assertTrue(e.getMessage().startsWith("output nosuchfs://host/runs: cannot be used: no Hadoop file system for "
                + "'nosuchfs:'"), e.getMessage());
    }

    @Test
    void aNightWhoseJournalCannotBeReadIsSkipped() throws Exception {
        Path readable = search("2026-11-29");
        Path lost = search("2026-11-30");
        Configuration hadoop = new Configuration();
        hadoop.setClass("fs.file.impl", LostJournals.class, org.apache.hadoop.fs.FileSystem.class);
        hadoop.setBoolean("fs.file.impl.disable.cache", true);
        hadoop.set(LostJournals.NIGHT, lost.getFileName().toString());

        NightlySeries.Tonight tonight = NightlySeries.plan(runs.toString(), TONIGHT, config(), hadoop, said::add);
        assertEquals("file:" + readable, assertInstanceOf(NightlySeries.Start.class, tonight).from().orElseThrow().source());
        assertEquals(List.of("Nightly: skipping file:" + lost + ": cannot be read: java.io.IOException: "
                + "a block of journal.jsonl is missing"), said);
    }

    /** The local file system, but the journal of one night ({@link #NIGHT}) cannot be read, as if a block were lost. */
    public static final class LostJournals extends org.apache.hadoop.fs.LocalFileSystem {
        static final String NIGHT = "galapagos.test.lost.night";

        @Override
        public org.apache.hadoop.fs.FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize) throws IOException {
            if (f.getName().equals("journal.jsonl") && f.getParent().getName().equals(getConf().get(NIGHT))) {
                throw new IOException("a block of journal.jsonl is missing");
            }
            return super.open(f, bufferSize);
        }
    }

    @Test
    void tonightsSearchIsResumedWhenItWasInterruptedAndLeftAloneWhenItEnded() throws Exception {
        Path tonight = search("2026-12-01");
        NightlySeries.Tonight ended = plan(config());
        assertInstanceOf(NightlySeries.Ended.class, ended);
        assertEquals(tonight.toString(), ended.output());

        interrupt(tonight);
        assertInstanceOf(NightlySeries.Resume.class, plan(config()));
        assertTrue(said.isEmpty(), said::toString);
    }

    @Test
    void aNightKilledAfterItsLastResultEndsWhenResumed() throws Exception {
        Path tonight = search("2026-12-01");
        interrupt(tonight);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConfigLoader.Loaded loaded = ConfigLoader.parse("nightly.yaml", CONFIG, null, List.of());
        assertTrue(new SearchJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(console, true,
                StandardCharsets.UTF_8)).resume(tonight.toString()).isEmpty(), "nothing is left to run");

        assertTrue(console.toString(StandardCharsets.UTF_8).contains("the journal now says it ended"), console::toString);
        assertInstanceOf(NightlySeries.Ended.class, plan(config()));
        List<String> closing = Files.readAllLines(tonight.resolve("journal.2.jsonl"));
        assertEquals(2, closing.size(), closing::toString);
        assertTrue(closing.get(0).contains("\"type\":\"resume\"") && closing.get(1).contains("\"trials\":0"),
                closing::toString);
    }

    @Test
    void aSessionEndedByItsTimeBudgetEndsTheNight() throws Exception {
        Path tonight = search("2026-12-01", "trials=100000", "max_minutes=0.002", "synthetic.median_seconds=0.01");
        assertTrue(Files.readString(tonight.resolve("journal.jsonl")).contains("\"time_budget_reached\":true"));
        assertInstanceOf(NightlySeries.Ended.class, plan(config()));
    }

    @Test
    void tonightsFolderWithWhatARunWritesBeforeItsJournalStartsOver() throws Exception {
        Path tonight = Files.createDirectories(runs.resolve("2026-12-01"));
        Files.writeString(tonight.resolve("config.yaml"), CONFIG);
        Files.writeString(tonight.resolve(".config.yaml.tmp"), "half");
        assertInstanceOf(NightlySeries.Start.class, plan(config()));
        assertEquals(0, Files.list(tonight).count(), "the leftovers are removed, so that the search can start there");

        // on s3a a session killed before it closed its journal leaves its snapshots and checkpoints, not its journal
        Files.writeString(tonight.resolve("config.yaml"), CONFIG);
        Files.writeString(Files.createDirectories(tonight.resolve("snapshots")).resolve("strategy-20.snap"), "s");
        Files.writeString(Files.createDirectories(tonight.resolve("checkpoints")).resolve("trial-0003.zip"), "c");
        assertInstanceOf(NightlySeries.Start.class, plan(config()));
        assertEquals(0, Files.list(tonight).count(), "a night without its journal starts over");

        // the same leftovers while the driver that wrote them lives (starting Spark; on s3a:, searching): kept, refused
        RunOutput.firstSession(tonight.toString(), new Configuration(), CONFIG, output -> {
            OutputException live = assertThrows(OutputException.class, () -> plan(config()));
            assertTrue(live.getMessage().startsWith("output " + tonight + ": is being searched by a live driver (pid "
                    + ProcessHandle.current().pid()), live.getMessage());
            assertTrue(Files.exists(tonight.resolve("config.yaml")), "a live driver's files are not removed");
            return null;
        });
        assertInstanceOf(NightlySeries.Start.class, plan(config()));
        assertEquals(0, Files.list(tonight).count(), "once that driver has ended, its leftovers go");

        Files.writeString(tonight.resolve("notes.txt"), "mine");
        OutputException e = assertThrows(OutputException.class, () -> plan(config()));
        assertEquals("output " + tonight + ": is not the output of a search (no config.yaml and journal.jsonl)",
                e.getMessage());
        assertTrue(Files.exists(tonight.resolve("notes.txt")), "a file that is not a search's is never removed");
        assertFalse(said.isEmpty());
    }
}
