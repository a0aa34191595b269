package io.galapagos.driver.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.config.ConfigLoader;
import io.galapagos.driver.cli.GalapagosCli;
import io.galapagos.driver.job.SearchJob;
import io.galapagos.driver.job.VocabularyFile;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.text.LabelledLines;
import io.galapagos.text.TextExample;
import io.galapagos.text.Vocabulary;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process export of a real (small) text search on a slice of the shipped TREC-6 data, its network holding
 * every Galapagos layer a sequence network can (positional embedding, sequence dropout, transformer block, attention
 * head): a JVM of its own whose classpath is DeepLearning4J's jars and the export's {@value LayersJar#NAME}, and no
 * Galapagos jar, restores the model and gives the trained network's probabilities; the vocabulary kept is the
 * search's; {@code predict --text} gives the same classes with and without labels (labels only when the user says the
 * file has them); and bad input is refused in one line.
 */
class TextExportJobTest {

    private static final Path TREC = Path.of("..", "data", "text", "trec").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Maven groups (local repository folders) of DeepLearning4J, ND4J and what they use at run time. */
    private static final List<String> PLAIN_DL4J = List.of("org/deeplearning4j/", "org/nd4j/", "org/bytedeco/",
            "com/google/flatbuffers/", "commons-io/", "org/apache/commons/", "org/slf4j/", "com/jakewharton/",
            "net/ericaro/", "com/github/oshi/", "net/java/dev/jna/", "com/google/code/gson/", "commons-codec/");
    private static final String ARCHITECTURE = "embed16/transformer2x16:d0.25/head-attention";

    @TempDir
    static Path dir;
    private static Path search;
    private static Path testFile;
    private static Path modelDir;
    private static ExportJob.Exported exported;

    @BeforeAll
    static void searchAndExport() throws Exception {
        // every 20th training question and every 10th test question: all six classes, seconds of training
        Path train = slice(TREC.resolve("TREC.train.all"), 20, dir.resolve("train.txt"));
        testFile = slice(TREC.resolve("TREC.test.all"), 10, dir.resolve("test.txt"));
        String yaml = """
                name: text-exportable
                seed: 5
                trials: 1
                executor: in_process
                parallelism: 1
                space: {kind: sequence, min_blocks: 1, max_blocks: 1, embedding_dims: [16], blocks: [transformer],
                        heads: [2], feed_forward: [16], dropout: [0.25], residual: [false], pooling: [attention]}
                data: {format: label-space-text, train: %s, test: %s, encoding: ISO-8859-1, min_count: 2}
                training: {epochs: 1, batch_size: 32, learning_rate: 0.005, latency_repeats: 1}
                """.formatted(train, testFile);
        ConfigLoader.Loaded loaded = ConfigLoader.parse("text-exportable.yaml", yaml, dir, List.of());
        search = dir.resolve("search");
        new SearchJob(loaded.config(), loaded.effectiveYaml(), quiet()).run(search.toString(), null);
        modelDir = dir.resolve("model");
        exported = ExportJob.run(new ExportJob.Request(search.toString(), null, 1, modelDir.toString(), "local[1]",
                null, List.of(), "test"), quiet());
    }

    private static Path slice(Path source, int every, Path target) throws IOException {
        List<String> lines = Files.readAllLines(source, StandardCharsets.ISO_8859_1);
        return Files.write(target, IntStream.range(0, lines.size()).filter(i -> i % every == 0)
                .mapToObj(lines::get).toList(), StandardCharsets.ISO_8859_1);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void plainDl4jWithLayersJarRestoresTheTrainedNetworkInAJvmWithoutGalapagos() throws Exception {
        assertEquals(ARCHITECTURE, exported.trial().candidate().architecture().text());
        Set<String> shipped = new TreeSet<>();
        try (JarFile jar = new JarFile(modelDir.resolve(LayersJar.NAME).toFile())) {
            jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(shipped::add);
        }
        String network = "io/galapagos/worker/network/";
        assertEquals(new TreeSet<>(List.of(network + "PlannedSameDiffLayer.class",
                network + "PositionalEmbedding.class", network + "SameDiffInit.class", network + "SequenceDropout.class",
                network + "SequenceDropout$Builder.class", network + "SequenceDropoutLayer.class",
                network + "SequenceHead.class", network + "SequenceHead$1.class", network + "TransformerBlock.class",
                "io/galapagos/space/SequencePooling.class")), shipped, "the layers and what they use, nothing else");

        Vocabulary vocabulary = VocabularyFile.read(RunOutput.read(search.toString(), new Configuration()));
        List<TextExample> questions = LabelledLines.parse(Files.readAllBytes(testFile), StandardCharsets.ISO_8859_1,
                "test").subList(0, 16);
        Path ids = Files.write(dir.resolve("ids.txt"), questions.stream().map(q -> Arrays.stream(
                vocabulary.encode(q.text())).mapToObj(String::valueOf).collect(Collectors.joining(" "))).toList());
        List<String> printed = plainDl4j(modelDir.resolve(ExportJob.MODEL), vocabulary.maxLength(), ids);
        assertEquals("galapagos-classes: false", printed.get(0), "Galapagos's own jars were on the classpath");
        float[][] expected = trainedOutput(exported.network(), questions, vocabulary);
        for (int i = 0; i < questions.size(); i++) {
            String[] values = printed.get(i + 1).split(",");
            for (int c = 0; c < expected[i].length; c++) {
                assertEquals(expected[i][c], Float.parseFloat(values[c]), 1e-5, "text " + i + ", class " + c);
            }
        }
    }

    /** The trained network's probabilities for {@code questions}, padded and masked as the search feeds them. */
    private static float[][] trainedOutput(ComputationGraph graph, List<TextExample> questions, Vocabulary vocabulary) {
        int n = questions.size();
        int length = vocabulary.maxLength();
        float[] features = new float[n * length];
        float[] mask = new float[n * length];
        for (int i = 0; i < n; i++) {
            int[] tokens = vocabulary.encode(questions.get(i).text());
            for (int t = 0; t < tokens.length; t++) {
                features[i * length + t] = tokens[t];
                mask[i * length + t] = 1;
            }
        }
        INDArray out = graph.output(false, new INDArray[]{Nd4j.create(features, new long[]{n, 1, length},
                DataType.FLOAT)}, new INDArray[]{Nd4j.create(mask, new long[]{n, length}, DataType.FLOAT)})[0];
        return out.toFloatMatrix();
    }

    /**
     * Runs {@code src/test/plain-dl4j/PlainDl4jPredict.java} in a new JVM whose classpath is DeepLearning4J's and
     * ND4J's jars and the libraries they use, taken from this one's, and the export's layers.jar.
     */
    private static List<String> plainDl4j(Path model, int maxLength, Path ids) throws Exception {
        List<String> classpath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/');
            if (path.endsWith(".jar") && PLAIN_DL4J.stream().anyMatch(group -> path.contains("/repository/" + group))) {
                classpath.add(entry);
            }
        }
        classpath.add(modelDir.resolve(LayersJar.NAME).toString());
        Path log = dir.resolve("plain-dl4j.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classpath),
                Path.of("src", "test", "plain-dl4j", "PlainDl4jPredict.java").toAbsolutePath().toString(),
                model.toString(), String.valueOf(maxLength), ids.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the plain DL4J JVM did not finish");
        List<String> lines = Files.readAllLines(log);
        assertEquals(0, process.exitValue(), () -> String.join("\n", lines));
        return lines.stream().filter(l -> l.startsWith("galapagos-classes") || l.matches("[0-9.E,-]+")).toList();
    }

    @Test
    void theModelFolderKeepsTheSearchsVocabularyAndSaysWhatTheInputIs() throws Exception {
        ExportedVocabulary kept = ExportedVocabulary.fromJson(JSON.readTree(modelDir.resolve(ExportedVocabulary.NAME)
                .toFile()));
        assertEquals(VocabularyFile.read(RunOutput.read(search.toString(), new Configuration())), kept.vocabulary());
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), kept.classes());
        assertEquals("ISO-8859-1", kept.encoding());
        JsonNode provenance = JSON.readTree(modelDir.resolve(ExportJob.PROVENANCE).toFile());
        JsonNode input = provenance.get("input");
        assertEquals("text", input.get("kind").asText());
        assertEquals(kept.vocabulary().size(), input.get("vocabulary_size").asInt());
        assertEquals(kept.vocabulary().maxLength(), input.get("max_length").asInt());
        assertEquals(0, input.get("padding_id").asInt());
        assertEquals(1, input.get("unknown_id").asInt());
        JsonNode data = provenance.get("data");
        assertEquals(64, data.get("train").get("sha256").asText().length());
        assertEquals(64, data.get("test").get("sha256").asText().length());
        assertEquals(0.1, data.get("validation").get("cut_from_train").asDouble(), "the default validation cut");
        assertEquals(273, data.get("train_examples").asInt(), "training and validation questions");
        assertEquals(50, data.get("test_examples").asInt());
        assertEquals(exported.testAccuracy(), provenance.get("export").get("test_accuracy").asDouble());
        assertTrue(provenance.get("layers").asText().startsWith(LayersJar.NAME));
    }

    @Test
    void predictTextGivesTheModelsClassesWithOrWithoutLabels() throws Exception {
        Path labelled = dir.resolve("labelled.csv");
        StringWriter err = new StringWriter();
        assertEquals(0, cli(err, "predict", modelDir.toString(), "--text", testFile.toString(), "--labelled", "--out",
                labelled.toString()), err::toString);
        List<String> lines = Files.readAllLines(labelled);
        assertEquals("index,predicted,probability,label", lines.get(0));
        assertEquals(51, lines.size());
        long correct = lines.stream().skip(1).map(l -> l.split(",")).filter(f -> f[1].equals(f[3])).count();
        assertEquals(exported.testAccuracy(), correct / 50.0, 1e-12, "the export's own test accuracy");

        Path bare = Files.write(dir.resolve("bare.txt"), Files.readAllLines(testFile, StandardCharsets.ISO_8859_1)
                .stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList(), StandardCharsets.ISO_8859_1);
        Path unlabelled = dir.resolve("unlabelled.csv");
        assertEquals(0, cli(new StringWriter(), "predict", modelDir.toString(), "--text", bare.toString(), "--out",
                unlabelled.toString()));
        List<String> plain = Files.readAllLines(unlabelled);
        assertEquals("index,predicted,probability", plain.get(0));
        for (int i = 1; i < lines.size(); i++) {
            assertEquals(lines.get(i).substring(0, lines.get(i).lastIndexOf(',')), plain.get(i), "line " + i);
        }

        // without --labelled a line is a text, whole, even when it starts with a class: the user is told
        Path whole = dir.resolve("whole.csv");
        StringWriter hint = new StringWriter();
        assertEquals(0, cli(hint, "predict", modelDir.toString(), "--text", testFile.toString(), "--out",
                whole.toString()), hint::toString);
        assertEquals("index,predicted,probability", Files.readAllLines(whole).get(0));
        assertEquals(51, Files.readAllLines(whole).size());
        assertTrue(hint.toString().contains("starts with one of the model's classes; each whole line is classified as "
                + "a text. If those are labels, add --labelled"), hint::toString);
        StringWriter quiet = new StringWriter();
        assertEquals(0, cli(quiet, "predict", modelDir.toString(), "--text", bare.toString(), "--out",
                dir.resolve("quiet.csv").toString()));
        assertFalse(quiet.toString().contains("--labelled"), quiet::toString);
    }

    @Test
    void badTextRequestsAreRefusedInOneLine() throws Exception {
        String model = modelDir.toString();
        assertRefused("input " + dir.resolve("missing.txt") + ": cannot be read", "predict", model, "--text",
                dir.resolve("missing.txt").toString());
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertRefused("input " + empty + ": holds no text (the file is empty)", "predict", model, "--text",
                empty.toString());
        Path unlabelled = Files.writeString(dir.resolve("unlabelled-line.txt"), "What is it ?\n");
        assertRefused("input " + unlabelled + ": line 1's label 'What' is not one of the model's classes",
                "predict", model, "--text", unlabelled.toString(), "--labelled");
        assertRefused("--labelled goes with --text", "predict", model, "--images",
                TREC.resolve("TREC.test.all").toString(), "--labelled");
        Path gap = Files.writeString(dir.resolve("gap.txt"), "What is it ?\n\nWho was he ?\n");
        assertRefused("input " + gap + ": line 2 is empty: every line is a text to classify", "predict", model,
                "--text", gap.toString());
        assertRefused("output " + model + ": is a text model: predict with --text FILE, not --images", "predict", model,
                "--images", TREC.resolve("TREC.test.all").toString());

        Path imageModel = copyOfModel("image-model");
        JsonNode provenance = JSON.readTree(imageModel.resolve(ExportJob.PROVENANCE).toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) provenance).putObject("input").put("kind", "images")
                .put("height", 28).put("width", 28);
        Files.writeString(imageModel.resolve(ExportJob.PROVENANCE), provenance.toString());
        assertRefused("output " + imageModel + ": has no vocabulary.json: it is an image model, predict with --images "
                + "IDX, not --text", "predict", imageModel.toString(), "--text", testFile.toString());
        Path withoutVocabulary = copyOfModel("no-vocabulary");
        assertRefused("output " + withoutVocabulary + ": is a text model without its vocabulary.json", "predict",
                withoutVocabulary.toString(), "--text", testFile.toString());

        Path noVocabularySearch = Files.createDirectories(dir.resolve("search-without-vocabulary"));
        for (String name : List.of("config.yaml", "journal.jsonl", "best.json")) {
            Files.copy(search.resolve(name), noVocabularySearch.resolve(name));
        }
        OutputException e = assertThrows(OutputException.class, () -> ExportJob.run(new ExportJob.Request(
                noVocabularySearch.toString(), null, 1, dir.resolve("m").toString(), "local[1]", null, List.of(),
                "test"), quiet()));
        assertTrue(e.getMessage().endsWith("has no vocabulary.json: the text must be encoded with the vocabulary the "
                + "search used"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("m")), "nothing was written");
        for (String change : List.of("seed=2", "data.test_fraction=0.3", "seed =3")) {
            io.galapagos.config.ConfigException other = assertThrows(io.galapagos.config.ConfigException.class,
                    () -> ExportJob.run(new ExportJob.Request(search.toString(), null, 1, dir.resolve("m").toString(),
                            "local[1]", null, List.of(change), "test"), quiet()));
            assertEquals("--set " + change.substring(0, change.indexOf('=')).strip() + ": a text search's data, splits and "
                    + "vocabulary are the search's own: its export trains on the training split the search cut",
                    other.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("m")), "nothing was written");
    }

    /** The model folder with everything but its vocabulary. */
    private static Path copyOfModel(String name) throws IOException {
        Path copy = Files.createDirectories(dir.resolve(name));
        for (String file : List.of(ExportJob.MODEL, ExportJob.PROVENANCE, LayersJar.NAME)) {
            Files.copy(modelDir.resolve(file), copy.resolve(file));
        }
        return copy;
    }

    private static int cli(StringWriter err, String... args) {
        return GalapagosCli.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    }

    private static void assertRefused(String expectedStart, String... args) {
        StringWriter err = new StringWriter();
        assertEquals(2, cli(err, args), err::toString);
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("galapagos: error: " + expectedStart), message);
    }
}
