package io.galapagos.driver.results;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunOutputTest {

    @Test
    void writesFilesAndAJournalThroughTheHadoopFileSystem(@TempDir Path dir) throws IOException {
        RunOutput output = RunOutput.create(dir.resolve("run").toUri().toString(), new Configuration());
        output.write("config.yaml", "a: 1\n");
        output.write("config.yaml", "a: 2\n");
        TrialResult result = new TrialResult.Completed(new Candidate(3, MacroArchitecture.parse("dense8:relu"), 5),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.5),
                new Execution("1", "h", 2, Instant.EPOCH, Instant.EPOCH.plusSeconds(1)));
        try (Journal journal = output.openJournal(false)) {
            journal.finished(result, 1, 1);
            // Flushed per record: readable before the journal is closed.
            List<String> lines = Files.readAllLines(dir.resolve("run/journal.jsonl"));
            assertEquals(1, lines.size());
            assertEquals(result, TrialResultJson.fromLine(lines.get(0), MacroArchitecture::parse));
        }
        assertEquals("a: 2\n", Files.readString(dir.resolve("run/config.yaml")));
        try (var files = Files.list(dir.resolve("run"))) {
            assertEquals(List.of("config.yaml", "journal.jsonl"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void refusesANonEmptyFolder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("journal.jsonl"), "{}\n");
        OutputException e = assertThrows(OutputException.class, () -> RunOutput.create(dir.toString(), new Configuration()));
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        assertEquals("{}\n", Files.readString(dir.resolve("journal.jsonl")));
    }

    /**
     * A first session killed while Spark started (no handler ran) leaves its configuration and vocabulary and nothing
     * else: resume and run each say what the folder holds and what to do, and delete nothing (it may be the user's).
     */
    @Test
    void aFolderWithOnlyAConfigurationIsExplainedByRunAndResumeAndLeftAsItIs(@TempDir Path dir) throws IOException {
        Path killed = Files.createDirectories(dir.resolve("killed"));
        Files.writeString(killed.resolve("config.yaml"), "name: earlier\n");
        Files.writeString(killed.resolve("vocabulary.json"), "{}\n");
        OutputException resume = assertThrows(OutputException.class,
                () -> RunOutput.open(killed.toString(), new Configuration()));
        assertEquals("output " + killed + ": holds a config.yaml but no journal.jsonl (a search killed before it "
                + "recorded anything leaves that): there is nothing to resume; remove what it holds and run the search "
                + "again", resume.getMessage());
        OutputException run = assertThrows(OutputException.class,
                () -> RunOutput.create(killed.toString(), new Configuration()));
        assertEquals("output " + killed + ": holds config.yaml and vocabulary.json and no journal (a search killed "
                + "before it recorded anything leaves that): remove them, or choose a new --output folder",
                run.getMessage());
        assertEquals("name: earlier\n", Files.readString(killed.resolve("config.yaml")));
    }

    /**
     * A first session that fails before its journal takes back what it wrote, and the folder when it made it (an empty
     * folder it was given stays); one that fails after its journal's first record keeps it all, to be resumed.
     */
    @Test
    void aFirstSessionThatFailsBeforeItsJournalLeavesNothingAndOneThatFailsAfterKeepsIt(@TempDir Path dir)
            throws Exception {
        for (boolean given : new boolean[]{false, true}) {
            Path stopped = dir.resolve("stopped-" + given);
            if (given) {
                Files.createDirectories(stopped);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunOutput.firstSession(
                    stopped.toString(), new Configuration(), "name: a\n", output -> {
                        output.write(RunOutput.VOCABULARY, "{}\n");
                        throw new IllegalStateException("Spark refused its master");
                    }));
            assertEquals("Spark refused its master", e.getMessage());
            assertEquals(given, Files.isDirectory(stopped), "the folder is removed only when the session made it");
            if (given) {
                try (var files = Files.list(stopped)) {
                    assertEquals(List.of(), files.toList(), "what the session wrote before its journal is taken back");
                }
            }
            RunOutput.firstSession(stopped.toString(), new Configuration(), "name: a\n", output -> null);
            assertEquals("name: a\n", Files.readString(stopped.resolve("config.yaml")), "the same command again");
        }

        Path started = dir.resolve("started");
        assertThrows(IOException.class, () -> RunOutput.firstSession(started.toString(), new Configuration(),
                "name: a\n", output -> {
                    try (Journal journal = output.openJournal(false)) {
                        journal.append(JsonNodeFactory.instance.objectNode().put("type", "study"));
                    }
                    throw new IOException("the study failed");
                }));
        assertTrue(Files.exists(started.resolve("config.yaml")) && Files.exists(started.resolve("journal.jsonl")),
                "a search with a journal is kept, to be resumed");
    }

    @Test
    void aLocationHadoopCannotReadIsOneLineNamingIt() {
        OutputException e = assertThrows(OutputException.class, () -> RunOutput.create("run-10:30", new Configuration()));
        assertTrue(e.getMessage().startsWith("output run-10:30: is not a path or URI Hadoop can read (Relative path in "
                + "absolute URI: run-10:30)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void refusesAFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("x"), "");
        OutputException e = assertThrows(OutputException.class, () -> RunOutput.create(file.toString(), new Configuration()));
        assertEquals("output " + file + ": exists and is not a folder", e.getMessage());
    }

    @Test
    void anOutputThatCannotBeWrittenIsOneLineNamingIt(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "");
        String below = file.resolve("run").toString();
        OutputException e = assertThrows(OutputException.class, () -> RunOutput.create(below, new Configuration()));
        assertTrue(e.getMessage().startsWith("output " + below + ": cannot be"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void eachSessionWritesItsOwnJournalSegmentReadBackInOrder(@TempDir Path dir) throws IOException {
        RunOutput first = RunOutput.create(dir.resolve("run").toString(), new Configuration());
        first.write(RunOutput.CONFIG, "a: 1\n");
        for (int session = 0; session < 3; session++) {
            try (RunOutput output = session == 0 ? first : RunOutput.open(dir.resolve("run").toString(),
                    new Configuration()); Journal journal = output.openJournal(session == 2)) {
                journal.append(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("session", session));
            }
        }
        assertEquals(List.of("journal.jsonl", "journal.2.jsonl", "journal.3.jsonl"),
                first.journalSegments().stream().map(p -> p.getName()).toList());
        assertEquals("{\"session\":2}\n", Files.readString(dir.resolve("run/journal.3.jsonl")));
    }

    /** A first session stopped before its study record leaves a folder the nightly series can start over in. */
    @Test
    void aSessionThatStopsBeforeItsFirstRecordLeavesNoSegment(@TempDir Path dir) throws IOException {
        RunOutput output = RunOutput.create(dir.resolve("run").toString(), new Configuration());
        output.write(RunOutput.CONFIG, "a: 1\n");
        output.openJournal(false).close();
        assertEquals(List.of(), output.journalSegments());
        try (Journal journal = output.openJournal(false)) {
            journal.append(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("session", 1));
        }
        assertEquals(List.of("journal.jsonl"), output.journalSegments().stream().map(p -> p.getName()).toList());
    }

    /**
     * While a session writes a search, neither a resume nor a new search may use its folder (this process is the live
     * driver that holds it); when the session ends, its claim is given back and a resume opens the folder.
     */
    @Test
    void aSearchBeingWrittenIsRefusedToASecondDriverUntilItsSessionEnds(@TempDir Path dir) throws Exception {
        String location = dir.resolve("run").toString();
        String live = "output " + location + ": is being searched by a live driver (pid " + ProcessHandle.current().pid();
        RunOutput.firstSession(location, new Configuration(), "a: 1\n", output -> {
            // before its first record (Spark starting) the folder holds no journal: still the live driver's
            OutputException early = assertThrows(OutputException.class, () -> RunOutput.read(location,
                    new Configuration()));
            assertTrue(early.getMessage().startsWith(live), early.getMessage());
            try (Journal journal = output.openJournal(false)) {
                journal.append(JsonNodeFactory.instance.objectNode().put("type", "study"));
            }
            OutputException resume = assertThrows(OutputException.class, () -> RunOutput.open(location,
                    new Configuration()));
            assertTrue(resume.getMessage().startsWith(live), resume.getMessage());
            OutputException run = assertThrows(OutputException.class, () -> RunOutput.create(location,
                    new Configuration()));
            assertTrue(run.getMessage().startsWith(live), run.getMessage());
            return null;
        });
        try (var files = Files.list(dir.resolve("run"))) {
            assertEquals(List.of("config.yaml", "journal.jsonl"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "the claim is given back");
        }
        try (RunOutput resumed = RunOutput.open(location, new Configuration())) {
            assertTrue(Files.exists(dir.resolve("run").resolve(DriverLease.FILE)));
        }
        assertFalse(Files.exists(dir.resolve("run").resolve(DriverLease.FILE)));
    }

    /**
     * A claim whose holder is gone (a run killed before its journal) is no one's: a new search may take the folder it
     * is alone in, and what else the folder holds is named without it.
     */
    @Test
    void aClaimLeftByADeadDriverDoesNotKeepAFolderFromANewSearch(@TempDir Path dir) throws Exception {
        Path killed = Files.createDirectories(dir.resolve("killed"));
        String dead = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(new DriverLease.Holder(
                "another-machine", 4242, "", "2026-12-07T01:00:00Z", "t"));
        Files.writeString(killed.resolve(DriverLease.FILE), dead);
        Files.setLastModifiedTime(killed.resolve(DriverLease.FILE),
                java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(600)));
        Files.writeString(killed.resolve("config.yaml"), "a: 1\n");
        OutputException run = assertThrows(OutputException.class,
                () -> RunOutput.create(killed.toString(), new Configuration()));
        assertTrue(run.getMessage().contains(": holds config.yaml and no journal"), run.getMessage());
        Files.delete(killed.resolve("config.yaml"));
        RunOutput.firstSession(killed.toString(), new Configuration(), "a: 2\n", output -> null);
        assertEquals("a: 2\n", Files.readString(killed.resolve("config.yaml")));
    }

    /** A session another driver took over appends nothing more to its journal segment. */
    @Test
    void aJournalWhoseSessionMayNoLongerWriteAppendsNothing(@TempDir Path dir) throws IOException {
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);
        Path segment = dir.resolve("journal.jsonl");
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()).getRaw();
        Journal journal = new Journal(() -> fs.create(new org.apache.hadoop.fs.Path(segment.toString()), false), false,
                () -> {
                    if (!held.get()) {
                        throw new IOException("another driver took this search over");
                    }
                });
        journal.append(JsonNodeFactory.instance.objectNode().put("type", "study"));
        held.set(false);
        IOException refused = assertThrows(IOException.class,
                () -> journal.append(JsonNodeFactory.instance.objectNode().put("type", "result")));
        assertEquals("another driver took this search over", refused.getMessage());
        assertThrows(IOException.class, journal::close);
        assertEquals(List.of("{\"type\":\"study\"}"), Files.readAllLines(segment));
    }

    @Test
    void onlyTheOutputOfASearchCanBeOpenedAgain(@TempDir Path dir) throws IOException {
        OutputException missing = assertThrows(OutputException.class,
                () -> RunOutput.open(dir.resolve("nothing").toString(), new Configuration()));
        assertTrue(missing.getMessage().endsWith(": does not exist"), missing.getMessage());
        OutputException empty = assertThrows(OutputException.class, () -> RunOutput.open(dir.toString(), new Configuration()));
        assertTrue(empty.getMessage().contains("is not the output of a search"), empty.getMessage());
    }
}
