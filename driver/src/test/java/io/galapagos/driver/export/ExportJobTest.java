package io.galapagos.driver.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.config.ConfigLoader;
import io.galapagos.driver.cli.TestdataFileSystem;
import io.galapagos.driver.cli.GalapagosCli;
import io.galapagos.driver.job.SearchJob;
import io.galapagos.driver.results.OutputException;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.data.IdxReader;
import io.galapagos.worker.data.ImageDataset;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process export of a real (small) search: the model saved is the network trained, restored by DL4J's own
 * {@link ModelSerializer} from DL4J's own layers, it predicts the same classes, and its provenance says what it was
 * made from; and each kind of bad request is refused before anything trains.
 */
class ExportJobTest {

    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path search;

    @BeforeAll
    static void search() throws Exception {
        String yaml = """
                name: exportable
                seed: 3
                trials: 3
                executor: in_process
                parallelism: 1
                space: {min_blocks: 1, max_blocks: 2, layers: [conv, dense], kernel_sizes: [3], filters: [4],
                        dense_units: [8, 16], activations: [relu], batch_norm: [false, true], dropout: [0.0]}
                data:
                  train_images: %1$s/train-images-idx3-ubyte.gz
                  train_labels: %1$s/train-labels-idx1-ubyte.gz
                  test_images: %1$s/t10k-images-idx3-ubyte.gz
                  test_labels: %1$s/t10k-labels-idx1-ubyte.gz
                  train_limit: 300
                training: {epochs: 1, batch_size: 50, latency_repeats: 2}
                spark: {conf: {spark.driver.host: 127.0.0.1, spark.driver.bindAddress: 127.0.0.1}}
                """.formatted(DATA);
        ConfigLoader.Loaded loaded = ConfigLoader.parse("exportable.yaml", yaml, dir, List.of());
        search = dir.resolve("search");
        new SearchJob(loaded.config(), loaded.effectiveYaml(), quiet()).run(search.toString(), null);
        // a trial that failed, as a diverged training is journaled
        Files.writeString(search.resolve("journal.jsonl"), "{\"type\":\"result\",\"trial\":\"trial-0009\","
                + "\"number\":9,\"seed\":9,\"architecture\":\"dense8:relu\",\"status\":\"failed\",\"reason\":\"diverged: "
                + "loss NaN\",\"metrics\":{},\"executor\":\"1\",\"host\":\"h\",\"pid\":1,\"slot\":0,\"started\":"
                + "\"2026-01-01T00:00:00Z\",\"finished\":\"2026-01-01T00:00:01Z\"}\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static ExportJob.Request request(String trial, String modelDir) {
        return new ExportJob.Request(search.toString(), trial, 2, modelDir, "local[1]", null, List.of(), "test");
    }

    @Test
    void anExportTriesTwiceTheTrialsEpochsAndAtLeastOne() {
        Candidate candidate = new Candidate(0, MacroArchitecture.parse("dense8:relu"), 1);
        Execution ran = new Execution("1", "h", 1, Instant.EPOCH, Instant.EPOCH);
        assertEquals(5, ExportJob.defaultEpochs(new TrialResult.Completed(candidate,
                Metrics.EMPTY.with(Metrics.EPOCHS, 2.3), ran), 4));
        assertEquals(8, ExportJob.defaultEpochs(new TrialResult.Completed(candidate, Metrics.EMPTY, ran), 4),
                "without an epochs metric, twice the configured");
        assertEquals(1, ExportJob.defaultEpochs(new TrialResult.Completed(candidate,
                Metrics.EMPTY.with(Metrics.EPOCHS, 0), ran), 4), "cut by its time cap before an epoch ended");
    }

    @Test
    void theSavedModelIsTheTrainedOneAndPlainDl4jRestoresIt() throws Exception {
        Path modelDir = dir.resolve("model");
        // no --epochs, no schedule: the defaults
        ExportJob.Exported exported = ExportJob.run(new ExportJob.Request(search.toString(), null, null,
                modelDir.toString(), "local[1]", null, List.of(), "test"), quiet());

        JsonNode best = JSON.readTree(Files.readString(search.resolve("best.json")));
        assertEquals(best.get("trial").asText(), exported.trial().candidate().trialId(), "the search's answer");
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(modelDir.resolve("model.zip").toFile(),
                false);
        for (GraphVertex vertex : restored.getConfiguration().getVertices().values()) {
            Object piece = vertex instanceof LayerVertex l ? l.getLayerConf().getLayer() : vertex;
            assertTrue(piece.getClass().getName().startsWith("org.deeplearning4j."),
                    "a class plain DL4J does not have: " + piece.getClass().getName());
        }
        assertEquals(exported.network().params(), restored.params());
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(modelDir.resolve("model.zip").toFile())) {
            String configuration = new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertFalse(configuration.contains("io.galapagos"), "the saved configuration names a Galapagos class "
                    + "(the learning rate schedule, say), which plain DL4J cannot load");
        }
        ImageDataset test = IdxReader.read(DATA.resolve("t10k-images-idx3-ubyte.gz").toString(),
                DATA.resolve("t10k-labels-idx1-ubyte.gz").toString());
        ExportedModel.Prediction[] predictions = ExportedModel.open(modelDir.toString(), new Configuration())
                .predict(test, "test images");
        long correct = 0;
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7};
        long[] inMemory = exported.network().output(false, test.features(order, 0, 8))[0].argMax(1).toLongVector();
        for (int i = 0; i < 8; i++) {
            assertEquals(inMemory[i], predictions[i].label(), "image " + i);
        }
        for (int i = 0; i < test.size(); i++) {
            correct += predictions[i].label() == test.label(i) ? 1 : 0;
        }
        assertEquals(exported.testAccuracy(), (double) correct / test.size(), 1e-12);

        JsonNode provenance = JSON.readTree(Files.readString(modelDir.resolve("provenance.json")));
        assertEquals(exported.trial().candidate().architecture().text(), provenance.get("architecture").asText());
        assertEquals(exported.trial().candidate().seed(), provenance.get("seeds").get("trial").asLong());
        assertEquals(exported.trial().candidate().seed(), provenance.get("seeds").get("export").asLong(),
                "without --seed the export trains from the trial's seed");
        assertEquals(300, provenance.get("data").get("train_examples").asInt(), "training and validation examples");
        assertEquals(64, provenance.get("data").get("train_images").get("sha256").asText().length());
        assertEquals(64, provenance.get("config_sha256").asText().length());
        assertEquals(1, exported.trial().metrics().require(Metrics.EPOCHS));
        // up to twice the trial's epochs, trained on the trial's 270 training examples and measured on its 30
        assertEpochsChosenOnValidation(provenance.get("export"));
        assertEquals("[\"training.lr_schedule=cosine\"]", provenance.get("config_overrides").toString(),
                "the learning rate annealed, as a change to the search's settings");
        assertEquals("in-process", provenance.get("export").get("mode").asText());
        assertEquals(exported.testAccuracy(), provenance.get("export").get("test_accuracy").asDouble());
        double p = exported.testAccuracy();
        assertEquals(Math.sqrt(p * (1 - p) / test.size()),
                provenance.get("export").get("test_accuracy_standard_error").asDouble(), 1e-12);
        assertEquals("1.0.0-M2.1", provenance.get("versions").get("deeplearning4j").asText());
        assertTrue(provenance.get("searched").get("metrics").has("test_accuracy"));
    }

    /** Up to twice the trial's one epoch, trained on the trial's 270 training examples and measured on its 30. */
    private static void assertEpochsChosenOnValidation(JsonNode export) {
        JsonNode chosen = export.get("epochs_chosen");
        assertEquals(270, chosen.get("train_examples").asInt());
        assertEquals(30, chosen.get("validation_examples").asInt());
        JsonNode curve = chosen.get("validation_accuracy");
        assertEquals(2, curve.size());
        int bestEpoch = curve.get(1).asDouble() > curve.get(0).asDouble() ? 2 : 1;
        assertEquals(bestEpoch, export.get("epochs").asInt(), "the first epoch of the best accuracy");
        assertEquals(2, chosen.get("most").asInt());
        // the final training's seconds are its own; the whole export's, the epoch choice's included, come beside them
        // (each clock read to the millisecond)
        double training = export.get("seconds").asDouble();
        assertTrue(training > 0 && training + chosen.get("seconds").asDouble()
                <= export.get("total_seconds").asDouble() + 0.002, export.toString());
    }

    @Test
    void aDataParallelExportSharesTheBatchAmongItsSlotsAndChoosesItsEpochsOnItsOwnCurve() throws Exception {
        Path modelDir = dir.resolve("data-parallel");
        ExportJob.run(new ExportJob.Request(search.toString(), null, null, modelDir.toString(), "local[2]", null,
                List.of(), "test"), quiet());
        JsonNode export = JSON.readTree(Files.readString(modelDir.resolve("provenance.json"))).get("export");
        assertTrue(export.get("mode").asText().startsWith("data-parallel"), export.toString());
        assertEquals(25, export.get("batch_size_per_slot").asInt(), "two slots share the configured batch of 50");
        assertEpochsChosenOnValidation(export);
    }

    @Test
    void aNamedTrialIsExportedWhetherNamedByIdOrNumber() throws Exception {
        ExportJob.Exported exported = ExportJob.run(request("1", dir.resolve("by-number").toString()), quiet());
        assertEquals("trial-0001", exported.trial().candidate().trialId());
    }

    @Test
    void aNamedSeedTrainsAnotherDrawOfTheSameNetworkAndIsRecorded() throws Exception {
        ExportJob.Exported trials = ExportJob.run(request("1", dir.resolve("seed-default").toString()), quiet());
        ExportJob.Exported again = ExportJob.run(request("1", dir.resolve("seed-again").toString()), quiet());
        ExportJob.Exported other = ExportJob.run(new ExportJob.Request(search.toString(), "1", 2,
                dir.resolve("seed-7").toString(), "local[1]", 7L, List.of(), "test"), quiet());

        assertEquals(trials.network().params(), again.network().params(), "one seed, one network (one thread)");
        assertNotEquals(trials.network().params(), other.network().params());
        JsonNode seeds = JSON.readTree(Files.readString(dir.resolve("seed-7/provenance.json"))).get("seeds");
        assertEquals(7, seeds.get("export").asLong());
        assertEquals(other.trial().candidate().seed(), seeds.get("trial").asLong());
    }

    /** Data on a file system that only settings given to the export configure (as an s3a key given again there). */
    @Test
    void theDataIsReadWithTheExportsHadoopSettings() throws Exception {
        List<String> overrides = new ArrayList<>();
        for (String file : List.of("train_images: train-images-idx3-ubyte.gz", "train_labels: train-labels-idx1-ubyte.gz",
                "test_images: t10k-images-idx3-ubyte.gz", "test_labels: t10k-labels-idx1-ubyte.gz")) {
            String[] keyAndName = file.split(": ");
            overrides.add("data." + keyAndName[0] + "=" + TestdataFileSystem.SCHEME + "://" + DATA.resolve(keyAndName[1]));
        }
        TestdataFileSystem.SETTINGS.forEach(entry -> overrides.add("spark.conf." + entry.replace(": ", "=")));
        ExportJob.Exported exported = ExportJob.run(new ExportJob.Request(search.toString(), null, 1,
                dir.resolve("m-testdata").toString(), "local[1]", null, overrides, "test"), quiet());
        assertTrue(exported.testAccuracy() > 0, "trained and tested on the data read through testdata:");
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingTrains() throws IOException {
        assertRefused(request("trial-0042", dir.resolve("m1").toString()), "has no result of trial-0042");
        assertRefused(request("3000000000", dir.resolve("m1").toString()), "has no result of 3000000000");
        // a change the export would not make is refused: the provenance would list it as made
        String epochs = "--set: training.epochs: an export chooses its epochs on validation: --epochs N trains N";
        for (String[] unused : new String[][]{
                {"training.epochs=3", epochs},
                {"training={epochs: 3}", epochs},
                {"seed=2", "--set: seed: an export trains from its trial's own seed: --seed S trains another draw"},
                {"space.max_blocks=3", "--set: name, trials, max_minutes, parallelism, executor, strategy, space, "
                        + "scheduling, recovery, oneshot, darts, objectives: settings of the search, which an export does "
                        + "not run"},
                {"name=other", "--set: name, trials, max_minutes, parallelism, executor, strategy, space, "
                        + "scheduling, recovery, oneshot, darts, objectives: settings of the search, which an export does "
                        + "not run"},
                {"constraints.max_mflops=0.1", "--set: training.latency_repeats, constraints: an export measures no "
                        + "latency and screens no network: it retrains the one chosen"},
                {"training.latency_repeats=3", "--set: training.latency_repeats, constraints: an export measures no "
                        + "latency and screens no network: it retrains the one chosen"}}) {
            io.galapagos.config.ConfigException e = assertThrows(io.galapagos.config.ConfigException.class,
                    () -> ExportJob.run(new ExportJob.Request(search.toString(), null, 1, dir.resolve("m3").toString(),
                            "local[1]", null, List.of(unused[0]), "test"), quiet()));
            assertEquals(unused[1], e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("m3")), "nothing was written");
        assertRefused(request("9", dir.resolve("m2").toString()),
                "trial-0009 is failed (diverged: loss NaN): only a completed trial can be exported");
        Path used = Files.createDirectories(dir.resolve("used"));
        Files.writeString(used.resolve("x"), "x");
        assertRefused(request(null, used.toString()), "is used: an export never overwrites");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertRefused(request(null, file.resolve("model").toString()), "cannot be");
        Path unfinished = Files.createDirectories(dir.resolve("no-results"));
        Files.copy(search.resolve("config.yaml"), unfinished.resolve("config.yaml"));
        Files.writeString(unfinished.resolve("journal.jsonl"), Files.readAllLines(search.resolve("journal.jsonl")).get(0)
                + "\n");
        OutputException none = assertThrows(OutputException.class, () -> ExportJob.run(new ExportJob.Request(
                unfinished.toString(), "0", 1, null, "local[1]", null, List.of(), "test"), quiet()));
        assertTrue(none.getMessage().contains("has no result of trial-0000 (its journal holds no result)"),
                none.getMessage());
        Path empty = Files.createDirectories(dir.resolve("no-search"));
        OutputException e = assertThrows(OutputException.class, () -> ExportJob.run(new ExportJob.Request(
                empty.toString(), null, 1, null, "local[1]", null, List.of(), "test"), quiet()));
        assertTrue(e.getMessage().contains("is not the output of a search"), e.getMessage());
        Path synthetic = Files.createDirectories(dir.resolve("synthetic"));
        Files.writeString(synthetic.resolve("config.yaml"), "name: s\ntrials: 2\nsynthetic: {median_seconds: 0}\n");
        Files.copy(search.resolve("journal.jsonl"), synthetic.resolve("journal.jsonl"));
        assertRefused(new ExportJob.Request(synthetic.toString(), null, 1, null, "local[1]", null, List.of(), "test"),
                "was not searched by training networks with DL4J (its trials were simulated)");
        assertTrue(Files.notExists(dir.resolve("m1")) && Files.notExists(dir.resolve("m2")), "nothing was written");
    }

    @Test
    void predictWritesOneLinePerImageWithTheModelsClassesAndRefusesImagesOfAnotherSize() throws Exception {
        Path modelDir = dir.resolve("for-predict");
        ExportJob.Exported exported = ExportJob.run(request(null, modelDir.toString()), quiet());
        Path csv = dir.resolve("predictions.csv");
        String images = DATA.resolve("t10k-images-idx3-ubyte.gz").toString();
        String labels = DATA.resolve("t10k-labels-idx1-ubyte.gz").toString();
        StringWriter err = new StringWriter();
        int code = GalapagosCli.commandLine().setErr(new PrintWriter(err, true)).execute("predict",
                modelDir.toString(), "--images", images, "--labels", labels, "--out", csv.toString());
        assertEquals(0, code, err::toString);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("index,predicted,probability,label", lines.get(0));
        long correct = lines.subList(1, lines.size()).stream().map(l -> l.split(","))
                .filter(f -> f[1].equals(f[3])).count();
        assertEquals(exported.testAccuracy(), (double) correct / (lines.size() - 1), 1e-12);

        Path tiny = Files.write(dir.resolve("tiny-images"), new byte[]{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 7, 9});
        StringWriter refused = new StringWriter();
        assertEquals(2, GalapagosCli.commandLine().setErr(new PrintWriter(refused, true)).execute("predict",
                modelDir.toString(), "--images", tiny.toString()));
        assertEquals("galapagos: error: input " + tiny + ": holds images of 1x1; the model reads 28x28",
                refused.toString().strip());
        Path badLabels = Files.write(dir.resolve("label-200"), new byte[]{0, 0, 8, 1, 0, 0, 0, 1, (byte) 200});
        StringWriter unknown = new StringWriter();
        assertEquals(2, GalapagosCli.commandLine().setErr(new PrintWriter(unknown, true)).execute("predict",
                modelDir.toString(), "--images", images, "--labels", badLabels.toString()));
        assertEquals("galapagos: error: input " + badLabels + ": holds label 200; the model knows the classes 0 to 9",
                unknown.toString().strip());
        String imagesAsLabels = DATA.resolve("train-images-idx3-ubyte.gz").toString();
        StringWriter notLabels = new StringWriter();
        assertEquals(2, GalapagosCli.commandLine().setErr(new PrintWriter(notLabels, true)).execute("predict",
                modelDir.toString(), "--images", images, "--labels", imagesAsLabels));
        assertTrue(notLabels.toString().startsWith("galapagos: error: input " + imagesAsLabels + ": is not an IDX "
                + "label"), notLabels::toString);
        StringWriter noModel = new StringWriter();
        assertEquals(2, GalapagosCli.commandLine().setErr(new PrintWriter(noModel, true)).execute("predict",
                dir.toString(), "--images", images));
        assertTrue(noModel.toString().contains("is not an exported model"), noModel::toString);
    }

    /**
     * An export whose training diverges saves nothing and leaves no model folder, in one JVM and data-parallel alike
     * (data-parallel, nothing judged the loss, and the diverged network was saved); the command line says so in one
     * line, exit 1.
     */
    @Test
    void aDivergedExportSavesNothingWhereverItTrains() {
        List<String> diverging = List.of("training.learning_rate=9.9", "training.lr_schedule=constant",
                "training.divergence_factor=1.01");
        for (String master : List.of("local", "local[2]")) {
            Path modelDir = dir.resolve("diverged-" + master.replaceAll("\\W", ""));
            ExportDivergedException e = assertThrows(ExportDivergedException.class, () -> ExportJob.run(
                    new ExportJob.Request(search.toString(), null, 2, modelDir.toString(), master, null, diverging,
                            "test"), quiet()));
            assertTrue(e.getMessage().startsWith("the export's training diverged: loss ")
                    && e.getMessage().contains("; nothing was saved"), e.getMessage());
            assertFalse(Files.exists(modelDir), "the model folder the export made is removed");
        }
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("export", search.toString(), "--master", "local", "--epochs", "2",
                "--output", dir.resolve("diverged-cli").toString()));
        diverging.forEach(o -> args.addAll(List.of("--set", o)));
        assertEquals(1, GalapagosCli.commandLine().setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new)));
        assertEquals(1, err.toString().strip().lines().count(), err::toString);
        assertTrue(err.toString().startsWith("galapagos: failed: the export's training diverged"), err::toString);
    }

    /** A damaged best.json or provenance.json is one line naming it, not a parser's stack trace. */
    @Test
    void aDamagedBestJsonOrProvenanceIsNamed() throws Exception {
        Path copy = Files.createDirectories(dir.resolve("damaged-best"));
        for (String file : List.of("config.yaml", "journal.jsonl")) {
            Files.copy(search.resolve(file), copy.resolve(file));
        }
        Files.writeString(copy.resolve("best.json"), "{bad");
        assertRefused(new ExportJob.Request(copy.toString(), null, 1, null, "local[1]", null, List.of(), "test"),
                "best.json names no trial (it is damaged)");

        Path modelDir = dir.resolve("damaged-provenance");
        ExportJob.run(new ExportJob.Request(search.toString(), null, 1, modelDir.toString(), "local", null, List.of(),
                "test"), quiet());
        JsonNode export = JSON.readTree(Files.readString(modelDir.resolve("provenance.json"))).get("export");
        assertEquals("in-process", export.get("mode").asText(), "--master local is one core: this JVM");
        Files.writeString(modelDir.resolve("provenance.json"), "{bad");
        StringWriter err = new StringWriter();
        assertEquals(2, GalapagosCli.commandLine().setErr(new PrintWriter(err, true)).execute("predict",
                modelDir.toString(), "--images", DATA.resolve("t10k-images-idx3-ubyte.gz").toString()));
        assertTrue(err.toString().contains("provenance.json cannot be read (") && err.toString().contains(
                "the model folder is damaged; export it again"), err::toString);
        assertEquals(1, err.toString().strip().lines().count(), err::toString);
    }

    private static void assertRefused(ExportJob.Request request, String expected) {
        OutputException e = assertThrows(OutputException.class, () -> ExportJob.run(request, quiet()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
