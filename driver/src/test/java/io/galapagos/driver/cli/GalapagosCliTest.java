package io.galapagos.driver.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's contract for bad input: one line naming file, key and value; exit code 2. */
class GalapagosCliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** The smallest IDX files validate accepts: two 1x1 images labelled 0 and 1, for training and for test. */
    @BeforeEach
    void dataFiles() throws IOException {
        byte[] images = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 7, 9};
        byte[] labels = {0, 0, 8, 1, 0, 0, 0, 2, 0, 1};
        Files.write(dir.resolve("train-images"), images);
        Files.write(dir.resolve("train-labels"), labels);
        Files.write(dir.resolve("test-images"), images);
        Files.write(dir.resolve("test-labels"), labels);
    }

    private Path config(String extra) throws IOException {
        return Files.writeString(dir.resolve("c.yaml"), """
                name: cli
                trials: 4
                data:
                  train_images: train-images
                  train_labels: train-labels
                  test_images: test-images
                  test_labels: test-labels
                """ + extra);
    }

    private int run(String... args) {
        return GalapagosCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private void assertBadInput(String expectedError, String... args) {
        assertEquals(2, run(args), err::toString);
        assertEquals("galapagos: error: " + expectedError, err.toString().strip());
        assertEquals(1, err.toString().strip().lines().count());
    }

    /**
     * A resume of a folder a live driver holds (this process, mid-session) is not bad input but a busy folder: one
     * line, exit 75, for a scheduler to try again later.
     */
    @Test
    void aResumeOfAFolderALiveDriverHoldsIsBusyNotBadInput() throws Exception {
        String yaml = """
                name: busy
                trials: 2
                executor: in_process
                synthetic: {median_seconds: 0}
                """;
        String output = dir.resolve("busy").toString();
        io.galapagos.driver.results.RunOutput.firstSession(output, new org.apache.hadoop.conf.Configuration(), yaml,
                held -> {
                    try (var journal = held.openJournal(false)) {
                        journal.append(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                                .put("type", "study"));
                    }
                    assertEquals(GalapagosCli.OUTPUT_IN_USE, run("resume", output), err::toString);
                    return null;
                });
        assertTrue(err.toString().startsWith("galapagos: busy: output " + output + ": is being searched by a live "
                + "driver (pid " + ProcessHandle.current().pid()), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
    }

    /**
     * Only in YARN's application master (cluster mode, where it sets Spark's settings as system properties) does a
     * successful run return from main instead of calling System.exit, which YARN reports as a failure.
     */
    @Test
    void aSuccessfulRunLeavesTheJvmToYarnsApplicationMasterOnly() {
        java.util.Properties am = new java.util.Properties();
        am.setProperty("spark.submit.deployMode", "cluster");
        am.setProperty("spark.master", "yarn");
        assertTrue(GalapagosCli.inYarnApplicationMaster(am));
        java.util.Properties client = (java.util.Properties) am.clone();
        client.setProperty("spark.submit.deployMode", "client");
        assertFalse(GalapagosCli.inYarnApplicationMaster(client));
        java.util.Properties standalone = (java.util.Properties) am.clone();
        standalone.setProperty("spark.master", "spark://host:7077");
        assertFalse(GalapagosCli.inYarnApplicationMaster(standalone));
        assertFalse(GalapagosCli.inYarnApplicationMaster(new java.util.Properties()));
    }

    @Test
    void everySubcommandsVersionOptionPrintsTheProgramsVersion() {
        for (String command : GalapagosCli.commandLine().getSubcommands().keySet()) {
            out.getBuffer().setLength(0);
            assertEquals(0, run(command, "--version"), err::toString);
            assertEquals("galapagos " + GalapagosCli.VERSION, out.toString().strip(), command);
        }
    }

    @Test
    void validateAcceptsAGoodConfig() throws IOException {
        Path file = config("");
        assertEquals(0, run("validate", file.toString()), err::toString);
        assertTrue(out.toString().startsWith(file + ": valid: 4 trials, evolution, a space of "), out.toString());
    }

    @Test
    void validateReportsEachKindOfBadInput() throws IOException {
        Path file = config("training: {epochs: -3}\n");
        assertBadInput(file + ": training.epochs: -3 is out of range (must be between 1 and 1000)", "validate", file.toString());

        err.getBuffer().setLength(0);
        file = config("space: {filters: []}\n");
        assertBadInput(file + ": space.filters: [] must list at least one choice", "validate", file.toString());

        err.getBuffer().setLength(0);
        file = config("trainig: {}\n");
        assertBadInput(file + ": trainig: unknown key: did you mean 'training'? (known here: benchmark, constraints, darts, data, executor, max_minutes, name, "
                + "objectives, oneshot, parallelism, recovery, scheduling, seed, space, spark, strategy, synthetic, training, trials)",
                "validate", file.toString());

        err.getBuffer().setLength(0);
        Files.delete(dir.resolve("test-labels"));
        file = config("");
        assertBadInput(file + ": data.test_labels: '" + dir.resolve("test-labels") + "' does not exist",
                "validate", file.toString());
    }

    @Test
    void validatePrintsTheSpaceSizeGrouped() throws IOException {
        Path file = config("space: {max_blocks: 5, filters: [16, 32, 64], dense_units: [64, 128]}\n");
        assertEquals(0, run("validate", file.toString()), err::toString);
        assertTrue(out.toString().matches(".*a space of \\d{1,3}(,\\d{3}){2,} architectures\\R"), out.toString());
    }

    @Test
    void overridesFromTheCommandLineAreValidatedToo() throws IOException {
        Path file = config("");
        assertBadInput("--set space.kernel_sizes=[3, 2]: 2 must be odd, between 1 and 11",
                "validate", file.toString(), "--set", "space.kernel_sizes=[3, 2]");

        err.getBuffer().setLength(0);
        assertBadInput("--set space={kernel_sizes: [3, 2]}: space.kernel_sizes: 2 must be odd, between 1 and 11",
                "validate", file.toString(), "--set", "space={kernel_sizes: [3, 2]}");
    }

    @Test
    void anErrorInAnOverrideNamesTheOverrideNotTheFile() throws IOException {
        Path file = config("");
        assertBadInput("--set trails=3: unknown key (known here: benchmark, constraints, darts, data, executor, max_minutes, name, "
                + "objectives, oneshot, parallelism, recovery, scheduling, seed, space, spark, strategy, synthetic, training, trials)",
                "validate", file.toString(), "--set", "trials=5", "--set", "trails=3");

        err.getBuffer().setLength(0);
        assertBadInput("--set trials=many: 'many' should be a whole number",
                "validate", file.toString(), "--set", "trials=many");

        // checked after loading: the data files an override names
        err.getBuffer().setLength(0);
        assertBadInput("--set data.test_images=nowhere: '" + dir.resolve("nowhere") + "' does not exist",
                "run", file.toString(), "--set", "data.test_images=nowhere", "--output", dir.resolve("o").toString());
        assertFalse(Files.exists(dir.resolve("o")));
    }

    @Test
    void aNameThatIsNotAPlainFolderNameIsRefused() throws IOException {
        Path file = config("");
        Files.writeString(file, Files.readString(file).replace("name: cli", "name: ../../elsewhere"));
        assertBadInput(file + ": name: '../../elsewhere' is not a plain name: use letters, digits, '.', '_' and '-', "
                + "not starting with '.', at most 100 characters (it names the output folder)",
                "run", file.toString());
        assertFalse(Files.exists(Path.of("runs")), "nothing written under the default output folder");
    }

    @Test
    void runRefusesANonEmptyOutputBeforeStartingAnything() throws IOException {
        Path file = config("");
        Path output = Files.createDirectories(dir.resolve("out"));
        Files.writeString(output.resolve("journal.jsonl"), "{}\n");
        assertBadInput("output " + output + ": is not empty; choose a new --output folder (results are never overwritten), "
                + "or continue that search with --resume",
                "run", file.toString(), "--output", output.toString());
    }

    /**
     * A master Spark refuses stops the run after it made the folder and wrote its configuration, before its journal:
     * it takes both back, and the same command with a master that works then runs.
     */
    @Test
    void aRunStoppedBeforeSparkStartedLeavesNothingAndTheNextRunGoesOn() throws IOException {
        Path file = Files.writeString(dir.resolve("s.yaml"), """
                name: cli
                trials: 2
                space: {min_blocks: 1, max_blocks: 2, filters: [8]}
                synthetic: {median_seconds: 0}
                """);
        Path output = dir.resolve("out");
        assertEquals(2, run("run", file.toString(), "--output", output.toString(), "--master", "bogus"), err::toString);
        assertTrue(err.toString().contains("Could not parse Master URL: 'bogus'"), err.toString());
        assertFalse(Files.exists(output), "the folder and the config.yaml written before Spark started are taken back");

        assertEquals(0, run("run", file.toString(), "--output", output.toString(), "--master", "local[1]"),
                err::toString);
        assertTrue(Files.exists(output.resolve("journal.jsonl")));
    }

    /** A --master that nothing would use (trials run in this JVM) is refused before anything runs, by run and resume. */
    @Test
    void aMasterForASearchRunInProcessIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("p.yaml"), """
                name: cli
                trials: 2
                executor: in_process
                space: {min_blocks: 1, max_blocks: 2, filters: [8]}
                synthetic: {median_seconds: 0}
                """);
        Path output = dir.resolve("in-process");
        String refusal = "--master spark://host:7077: this configuration runs its trials in this JVM (executor: "
                + "in_process), where no Spark master is used; leave --master out, or add --set executor=spark";
        assertBadInput(refusal + " (galapagos run --help shows the usage)", "run", file.toString(), "--output",
                output.toString(), "--master", "spark://host:7077");
        assertFalse(Files.exists(output));
        assertEquals(0, run("run", file.toString(), "--output", output.toString()), err::toString);
        err.getBuffer().setLength(0);
        assertBadInput(refusal + " (galapagos resume --help shows the usage)", "resume", output.toString(),
                "--master", "spark://host:7077");
    }

    @Test
    void aWrongArgumentIsOneLineNamingIt() throws IOException {
        Path file = config("");
        assertBadInput("Unmatched argument at index 2: 'extra' (galapagos run --help shows the usage)",
                "run", file.toString(), "extra");
        err.getBuffer().setLength(0);
        assertBadInput("--nightly chooses tonight's output and whether to resume or warm-start: it cannot be combined "
                + "with --output, --resume or --warm-start (galapagos run --help shows the usage)",
                "run", file.toString(), "--nightly", dir.toString(), "--resume");
        err.getBuffer().setLength(0);
        assertBadInput("Invalid value for option '--date': '2026-13-45' is not a date YYYY-MM-DD (Invalid value for "
                + "MonthOfYear (valid values 1 - 12): 13) (galapagos run --help shows the usage)",
                "run", file.toString(), "--nightly", dir.toString(), "--date", "2026-13-45");
    }

    @Test
    void noArgumentsPrintsUsage() {
        assertEquals(0, run());
        assertTrue(out.toString().contains("Usage: galapagos"), out.toString());
        assertTrue(out.toString().contains("run") && out.toString().contains("validate"), out.toString());
    }
}
