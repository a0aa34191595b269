package io.galapagos.driver.oneshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.config.ConfigLoader;
import io.galapagos.driver.results.OutputException;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
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
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A DARTS search of two seeds through its two phases on Spark {@code local[2]}, on 200 images of the shipped
 * Fashion-MNIST subset; then a driver killed after one seed's last epoch was journaled but not the other's (whose
 * checkpoint already held it), resumed: that epoch is answered from its checkpoint with the same values, no epoch is
 * trained again, and the retraining runs; a damaged checkpoint stops a resume before anything trains.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DartsJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();
    private static final String CONFIG = """
            name: darts-test
            seed: 4
            parallelism: 2
            scheduling: {mode: ordered}
            strategy: {kind: darts}
            space: {kind: nb201}
            darts: {seeds: 2, epochs: 2, warmup_epochs: 1, batch_size: 32, learning_rate: 0.05, alpha_learning_rate: 0.003,
                    remedy: auxiliary_skip}
            data:
              train_images: %1$s/train-images-idx3-ubyte.gz
              train_labels: %1$s/train-labels-idx1-ubyte.gz
              test_images: %1$s/t10k-images-idx3-ubyte.gz
              test_labels: %1$s/t10k-labels-idx1-ubyte.gz
              validation_fraction: 0.2
              train_limit: 200
            training: {epochs: 1, batch_size: 32, cell_channels: 2, cells_per_stage: 1, cell_reduction: pool,
                       latency_repeats: 1}
            spark: {master: "local[2]", conf: {spark.driver.host: 127.0.0.1, spark.driver.bindAddress: 127.0.0.1}}
            """.formatted(DATA);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private DartsJob job() {
        ConfigLoader.Loaded loaded = ConfigLoader.parse("darts.yaml", CONFIG, dir, List.of());
        return new DartsJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(console, true,
                StandardCharsets.UTF_8));
    }

    private static List<JsonNode> records(Path journal) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(journal)) {
            records.add(JSON.readTree(line));
        }
        return records;
    }

    private static List<JsonNode> ofType(List<JsonNode> records, String type) {
        return records.stream().filter(r -> r.path("type").asText().equals(type)).toList();
    }

    @Test
    void searchesEverySeedEpochByEpochRetrainsTheDerivedCellsAndResumesWithoutTrainingTwice() throws Exception {
        Path out = dir.resolve("out");
        job().run(out.toString());

        List<JsonNode> records = records(out.resolve("journal.jsonl"));
        List<JsonNode> epochs = ofType(records, DartsJob.EPOCH_RECORD);
        assertEquals(4, epochs.size(), "two seeds of two epochs");
        for (JsonNode e : epochs) {
            assertTrue(e.path("trained").asBoolean());
            CellArchitecture derived = CellArchitecture.parse(e.path("derived").asText());
            Iterator<String> edges = e.path("alpha").fieldNames();
            int edge = 0;
            for (; edges.hasNext(); edge++) {
                JsonNode shares = e.path("alpha").path(edges.next());
                double sum = 0;
                String strongest = null;
                for (Iterator<String> ops = shares.fieldNames(); ops.hasNext(); ) {
                    String op = ops.next();
                    sum += shares.path(op).asDouble();
                    if (!op.equals("none") && (strongest == null
                            || shares.path(op).asDouble() > shares.path(strongest).asDouble())) {
                        strongest = op;
                    }
                }
                assertEquals(1.0, sum, 1e-5, "softmax(alpha) of edge " + edge);
                assertEquals(strongest, derived.edges().get(edge).text(), "the derived cell takes the largest alpha but none's");
            }
            assertEquals(CellArchitecture.EDGES, edge);
            assertEquals(derived.edges().stream().filter(CellOperation::parameterFree).count(),
                    e.path("parameter_free_edges").asLong());
        }
        assertEquals(List.of(1.0, 0.5), epochs.stream().filter(e -> e.path("search").asInt() == 0)
                .map(e -> e.path("aux_skip").asDouble()).toList(), "DARTS-'s skip weight decays from 1 by 1/epochs");
        assertEquals(List.of(true, false), epochs.stream().filter(e -> e.path("search").asInt() == 1)
                .map(e -> e.path("warm_up").asBoolean()).toList(), "the first epoch warms the weights up");

        Set<CellArchitecture> derived = epochs.stream().filter(e -> e.path("epoch").asInt() == 2)
                .map(e -> CellArchitecture.parse(e.path("derived").asText()).effective()).collect(Collectors.toSet());
        List<JsonNode> retrained = ofType(records, "result");
        assertEquals(derived, retrained.stream().map(r -> CellArchitecture.parse(r.path("architecture").asText())
                .effective()).collect(Collectors.toSet()), "each distinct derived cell is retrained once");
        JsonNode best = JSON.readTree(out.resolve("best.json").toFile());
        double bestVal = retrained.stream().mapToDouble(r -> r.path("metrics").path("val_accuracy").asDouble())
                .max().orElseThrow();
        assertEquals(bestVal, best.path("metrics").path("val_accuracy").asDouble(), 1e-12);
        assertTrue(Files.readString(out.resolve("report.html")).contains(best.path("architecture").asText()),
                "the report, the answer among its results");

        JsonNode trajectory = JSON.readTree(out.resolve(DartsJob.TRAJECTORY).toFile());
        assertEquals("auxiliary_skip", trajectory.path("remedy").asText());
        assertEquals(2, trajectory.path("seeds").size());
        for (JsonNode seed : trajectory.path("seeds")) {
            assertEquals(2, seed.path("trajectory").size());
            assertEquals(seed.path("trajectory").get(1).path("derived").asText(), seed.path("derived").asText());
            assertTrue(seed.path("retrained").has("test_accuracy"), seed.toString());
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        for (String line : List.of("Phase 1 of 2, DARTS search", "seed 0 epoch 1/2", "seed 1 epoch 2/2",
                "Phase 2 of 2, stand-alone retraining", "Answer: ")) {
            assertTrue(printed.contains(line), line + " in\n" + printed);
        }
        assertTrue(Files.exists(out.resolve("darts").resolve("seed-0.zip")));

        // a driver killed after seed 0's last epoch was journaled, before seed 1's (its checkpoint holds it)
        JsonNode lost = epochs.stream().filter(e -> e.path("search").asInt() == 1 && e.path("epoch").asInt() == 2)
                .findFirst().orElseThrow();
        List<String> lines = Files.readAllLines(out.resolve("journal.jsonl"));
        int cut = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode r = JSON.readTree(lines.get(i));
            if (r.path("type").asText().equals(DartsJob.EPOCH_RECORD) && r.path("search").asInt() == 0
                    && r.path("epoch").asInt() == 2) {
                cut = i + 1;
            }
        }
        Files.write(out.resolve("journal.jsonl"), lines.subList(0, cut));
        console.reset();
        job().resume(out.toString());
        List<JsonNode> second = records(out.resolve("journal.2.jsonl"));
        List<JsonNode> again = ofType(second, DartsJob.EPOCH_RECORD);
        assertEquals(1, again.size(), "only the epoch the journal lost: " + again);
        assertFalse(again.get(0).path("trained").asBoolean(), "answered from its checkpoint");
        for (String field : List.of("search", "epoch", "train_loss", "held_out_accuracy", "alpha", "derived")) {
            assertTrue(lost.has(field), field);
            assertEquals(lost.path(field), again.get(0).path(field), field);
        }
        assertEquals(retrained.size(), ofType(second, "result").size());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("2 seed checkpoint(s) continue"),
                console.toString(StandardCharsets.UTF_8));

        console.reset();
        Files.delete(out.resolve("report.html")); // the driver died right after the journal's summary
        job().resume(out.toString());
        assertTrue(Files.exists(out.resolve("report.html")), "the report written at the resume");
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("is finished"));
        assertFalse(Files.exists(out.resolve("journal.3.jsonl")), "a finished search is left as it is");
    }

    /** Its journal's epochs have no held-out loss: alpha learnt from the validation split, which this version keeps. */
    @Test
    void aSearchOfAnEarlierVersionIsNotContinued() throws Exception {
        Path out = dir.resolve("earlier");
        ConfigLoader.Loaded loaded = ConfigLoader.parse("darts.yaml", CONFIG, dir, List.of());
        Files.createDirectories(out);
        Files.writeString(out.resolve("config.yaml"), loaded.effectiveYaml());
        Files.writeString(out.resolve("journal.jsonl"), "{\"type\":\"study\"}\n{\"type\":\"darts-epoch\","
                + "\"search\":0,\"epoch\":1,\"train_loss\":2.1,\"val_loss\":2.2,\"derived\":\"|none~0|+|none~0|"
                + "none~1|+|none~0|none~1|none~2|\"}\n");
        OutputException e = assertThrows(OutputException.class, () -> job().resume(out.toString()));
        assertTrue(e.getMessage().endsWith("a DARTS search of an earlier version of Galapagos, whose alpha learnt from "
                + "the validation split; this version learns it from half of the training split and cannot continue "
                + "it: run the search again in another output"), e.getMessage());
        assertFalse(Files.exists(out.resolve("journal.2.jsonl")), "nothing started");
    }

    @Test
    void aDamagedCheckpointStopsAResumeBeforeAnythingTrains() throws Exception {
        Path out = dir.resolve("damaged");
        Files.createDirectories(out.resolve("darts"));
        ConfigLoader.Loaded loaded = ConfigLoader.parse("darts.yaml", CONFIG, dir, List.of());
        Files.writeString(out.resolve("config.yaml"), loaded.effectiveYaml());
        Files.writeString(out.resolve("journal.jsonl"), "{\"type\":\"study\"}\n");
        Files.write(out.resolve("darts").resolve("seed-1.zip"), new byte[]{1, 2, 3, 4});
        OutputException e = assertThrows(OutputException.class, () -> job().resume(out.toString()));
        assertTrue(e.getMessage().contains("seed-1.zip: damaged or unreadable")
                || e.getMessage().contains("seed-1.zip: not a DARTS search checkpoint"), e.getMessage());
        assertFalse(Files.exists(out.resolve("journal.2.jsonl")), "nothing started");
    }
}
