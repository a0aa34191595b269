package io.galapagos.driver.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.driver.results.OutputException;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.ImageDataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;

/**
 * A model folder {@link ExportJob} wrote, loaded to predict: the network from {@value ExportJob#MODEL} and the input
 * it expects from {@value ExportJob#PROVENANCE}. Not thread-safe (a DL4J network is not).
 */
public final class ExportedModel {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 512;

    private final ComputationGraph graph;
    private final int height;
    private final int width;

    /** A prediction: the most probable class and its probability. */
    public record Prediction(int label, double probability) {
    }

    private ExportedModel(ComputationGraph graph, int height, int width) {
        this.graph = graph;
        this.height = height;
        this.width = width;
    }

    /**
     * @throws OutputException when the folder holds no model or provenance, or they cannot be read
     */
    public static ExportedModel open(String location, Configuration hadoop) throws IOException {
        Path folder = new Path(location);
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
        }
        ComputationGraph graph;
        try (InputStream in = fs.open(model)) {
            graph = ModelSerializer.restoreComputationGraph(in, false);
        } catch (IOException | RuntimeException e) {
            throw new OutputException(location, ExportJob.MODEL + " cannot be read as a DL4J model: " + e.getMessage());
        }
        return new ExportedModel(graph, input.path("height").asInt(), input.path("width").asInt());
    }

    /**
     * The predictions for every image of {@code images}, in order.
     *
     * @param source where the images came from, for the message when their size is not the model's
     */
    public Prediction[] predict(ImageDataset images, String source) {
        if (images.height() != height || images.width() != width || images.channels() != 1) {
            throw new OutputException(source, "holds images of " + images.height() + "x" + images.width()
                    + "; the model reads " + height + "x" + width);
        }
        Prediction[] predictions = new Prediction[images.size()];
        int[] order = new int[images.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int from = 0; from < order.length; from += CHUNK) {
            int to = Math.min(order.length, from + CHUNK);
            INDArray probabilities = graph.output(false, images.features(order, from, to))[0];
            INDArray best = probabilities.argMax(1);
            for (int i = from; i < to; i++) {
                int label = (int) best.getLong(i - from);
                predictions[i] = new Prediction(label, probabilities.getDouble(i - from, label));
            }
        }
        return predictions;
    }
}
