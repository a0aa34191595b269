package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tarball that {@code mvn package} wrote in deploy/target, unpacked as a user would, with tar. */
final class Distribution {

    private Distribution() {
    }

    /** Unpacks the distribution into {@code folder} (made if missing) and returns its one top folder. */
    static Path unpack(Path folder) throws IOException, InterruptedException {
        Path tarball = Path.of(System.getProperty("galapagos.dist"));
        assertTrue(Files.isRegularFile(tarball), "no distribution at " + tarball + ": run mvn package");
        Files.createDirectories(folder);
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", folder.toString())
                .redirectErrorStream(true).start();
        String printed = new String(tar.getInputStream().readAllBytes());
        assertTrue(tar.waitFor(120, TimeUnit.SECONDS), "tar did not finish");
        assertEquals(0, tar.exitValue(), printed);
        try (Stream<Path> entries = Files.list(folder)) {
            List<Path> all = entries.toList();
            assertEquals(1, all.size(), "the tarball unpacks into one folder: " + all);
            return all.get(0);
        }
    }

    /**
     * A bare environment: java of this JVM and the system's tools on PATH, {@code home} as HOME, nothing else (no
     * JAVA_HOME, SPARK_HOME, CLASSPATH or Maven settings).
     */
    static void bareEnvironment(ProcessBuilder process, Path home) throws IOException {
        process.environment().clear();
        process.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        process.environment().put("HOME", Files.createDirectories(home).toString());
    }

    /** Runs {@code process} with its output in {@code log}, killed past {@code seconds}; fails unless it exits 0. */
    static String runToEnd(ProcessBuilder process, Path log, long seconds) throws IOException, InterruptedException {
        Process run = process.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!run.waitFor(seconds, TimeUnit.SECONDS)) {
            run.destroyForcibly().waitFor();
        }
        String printed = Files.readString(log);
        assertEquals(0, run.exitValue(), String.join(" ", process.command()) + "\n" + printed);
        return printed;
    }

    /** The {@code --set} options that make the quickstart a search of two small candidates, trained for seconds. */
    static List<String> shortQuickstart() {
        return List.of("--set", "trials=2", "--set", "training.epochs=1", "--set", "data.train_limit=1000",
                "--set", "space.filters=[8]", "--set", "space.kernel_sizes=[3]", "--set", "space.max_blocks=2");
    }

    /** Both candidates of {@link #shortQuickstart()} trained and learnt (chance is 0.1), and a report closed the run. */
    static void assertShortQuickstartRan(Path output, String printed) throws IOException {
        List<JsonNode> results = JournalRecords.of(output, "result");
        assertEquals(2, results.size(), printed);
        for (JsonNode result : results) {
            assertEquals("completed", result.get("status").asText(), result::toString);
            assertTrue(result.get("metrics").get("val_accuracy").asDouble() > 0.2, "learnt nothing: " + result);
        }
        assertTrue(Files.size(output.resolve("report.html")) > 0);
        assertTrue(printed.contains("Top 5 by val_accuracy"), printed);
    }
}
