package io.galapagos.driver.oneshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.benchmark.TauInterval;
import io.galapagos.config.ConfigLoader;
import io.galapagos.driver.job.SearchJob;
import io.galapagos.driver.results.OutputException;
import io.galapagos.space.CellArchitecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A weight-sharing search through its three phases on Spark {@code local[2]}, on 300 images of the shipped
 * Fashion-MNIST subset, with a supernet of two operations; then a driver killed after the search on shared weights
 * (simulated by cutting the journal there) resumed: the supernet is not trained again, every recorded measurement
 * and training answers its cell again with the same values, and only what was missing is trained. Its output
 * cannot warm-start a search that trains every candidate.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OneShotJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();
    private static final String CONFIG = """
            name: oneshot-test
            seed: 4
            trials: 8
            parallelism: 2
            scheduling: {mode: steady}
            strategy: {kind: evolution, population: 4, sample_size: 2}
            space: {kind: nb201, operations: [skip_connect, nor_conv_3x3]}
            oneshot: {epochs: 1, batch_size: 32, learning_rate: 0.05, calibration_batches: 2, retrain_top: 2,
                      correlation_sample: 4}
            data:
              train_images: %1$s/train-images-idx3-ubyte.gz
              train_labels: %1$s/train-labels-idx1-ubyte.gz
              test_images: %1$s/t10k-images-idx3-ubyte.gz
              test_labels: %1$s/t10k-labels-idx1-ubyte.gz
              validation_fraction: 0.2
              train_limit: 300
            training: {epochs: 1, batch_size: 32, cell_channels: 2, cells_per_stage: 1, latency_repeats: 1}
            spark: {master: "local[2]", conf: {spark.driver.host: 127.0.0.1, spark.driver.bindAddress: 127.0.0.1}}
            """.formatted(DATA);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private OneShotJob job(String... overrides) {
        ConfigLoader.Loaded loaded = ConfigLoader.parse("oneshot.yaml", CONFIG, dir, List.of(overrides));
        return new OneShotJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private static List<JsonNode> records(Path journal) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(journal)) {
            records.add(JSON.readTree(line));
        }
        return records;
    }

    private static List<JsonNode> results(List<JsonNode> records, String phase) {
        return records.stream().filter(r -> r.path("type").asText().equals("result")
                && r.path("phase").asText().equals(phase)).toList();
    }

    /** Validation accuracy by architecture. */
    /** A filter passing the first cell of each effective cell. */
    private static Predicate<String> distinctFunctions() {
        Set<CellArchitecture> seen = new HashSet<>();
        return cell -> seen.add(CellArchitecture.parse(cell).effective());
    }

    private static Map<String, Double> accuracies(List<JsonNode> results) {
        Map<String, Double> byCell = new HashMap<>();
        results.forEach(r -> byCell.put(r.path("architecture").asText(), r.path("metrics").path("val_accuracy").asDouble()));
        return byCell;
    }

    @Test
    void threePhasesThenAResumeThatTrainsNothingTwice() throws Exception {
        Path out = dir.resolve("out");
        job().run(out.toString());

        List<JsonNode> records = records(out.resolve("journal.jsonl"));
        JsonNode supernet = records.stream().filter(r -> r.path("type").asText().equals("supernet")).findFirst()
                .orElseThrow();
        assertEquals("one-shot.zip", supernet.path("file").asText());
        assertEquals(0, supernet.path("from_epoch").asInt());
        assertEquals(1, supernet.path("epochs").asInt());
        List<JsonNode> searched = results(records, "search");
        List<JsonNode> sampled = results(records, "correlation-sample");
        List<JsonNode> retrained = results(records, "retrain");
        assertEquals(8, searched.size());
        // told in trial order whatever the mode (steady here), so that a resume asks the strategy what this run asked
        assertEquals(searched.stream().map(r -> r.path("trial").asText()).sorted().toList(),
                searched.stream().map(r -> r.path("trial").asText()).toList());
        assertEquals(4, sampled.size());
        for (JsonNode r : searched) {
            assertEquals("supernet", r.path("fidelity").asText(), "measured on shared weights: " + r);
        }
        for (JsonNode r : retrained) {
            assertTrue(r.path("fidelity").isMissingNode(), "trained stand-alone: " + r);
            assertTrue(r.path("metrics").has("test_accuracy"), r.toString());
        }
        Map<String, Double> onSupernet = accuracies(searched);
        List<String> ranked = onSupernet.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).map(Map.Entry::getKey).toList();
        List<String> top = ranked.stream().filter(distinctFunctions()).limit(2).toList();
        Map<String, Double> standAlone = accuracies(retrained);
        assertTrue(standAlone.keySet().containsAll(accuracies(sampled).keySet()), "the sample is trained stand-alone");
        // the best two functions on shared weights are retrained, one cell each (ties at the cut may pick another
        // cell of equal accuracy)
        double cut = onSupernet.get(top.get(1));
        long retrainedTop = standAlone.keySet().stream().filter(c -> onSupernet.getOrDefault(c, -1.0) >= cut)
                .map(c -> CellArchitecture.parse(c).effective()).distinct().count();
        assertTrue(retrainedTop >= 2, "retrained " + standAlone.keySet() + ", best on shared weights " + top);

        JsonNode best = JSON.readTree(out.resolve("best.json").toFile());
        String answer = best.path("architecture").asText();
        assertTrue(onSupernet.containsKey(answer) && onSupernet.get(answer) >= cut, "the answer is a retrained top cell");
        JsonNode ranking = JSON.readTree(out.resolve("ranking.json").toFile());
        assertEquals(4, ranking.path("sample").asInt() + ranking.path("left_out").asInt());
        List<Double> supernetAccuracies = new ArrayList<>();
        List<Double> standAloneAccuracies = new ArrayList<>();
        for (JsonNode cell : ranking.path("cells")) {
            String architecture = cell.path("architecture").asText();
            assertEquals(accuracies(sampled).get(architecture), cell.path("supernet").asDouble(), 1e-12);
            assertEquals(standAlone.get(architecture), cell.path("stand_alone").asDouble(), 1e-12);
            supernetAccuracies.add(cell.path("supernet").asDouble());
            standAloneAccuracies.add(cell.path("stand_alone").asDouble());
        }
        TauInterval interval = TauInterval.of(supernetAccuracies.stream().mapToDouble(Double::doubleValue).toArray(),
                standAloneAccuracies.stream().mapToDouble(Double::doubleValue).toArray());
        assertEquals(interval.low(), ranking.path("kendall_tau_95").path("low").asDouble(), 1e-12);
        assertEquals(interval.high(), ranking.path("kendall_tau_95").path("high").asDouble(), 1e-12);
        assertTrue(Files.readString(out.resolve("supernet-leaderboard.csv")).lines().count() == 9, "header and 8 cells");
        assertTrue(Files.readString(out.resolve("report.html")).contains(answer), "the report, the answer among its results");
        String text = console.toString(StandardCharsets.UTF_8);
        for (String phase : List.of("Phase 1 of 3, supernet training", "Phase 2 of 3, search on shared weights",
                "Phase 3 of 3, stand-alone retraining", "Ranking of ", "95% bootstrap interval",
                "Answer: " + answer)) {
            assertTrue(text.contains(phase), phase + " in:\n" + text);
        }

        // a driver killed during retraining: the journal ends after the second retrained result
        List<String> lines = Files.readAllLines(out.resolve("journal.jsonl"));
        int kept = 0;
        int seen = 0;
        while (seen < 2) {
            JsonNode r = JSON.readTree(lines.get(kept++));
            if (r.path("type").asText().equals("result") && r.path("phase").asText().equals("retrain")) {
                seen++;
            }
        }
        Files.write(out.resolve("journal.jsonl"), lines.subList(0, kept));
        Files.delete(out.resolve("best.json"));
        Files.delete(out.resolve("ranking.json"));
        job().resume(out.toString());

        List<JsonNode> second = records(out.resolve("journal.2.jsonl"));
        JsonNode again = second.stream().filter(r -> r.path("type").asText().equals("supernet")).findFirst().orElseThrow();
        assertEquals(1, again.path("from_epoch").asInt(), "the supernet was not trained again");
        assertEquals(onSupernet, accuracies(results(second, "search")), "measurements match");
        Map<String, String> executors = results(second, "retrain").stream().collect(Collectors.toMap(
                r -> r.path("architecture").asText(), r -> r.path("executor").asText()));
        assertEquals(standAlone.keySet(), executors.keySet());
        assertEquals(2, executors.values().stream().filter("cache"::equals).count(),
                "the two recorded trainings answered from the journal, the others trained: " + executors);
        for (JsonNode r : results(second, "search")) {
            assertEquals("cache", r.path("executor").asText());
        }
        assertTrue(Files.exists(out.resolve("best.json")) && Files.exists(out.resolve("ranking.json")));

        ConfigLoader.Loaded trained = ConfigLoader.parse("trained.yaml", CONFIG.replaceAll("(?s)oneshot: \\{.*?}\n", ""),
                dir, List.of());
        OutputException warm = assertThrows(OutputException.class, () -> new SearchJob(trained.config(),
                trained.effectiveYaml(), new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(dir.resolve("warm").toString(), out.toString()));
        assertTrue(warm.getMessage().contains("holds a weight-sharing search"), warm.getMessage());

        console.reset();
        Files.delete(out.resolve("report.html")); // the driver died right after the journal's summary
        job().resume(out.toString());
        assertTrue(Files.exists(out.resolve("report.html")), "the report written at the resume");
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("is finished"), console.toString());
        assertFalse(Files.exists(out.resolve("journal.3.jsonl")), "a finished search is left as it is");
    }

    @Test
    void aDamagedSupernetFileStopsAResumeBeforeAnythingTrains() throws Exception {
        Path out = dir.resolve("damaged");
        Files.createDirectories(out.resolve("supernets"));
        ConfigLoader.Loaded loaded = ConfigLoader.parse("oneshot.yaml", CONFIG, dir, List.of());
        Files.writeString(out.resolve("config.yaml"), loaded.effectiveYaml());
        Files.writeString(out.resolve("journal.jsonl"), "{\"type\":\"study\"}\n");
        Files.write(out.resolve("supernets").resolve("one-shot.zip"), new byte[]{1, 2, 3, 4});
        OutputException e = assertThrows(OutputException.class, () -> job().resume(out.toString()));
        assertTrue(e.getMessage().contains("one-shot.zip: damaged or unreadable")
                || e.getMessage().contains("one-shot.zip: not a supernet checkpoint"), e.getMessage());
        assertFalse(Files.exists(out.resolve("journal.2.jsonl")), "nothing started");
    }

    /** A resume answers recorded measurements and trainings again by architecture: made otherwise, they would mix. */
    @Test
    void aResumeThatWouldTrainOrMeasureOtherwiseIsRefusedBeforeAnythingStarts() throws Exception {
        Path out = dir.resolve("changed");
        Files.createDirectories(out);
        ConfigLoader.Loaded loaded = ConfigLoader.parse("oneshot.yaml", CONFIG, dir, List.of());
        Files.writeString(out.resolve("config.yaml"), loaded.effectiveYaml());
        Files.writeString(out.resolve("journal.jsonl"), "{\"type\":\"study\"}\n");
        OutputException training = assertThrows(OutputException.class,
                () -> job("training.epochs=2").resume(out.toString()));
        assertTrue(training.getMessage().contains("was searched with other data or training settings than this "
                + "configuration's"), training.getMessage());
        OutputException calibration = assertThrows(OutputException.class,
                () -> job("oneshot.calibration_batches=3").resume(out.toString()));
        assertTrue(calibration.getMessage().contains("resume it with its own calibration_batches"),
                calibration.getMessage());
        assertFalse(Files.exists(out.resolve("journal.2.jsonl")), "nothing started");
    }
}
