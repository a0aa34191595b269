package io.galapagos.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.SearchConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler files of {@code deploy/}: the Spark operator's SparkApplication and ScheduledSparkApplication run our
 * main class with a command line our CLI accepts, and do not drift apart; the Airflow DAG compiles; the example
 * configuration loads. Their full check
 * against the operator's CRD schemas needs the CRDs, which are not in this repository: deploy/README.md gives the
 * command ({@code deploy/kubernetes/check-against-crd.py}).
 */
class NightlySchedulesTest {

    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode manifest(String name) throws IOException {
        return YAML.readTree(DEPLOY.resolve("kubernetes").resolve(name).toFile());
    }

    @Test
    void theSparkApplicationRunsTonightsSearchOfTheSeries() throws IOException {
        JsonNode app = manifest("spark-application.yaml");
        assertEquals("sparkoperator.k8s.io/v1beta2", app.path("apiVersion").asText());
        assertEquals("SparkApplication", app.path("kind").asText());
        JsonNode spec = app.path("spec");
        assertEquals("Java", spec.path("type").asText());
        assertEquals("cluster", spec.path("mode").asText());
        assertTrue(spec.path("sparkVersion").asText().startsWith("3.5."), spec.path("sparkVersion").asText());
        assertEquals(GalapagosCli.class.getName(), spec.path("mainClass").asText());
        assertTrue(spec.path("mainApplicationFile").asText().startsWith("local:///"), "a jar inside the image");
        assertEquals("OnFailure", spec.path("restartPolicy").path("type").asText(), "a dead driver is started again");
        assertTrue(spec.path("restartPolicy").path("onFailureRetries").asInt() > 0);

        List<String> arguments = new ArrayList<>();
        spec.path("arguments").forEach(a -> arguments.add(a.asText()));
        CommandLine.ParseResult parsed = GalapagosCli.commandLine().parseArgs(arguments.toArray(String[]::new));
        CommandLine.ParseResult run = parsed.subcommand();
        assertEquals("run", run.commandSpec().name());
        assertEquals("hdfs:///nas/runs", run.matchedOptionValue("--nightly", ""));
        String config = run.matchedPositionalValue(0, Path.of("")).toString();
        JsonNode mounts = spec.path("driver").path("volumeMounts");
        assertTrue(config.startsWith(mounts.path(0).path("mountPath").asText() + "/"),
                "the configuration is read from the mounted ConfigMap: " + config);
        assertEquals(mounts.path(0).path("name").asText(), spec.path("volumes").path(0).path("name").asText());
    }

    @Test
    void theExampleConfigurationLoadsAndKeepsItsNightsShort() {
        SearchConfig config = ConfigLoader.load(DEPLOY.resolve("nightly.yaml"), List.of()).config();
        assertTrue(config.maxTime().toMinutes() > 0, "a night ends on its time budget");
        assertTrue(config.trainer() instanceof Dl4jTrainerConfig images && images.data().trainImages().startsWith("hdfs:"),
                "every executor reads the data from HDFS");
    }

    @Test
    void theScheduleRunsTheSameSpecEveryNightOneAtATime() throws IOException {
        JsonNode scheduled = manifest("scheduled-spark-application.yaml");
        assertEquals("sparkoperator.k8s.io/v1beta2", scheduled.path("apiVersion").asText());
        assertEquals("ScheduledSparkApplication", scheduled.path("kind").asText());
        JsonNode spec = scheduled.path("spec");
        assertEquals(5, spec.path("schedule").asText().split(" ").length, "a cron expression");
        assertEquals("Forbid", spec.path("concurrencyPolicy").asText());
        assertEquals(manifest("spark-application.yaml").path("spec"), spec.path("template"),
                "the one-off SparkApplication and the nightly template must stay the same");
    }

    @Test
    void theAirflowDagCompiles() throws Exception {
        Path dag = DEPLOY.resolve("airflow").resolve("nightly_search.py");
        String source = Files.readString(dag);
        assertTrue(source.contains("SparkSubmitOperator(") && source.contains("\"--nightly\"")
                && source.contains("\"{{ ds }}\"") && source.contains(GalapagosCli.class.getName()), source);
        // compile() checks the syntax without importing Airflow and without writing __pycache__ into deploy/
        Process python = new ProcessBuilder("python3", "-c",
                "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')", dag.toString())
                .redirectErrorStream(true).start();
        assertTrue(python.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, python.exitValue(), new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
