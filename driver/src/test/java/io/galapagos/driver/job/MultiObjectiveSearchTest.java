package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.config.ConfigLoader;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NSGA-II on real DL4J training, in process, on a slice of the shipped Fashion-MNIST subset, with accuracy, parameter
 * bytes and latency as objectives: {@code pareto.csv} holds exactly the completed results no other completed result
 * beats on all three, and the journal's summary has the front's size, hypervolume and reference point.
 */
@Timeout(300)
class MultiObjectiveSearchTest {

    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OBJECTIVES = List.of(Metrics.VAL_ACCURACY, Metrics.PARAM_BYTES,
            Metrics.LATENCY_MS);

    @TempDir
    Path dir;

    @Test
    void theParetoFileHoldsTheNonDominatedResultsAndTheSummaryItsHypervolume() throws Exception {
        String yaml = """
                name: front
                seed: 11
                trials: 8
                executor: in_process
                parallelism: 1
                strategy: {kind: nsga2, population: 4}
                space: {min_blocks: 1, max_blocks: 2, layers: [dense], dense_units: [4, 16, 64],
                        activations: [relu, tanh], batch_norm: [false], dropout: [0.0]}
                data:
                  train_images: %1$s/train-images-idx3-ubyte.gz
                  train_labels: %1$s/train-labels-idx1-ubyte.gz
                  test_images: %1$s/t10k-images-idx3-ubyte.gz
                  test_labels: %1$s/t10k-labels-idx1-ubyte.gz
                  train_limit: 200
                  validation_fraction: 0.2
                training: {epochs: 1, batch_size: 32, latency_repeats: 3}
                objectives: {minimize: [param_bytes, latency_ms], reference: {latency_ms: 50}}
                constraints: {max_param_bytes: 300000}
                """.formatted(DATA);
        ConfigLoader.Loaded loaded = ConfigLoader.parse("front.yaml", yaml, dir, List.of());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<TrialResult> results = new SearchJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(console,
                true, StandardCharsets.UTF_8)).run(dir.resolve("out").toString(), null).results();

        List<TrialResult> completed = results.stream().filter(r -> r instanceof TrialResult.Completed).toList();
        Set<String> nonDominated = new TreeSet<>();
        for (TrialResult p : completed) {
            if (completed.stream().noneMatch(q -> dominates(q, p))) {
                nonDominated.add(p.candidate().trialId());
            }
        }
        List<String> rows = Files.readAllLines(dir.resolve("out").resolve("pareto.csv"));
        assertTrue(rows.get(0).startsWith("rank,trial,status,val_accuracy,test_accuracy,params,flops,latency_ms,"
                + "param_bytes,inference_peak_bytes"), rows.get(0));
        Set<String> listed = new TreeSet<>();
        rows.subList(1, rows.size()).forEach(row -> listed.add(row.split(",")[1]));
        assertTrue(!nonDominated.isEmpty() && completed.size() >= 2, console::toString);
        assertEquals(nonDominated, listed);

        JsonNode summary = null;
        JsonNode header = null;
        for (String line : Files.readAllLines(dir.resolve("out").resolve("journal.jsonl"))) {
            JsonNode record = JSON.readTree(line);
            summary = record.get("type").asText().equals("summary") ? record : summary;
            header = record.get("type").asText().equals("study") ? record : header;
        }
        assertEquals(OBJECTIVES, JSON.convertValue(header.get("objectives"), List.class));
        assertEquals(listed.size(), summary.get("pareto_size").asInt());
        assertTrue(summary.get("hypervolume").asDouble() > 0, summary.toString());
        JsonNode reference = summary.get("hypervolume_reference");
        assertEquals(0, reference.get(Metrics.VAL_ACCURACY).asDouble());
        assertEquals(300000, reference.get(Metrics.PARAM_BYTES).asDouble(), "the constraint's bound");
        assertEquals(50, reference.get(Metrics.LATENCY_MS).asDouble(), "the configured reference");
        assertTrue(console.toString().contains("Pareto front (val_accuracy up, param_bytes down, latency_ms down): "
                + listed.size() + " of " + completed.size() + " results"), console::toString);
    }

    /** Whether {@code a} is no worse than {@code b} on every objective and better on one. */
    private static boolean dominates(TrialResult a, TrialResult b) {
        boolean better = false;
        for (String metric : OBJECTIVES) {
            double sign = metric.equals(Metrics.VAL_ACCURACY) ? 1 : -1;
            double x = sign * a.metrics().require(metric);
            double y = sign * b.metrics().require(metric);
            if (x < y) {
                return false;
            }
            better |= x > y;
        }
        return better;
    }
}
