package io.galapagos.driver.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code galapagos report}: where it writes, and one line with exit code 2 for each kind of bad input. */
class ReportCommandTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return GalapagosCli.commandLine().setOut(new PrintWriter(new StringWriter(), true))
                .setErr(new PrintWriter(err, true)).execute(args);
    }

    private void assertBadInput(String expectedError, String... args) {
        assertEquals(2, run(args), err::toString);
        assertEquals("galapagos: error: " + expectedError, err.toString().strip());
    }

    private Path search() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("search"));
        Files.writeString(folder.resolve("config.yaml"), "name: s\n");
        Files.writeString(folder.resolve("journal.jsonl"), "{\"type\":\"study\",\"started\":\"2026-01-01T00:00:00Z\","
                + "\"name\":\"s\",\"seed\":1,\"objective\":\"val_accuracy\"}\n");
        return folder;
    }

    @Test
    void writesIntoTheSearchFolderOrWhereToldTo() throws IOException {
        Path folder = search();
        assertEquals(0, run("report", folder.toString()), err::toString);
        assertTrue(Files.readString(folder.resolve("report.html")).startsWith("<!DOCTYPE html>"));

        Path elsewhere = dir.resolve("reports/today.html");
        assertEquals(0, run("report", folder.toString(), "--out", elsewhere.toString()), err::toString);
        assertTrue(Files.size(elsewhere) > 100_000, "ECharts is inlined");
    }

    @Test
    void aBenchFileGetsItsReportBesideIt() throws IOException {
        Path bench = Files.writeString(dir.resolve("b.json"), "{\"table\":\"t.csv\",\"seeds\":2,\"strategies\":"
                + "[{\"strategy\":\"random\",\"budgets\":[{\"budget\":5,\"mean\":1.0,\"sd\":0.1,\"mean_regret\":0.5}]}]}");
        assertEquals(0, run("report", bench.toString()), err::toString);
        assertTrue(Files.exists(dir.resolve("b.html")));
    }

    @Test
    void badInputIsOneLineWithExitCodeTwo() throws IOException {
        Path missing = dir.resolve("nothing");
        assertBadInput("output " + missing + ": does not exist", "report", missing.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, run("report", "nosuchfs://host/x"));
        assertTrue(err.toString().startsWith("galapagos: error: output nosuchfs://host/x: cannot be used: no Hadoop file "
                + "system for 'nosuchfs:'"), err.toString());
        assertEquals(1, err.toString().strip().lines().count());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        err.getBuffer().setLength(0);
        assertBadInput("output " + empty + ": is not the output of a search (no config.yaml and journal.jsonl)", "report",
                empty.toString());

        Path text = Files.writeString(dir.resolve("notes.txt"), "not json {");
        err.getBuffer().setLength(0);
        assertBadInput("output " + text + ": is neither a search's output folder nor readable JSON", "report", text.toString());

        Path other = Files.writeString(dir.resolve("other.json"), "{\"rows\": 3}");
        err.getBuffer().setLength(0);
        assertBadInput("output " + other + ": is JSON but not galapagos bench's (it lists no strategies)", "report",
                other.toString());

        Path folder = search();
        Path blocked = dir.resolve("notes.txt/report.html");
        err.getBuffer().setLength(0);
        assertEquals(2, run("report", folder.toString(), "--out", blocked.toString()));
        assertTrue(err.toString().startsWith("galapagos: error: output " + blocked + ": cannot be written: "), err.toString());
        assertEquals(1, err.toString().strip().lines().count());

        Path journal = folder.resolve("journal.jsonl");
        String recorded = Files.readString(journal);
        err.getBuffer().setLength(0);
        assertBadInput("output " + journal + ": exists and is not a .html file: this is written to a new file or over "
                + "an earlier .html file, never over another kind", "report", folder.toString(), "--out",
                journal.toString());
        assertEquals(recorded, Files.readString(journal));
        Path folderNamedHtml = Files.createDirectories(dir.resolve("old.html"));
        err.getBuffer().setLength(0);
        assertBadInput("output " + folderNamedHtml + ": is a folder; name a file", "report", folder.toString(), "--out",
                folderNamedHtml.toString());
    }
}
