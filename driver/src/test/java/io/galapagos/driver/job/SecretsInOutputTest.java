package io.galapagos.driver.job;

import io.galapagos.config.ConfigLoader;
import io.galapagos.config.Secrets;
import io.galapagos.driver.cli.GalapagosCli;
import io.galapagos.driver.execution.SparkContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets of a search's configuration (from its YAML or a {@code --set}) reach Spark, and no file of its output nor
 * its console shows them; resuming it from its saved configuration needs them given again.
 */
@Timeout(60)
class SecretsInOutputTest {

    private static final String YAML_SECRET = "s3cr3t-in-the-yaml";
    private static final String SET_SECRET = "pa55-on-the-command-line";
    private static final String CONFIG = """
            name: secrets
            seed: 3
            trials: 8
            executor: in_process
            parallelism: 1
            strategy: {kind: evolution, population: 4, sample_size: 2}
            space: {min_blocks: 1, max_blocks: 3, filters: [8, 16]}
            synthetic: {median_seconds: 0}
            spark:
              conf:
                spark.hadoop.fs.s3a.secret.key: %s
            """.formatted(YAML_SECRET);
    private static final String SET = "spark.conf.spark.ssl.keyStorePassword=" + SET_SECRET;

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int cli(String... args) {
        return GalapagosCli.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    }

    private static Map<String, String> files(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(file).toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    private static void assertNoSecret(String where, String text) {
        assertFalse(text.contains(YAML_SECRET) || text.contains(SET_SECRET), where + " shows a secret:\n" + text);
    }

    @Test
    void sparkGetsTheSecretsAndTheOutputAndConsoleDoNot() throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.parse("secrets.yaml", CONFIG, dir, List.of(SET));
        Map<String, String> spark = Map.of(
                "spark.hadoop.fs.s3a.secret.key", SparkContexts.conf(loaded.config().spark(), "t").get("spark.hadoop.fs.s3a.secret.key"),
                "spark.ssl.keyStorePassword", SparkContexts.conf(loaded.config().spark(), "t").get("spark.ssl.keyStorePassword"));
        assertEquals(Map.of("spark.hadoop.fs.s3a.secret.key", YAML_SECRET, "spark.ssl.keyStorePassword", SET_SECRET), spark);

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path output = dir.resolve("out");
        new SearchJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(output.toString(), (String) null);
        assertNoSecret("the console", console.toString(StandardCharsets.UTF_8));
        Map<String, String> files = files(output);
        assertTrue(files.keySet().containsAll(List.of("config.yaml", "journal.jsonl", "report.html")), files.keySet()::toString);
        files.forEach(SecretsInOutputTest::assertNoSecret);
        assertTrue(files.get("config.yaml").contains("spark.hadoop.fs.s3a.secret.key: '" + Secrets.REDACTED + "'"),
                files.get("config.yaml"));
        assertTrue(files.get("report.html").contains(Secrets.REDACTED), "the report shows config.yaml, redacted");
    }

    @Test
    void resumingFromTheSavedConfigurationNeedsTheSecretsAgain() throws Exception {
        Path config = Files.writeString(dir.resolve("secrets.yaml"), CONFIG);
        Path output = dir.resolve("out");
        assertEquals(0, cli("run", config.toString(), "--output", output.toString(), "--set", SET), err::toString);
        Path journal = output.resolve("journal.jsonl");
        List<String> lines = Files.readAllLines(journal);
        // the driver died before its last two results and the summary
        Files.write(journal, lines.subList(0, lines.size() - 3));
        Map<String, String> before = files(output);

        assertEquals(GalapagosCli.BAD_INPUT, cli("resume", output.toString()));
        assertEquals("galapagos: error: file:" + output.resolve("config.yaml") + ": spark.conf.spark.hadoop.fs.s3a.secret.key: "
                + "is a secret, and a saved configuration holds none (it reads '" + Secrets.REDACTED + "'): give it "
                + "again, --set spark.conf.spark.hadoop.fs.s3a.secret.key=VALUE", err.toString().strip());
        assertEquals(before, files(output), "nothing in the output changed");

        err.getBuffer().setLength(0);
        assertEquals(GalapagosCli.BAD_INPUT, cli("resume", output.toString(),
                "--set", "spark.conf.spark.hadoop.fs.s3a.secret.key=" + YAML_SECRET));
        assertTrue(err.toString().contains("spark.conf.spark.ssl.keyStorePassword: is a secret"), err::toString);

        err.getBuffer().setLength(0);
        assertEquals(0, cli("resume", output.toString(), "--set", "spark.conf.spark.hadoop.fs.s3a.secret.key="
                + YAML_SECRET, "--set", SET), err::toString);
        Map<String, String> after = files(output);
        assertTrue(after.containsKey("journal.2.jsonl"), after.keySet()::toString);
        assertEquals(before.get("config.yaml"), after.get("config.yaml"), "the secrets given again are not saved");
        after.forEach(SecretsInOutputTest::assertNoSecret);

        // with its own file, which holds the secret, run --resume needs nothing more
        Files.write(journal, lines.subList(0, lines.size() - 3));
        Files.delete(output.resolve("journal.2.jsonl"));
        assertEquals(0, cli("run", config.toString(), "--output", output.toString(), "--resume", "--set", SET), err::toString);
    }
}
