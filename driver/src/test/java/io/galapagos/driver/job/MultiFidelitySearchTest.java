package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.config.ConfigLoader;
import io.galapagos.driver.results.RunOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hyperband over real DL4J training through {@link SearchJob}, in process, on a slice of the shipped
 * Fashion-MNIST subset: promoted candidates continue their lower level's checkpoint from the output's
 * {@code checkpoints/} folder, in the session that wrote it and in a resumed one, which ends with the results of
 * an uninterrupted search.
 */
@Timeout(300)
class MultiFidelitySearchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();
    private static final List<Integer> EPOCHS = List.of(1, 2, 4);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private SearchJob job(String... overrides) {
        String yaml = """
                name: mf
                seed: 11
                trials: 14
                executor: in_process
                parallelism: 1
                scheduling: {batching: off}
                strategy: {kind: hyperband, fidelities: 3, eta: 2, inner: random}
                space: {min_blocks: 1, max_blocks: 2, layers: [dense], dense_units: [8, 16, 32],
                        activations: [relu, tanh], batch_norm: [false], dropout: [0.0, 0.25]}
                data:
                  train_images: %1$s/train-images-idx3-ubyte.gz
                  train_labels: %1$s/train-labels-idx1-ubyte.gz
                  test_images: %1$s/t10k-images-idx3-ubyte.gz
                  test_labels: %1$s/t10k-labels-idx1-ubyte.gz
                  train_limit: 300
                  validation_fraction: 0.2
                training: {epochs: 4, fidelity_epochs: [1, 2, 4], batch_size: 32, learning_rate: 0.005,
                           latency_repeats: 1}
                """.formatted(DATA);
        ConfigLoader.Loaded loaded = ConfigLoader.parse("mf.yaml", yaml, dir, List.of(overrides));
        return new SearchJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(console, true,
                StandardCharsets.UTF_8));
    }

    @Test
    void promotedCandidatesContinueTheirLowerLevelsCheckpoints() throws Exception {
        Path output = dir.resolve("run");
        job().run(output.toString(), null);
        List<JsonNode> first = results(output);
        assertEquals(14, first.size(), console::toString);
        List<JsonNode> continued = checkContinuations(first);
        assertFalse(continued.isEmpty(), "some promotion continued a checkpoint: " + first);
        for (JsonNode r : continued) {
            int from = r.get("metrics").get("continued_from_epochs").asInt();
            String line = r.get("trial").asText() + " val_accuracy " + String.format(Locale.ROOT, "%.4f",
                    r.get("metrics").get("val_accuracy").asDouble()) + " at level " + r.get("fidelity").asInt()
                    + " (continued after " + from + (from == 1 ? " epoch)" : " epochs)");
            assertTrue(console.toString().contains(line), "progress line '" + line + "' in " + console);
        }

        // every level below the last that completed left its checkpoint, named by architecture and level
        Path checkpoints = output.resolve(RunOutput.CHECKPOINTS);
        for (JsonNode r : first) {
            int level = r.path("fidelity").asInt(-1);
            String file = checkpointName(r.get("architecture").asText(), level);
            boolean saved = r.get("status").asText().equals("completed") && level >= 0 && level < EPOCHS.size() - 1;
            assertEquals(saved, Files.exists(checkpoints.resolve(file)), file + " for " + r);
        }
        try (Stream<Path> files = Files.list(checkpoints)) {
            assertTrue(files.allMatch(f -> f.getFileName().toString().matches("[0-9a-f]{16}-L[01]\\.zip")),
                    "only level 0 and 1 checkpoints, no temporary files");
        }

        // The same search stopped right before its first continuing promotion, then resumed: that promotion
        // runs in the second session and continues the checkpoint the first one wrote, and the search ends
        // with the uninterrupted one's results.
        JsonNode promotion = continued.get(0);
        Path stopped = dir.resolve("stopped");
        job("trials=" + promotion.get("number").asInt()).run(stopped.toString(), null);
        assertTrue(SearchJob.of(stopped.toString(), List.of("trials=14"), new PrintStream(console, true,
                StandardCharsets.UTF_8)).resume(stopped.toString()).isPresent());
        List<JsonNode> resumed = results(stopped);
        assertEquals(first.size(), resumed.size());
        for (int i = 0; i < first.size(); i++) {
            assertEquals(outcome(first.get(i)), outcome(resumed.get(i)), "trial " + i);
        }
        assertEquals(promotion.get("metrics").get("continued_from_epochs"),
                resumed.get(promotion.get("number").asInt()).get("metrics").get("continued_from_epochs"));
    }

    /** What a result says about its training, without what depends on the clock. */
    private static String outcome(JsonNode result) {
        JsonNode m = result.get("metrics");
        return String.join(" ", result.get("architecture").asText(), result.path("fidelity").asText(),
                result.get("status").asText(), m.path("val_accuracy").asText(), m.path("test_accuracy").asText(),
                m.path("epochs").asText(), m.path("continued_from_epochs").asText());
    }

    /**
     * Checks every result's epochs and continuation against the journal before it, and returns those that
     * continued: a level's epochs in all, continued from a lower level that completed earlier for the same
     * architecture, and level-0 and scratch trainings from 0.
     */
    private static List<JsonNode> checkContinuations(List<JsonNode> results) {
        Map<String, List<Integer>> completedLevels = new HashMap<>();
        List<JsonNode> continued = new ArrayList<>();
        for (JsonNode r : results) {
            String architecture = r.get("architecture").asText();
            int level = r.get("fidelity").asInt();
            JsonNode metrics = r.get("metrics");
            if (r.get("status").asText().equals("completed")) {
                assertEquals(EPOCHS.get(level), metrics.get("epochs").asInt(), r.toString());
                int from = metrics.get("continued_from_epochs").asInt();
                if (from > 0) {
                    int lower = EPOCHS.indexOf(from);
                    assertTrue(lower >= 0 && lower < level, r.toString());
                    assertTrue(completedLevels.getOrDefault(architecture, List.of()).contains(lower),
                            "continued a level that completed before: " + r);
                    continued.add(r);
                } else if (level > 0) {
                    // trained from scratch only when no lower level of it had completed (Hyperband's bracket
                    // s starts architectures at level s)
                    assertTrue(completedLevels.getOrDefault(architecture, List.of()).isEmpty(), r.toString());
                }
                completedLevels.computeIfAbsent(architecture, a -> new ArrayList<>()).add(level);
            }
        }
        return continued;
    }

    private static String checkpointName(String architecture, int level) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256")
                .digest(architecture.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash).substring(0, 16) + "-L" + level + ".zip";
    }

    private static List<JsonNode> results(Path output) throws IOException {
        List<JsonNode> results = new ArrayList<>();
        try (Stream<Path> files = Files.list(output)) {
            for (Path journal : files.filter(f -> f.getFileName().toString().matches("journal(\\.\\d+)?\\.jsonl"))
                    .sorted().toList()) {
                for (String line : Files.readAllLines(journal)) {
                    JsonNode record = JSON.readTree(line);
                    if (record.get("type").asText().equals("result")) {
                        results.add(record);
                    }
                }
            }
        }
        results.sort((a, b) -> a.get("trial").asText().compareTo(b.get("trial").asText()));
        return results;
    }
}
