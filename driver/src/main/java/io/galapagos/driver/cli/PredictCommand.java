package io.galapagos.driver.cli;

import io.galapagos.driver.export.ExportedModel;
import io.galapagos.driver.results.OutputException;
import io.galapagos.worker.data.IdxReader;
import io.galapagos.worker.data.ImageDataset;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Predicts the classes of images with a model {@code galapagos export} wrote. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the class of every image of an IDX file with an exported model: CSV lines "
                + "index,predicted,probability (and label, given --labels), to --out or the console.")
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "The folder galapagos export wrote.")
    String modelDir;

    @Option(names = "--images", required = true, paramLabel = "IDX",
            description = "Images in IDX format (idx3-ubyte, optionally .gz), as the search read them.")
    String images;

    @Option(names = "--labels", paramLabel = "IDX", description = "Their labels, to report the accuracy too.")
    String labels;

    @Option(names = "--out", paramLabel = "CSV", description = "Write the predictions here instead of the console.")
    String out;

    @Override
    public Integer call() throws IOException {
        Configuration hadoop = new Configuration();
        ExportedModel model = ExportedModel.open(modelDir, hadoop);
        ImageDataset examples;
        try {
            examples = labels == null ? IdxReader.readImages(images) : IdxReader.read(images, labels);
        } catch (IOException e) {
            throw new OutputException(images, "cannot be read: " + e.getMessage());
        }
        ExportedModel.Prediction[] predictions = model.predict(examples, images);
        StringBuilder csv = new StringBuilder(labels == null ? "index,predicted,probability\n"
                : "index,predicted,probability,label\n");
        long correct = 0;
        for (int i = 0; i < predictions.length; i++) {
            csv.append(String.format(Locale.ROOT, "%d,%d,%.6f", i, predictions[i].label(), predictions[i].probability()));
            if (labels != null) {
                csv.append(',').append(examples.label(i));
                correct += predictions[i].label() == examples.label(i) ? 1 : 0;
            }
            csv.append('\n');
        }
        if (out == null) {
            System.out.print(csv);
        } else {
            SingleFile.write(out, csv.toString(), hadoop);
        }
        System.err.printf(Locale.ROOT, "Predicted %,d images%s%s%n", predictions.length, labels == null ? ""
                : String.format(Locale.ROOT, "; accuracy %.4f against %s", (double) correct / predictions.length, labels),
                out == null ? "" : "; written to " + out);
        return 0;
    }
}
