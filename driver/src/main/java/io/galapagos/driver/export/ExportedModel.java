package io.galapagos.driver.export;

import io.galapagos.driver.results.RunOutput;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.driver.results.OutputException;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.IdxReader;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.data.LabelledExamples;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.InputStream;

/**
 * A model folder {@link ExportJob} wrote, loaded to predict: the network from {@value ExportJob#MODEL}, the input it
 * expects from {@value ExportJob#PROVENANCE}, and for a text model its {@value ExportedVocabulary#NAME}. Not
 * thread-safe (a DL4J network is not).
 */
public final class ExportedModel {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 512;

    private final String location;
    private final ComputationGraph graph;
    private final JsonNode input;
    private final ExportedVocabulary vocabulary;

    /** A prediction: the most probable class and its probability. */
    public record Prediction(int label, double probability) {
    }

    private ExportedModel(String location, ComputationGraph graph, JsonNode input, ExportedVocabulary vocabulary) {
        this.location = location;
        this.graph = graph;
        this.input = input;
        this.vocabulary = vocabulary;
    }

    /**
     * @throws OutputException when the folder holds no model or provenance, a text model has no readable
     *                         vocabulary, or they cannot be read
     */
    public static ExportedModel open(String location, Configuration hadoop) throws IOException {
        Path folder = RunOutput.location(location);
        FileSystem fs = HadoopFileSystems.of(folder, hadoop);
        Path model = new Path(folder, ExportJob.MODEL);
        Path provenance = new Path(folder, ExportJob.PROVENANCE);
        if (!fs.exists(model) || !fs.exists(provenance)) {
            throw new OutputException(location, "is not an exported model (no " + ExportJob.MODEL + " and "
                    + ExportJob.PROVENANCE + "; galapagos export writes them)");
        }
        JsonNode input;
        try (FSDataInputStream in = fs.open(provenance)) {
            input = JSON.readTree(in).path("input");
        } catch (JsonProcessingException e) {
            throw new OutputException(location, ExportJob.PROVENANCE + " cannot be read (" + e.getOriginalMessage()
                    + "): the model folder is damaged; export it again");
        }
        if (!isText(input) && !(input.path("height").asInt() > 0 && input.path("width").asInt() > 0)) {
            throw new OutputException(location, ExportJob.PROVENANCE + " does not say what the model reads (its input: "
                    + input + "): the model folder is damaged; export it again");
        }
        ExportedVocabulary vocabulary = isText(input) ? vocabulary(location, fs, new Path(folder,
                ExportedVocabulary.NAME)) : null;
        ComputationGraph graph;
        try (InputStream in = fs.open(model)) {
            graph = ModelSerializer.restoreComputationGraph(in, false);
        } catch (IOException | RuntimeException e) {
            throw new OutputException(location, ExportJob.MODEL + " cannot be read as a DL4J model: " + e.getMessage());
        }
        return new ExportedModel(location, graph, input, vocabulary);
    }

    private static boolean isText(JsonNode input) {
        return input.path("kind").asText().equals("text");
    }

    private static ExportedVocabulary vocabulary(String location, FileSystem fs, Path file) throws IOException {
        if (!fs.exists(file)) {
            throw new OutputException(location, "is a text model without its " + ExportedVocabulary.NAME
                    + " (galapagos export writes it): nothing says how text becomes its input");
        }
        try (FSDataInputStream in = fs.open(file)) {
            return ExportedVocabulary.fromJson(JSON.readTree(in));
        } catch (IOException | IllegalArgumentException e) {
            throw new OutputException(location, ExportedVocabulary.NAME + " cannot be read: " + e.getMessage());
        }
    }

    /** The label of class {@code index} as the data wrote it (an image class is its number). */
    public String className(int index) {
        return vocabulary == null ? String.valueOf(index) : vocabulary.classes().get(index);
    }

    /**
     * The images of an IDX file, and their labels when {@code labels} is not null, as the search read them.
     *
     * @throws OutputException for a text model, or files that cannot be read
     */
    public ImageDataset images(String images, String labels) {
        if (vocabulary != null) {
            throw new OutputException(location, "is a text model: predict with --text FILE, not --images");
        }
        if (labels != null) {
            checkLabels(labels);
        }
        try {
            return labels == null ? IdxReader.readImages(images) : IdxReader.read(images, labels);
        } catch (IOException e) {
            throw OutputException.input(images, "cannot be read: " + e.getMessage());
        }
    }

    /** Refuses a label file that cannot be read, or that holds a class the model does not know. */
    private void checkLabels(String labels) {
        IdxReader.Contents contents;
        try {
            contents = IdxReader.checkLabels(labels, HadoopFileSystems.configuration());
        } catch (IdxReader.IdxFormatException e) {
            throw OutputException.input(labels, e.problem());
        } catch (IOException e) {
            throw OutputException.input(labels, "cannot be read: " + e.getMessage());
        }
        int classes = input.path("classes").asInt(0);
        if (classes > 0 && contents.maxLabel() >= classes) {
            throw OutputException.input(labels, "holds label " + contents.maxLabel() + "; the model knows the classes 0 to "
                    + (classes - 1));
        }
    }

    /**
     * The predictions for every image of {@code images}, in order.
     *
     * @param source where the images came from, for the message when their size is not the model's
     * @throws OutputException for images of another size
     */
    public Prediction[] predict(ImageDataset images, String source) {
        int height = input.path("height").asInt();
        int width = input.path("width").asInt();
        if (images.height() != height || images.width() != width || images.channels() != 1) {
            throw OutputException.input(source, "holds images of " + images.height() + "x" + images.width()
                    + "; the model reads " + height + "x" + width);
        }
        return predictAll(images);
    }

    /**
     * The texts of {@code file} as this model reads them ({@link TextsToPredict}).
     *
     * @param labelled whether every line of {@code file} is {@code <label> <text>}
     * @throws OutputException for an image model, or a file that cannot be read or holds no texts
     */
    public TextsToPredict texts(String file, Configuration hadoop, boolean labelled) {
        if (vocabulary == null) {
            throw new OutputException(location, "has no " + ExportedVocabulary.NAME + ": it is an image model, "
                    + "predict with --images IDX, not --text");
        }
        return TextsToPredict.read(file, vocabulary, hadoop, labelled);
    }

    /** The predictions for every text of {@code texts}, in order. */
    public Prediction[] predict(TextsToPredict texts) {
        return predictAll(texts.examples());
    }

    private Prediction[] predictAll(LabelledExamples examples) {
        Prediction[] predictions = new Prediction[examples.size()];
        int[] order = new int[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int from = 0; from < order.length; from += CHUNK) {
            int to = Math.min(order.length, from + CHUNK);
            DataSet batch = examples.batch(order, from, to);
            INDArray mask = batch.getFeaturesMaskArray();
            INDArray probabilities = graph.output(false, new INDArray[]{batch.getFeatures()},
                    mask == null ? null : new INDArray[]{mask})[0];
            INDArray best = probabilities.argMax(1);
            for (int i = from; i < to; i++) {
                int label = (int) best.getLong(i - from);
                predictions[i] = new Prediction(label, probabilities.getDouble(i - from, label));
            }
        }
        return predictions;
    }
}
