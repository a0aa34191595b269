package io.galapagos.driver.cli;

import io.galapagos.driver.export.ExportedModel;
import io.galapagos.driver.export.TextsToPredict;
import io.galapagos.driver.results.CsvField;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.data.LabelledExamples;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Predicts the classes of images or texts with a model {@code galapagos export} wrote. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the class of every image of an IDX file (--images) or every line of a text file "
                + "(--text) with an exported model: CSV lines index,predicted,probability (and label, given labels), "
                + "to --out or the console.")
final class PredictCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "The folder galapagos export wrote.")
    String modelDir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--images", required = true, paramLabel = "IDX",
                description = "Images in IDX format (idx3-ubyte, optionally .gz), as the search read them.")
        String images;

        @Option(names = "--text", required = true, paramLabel = "FILE", description = "Texts for a text model, one "
                + "a line in the encoding of the search's data (with --labelled, lines '<label> <text>' as the data "
                + "files).")
        String text;
    }

    @Option(names = "--labelled", description = "The --text file's lines are '<label> <text>' with the model's "
            + "labels, as the data files: the labels score the predictions.")
    boolean labelledText;

    @Option(names = "--labels", paramLabel = "IDX", description = "The images' labels, to report the accuracy too.")
    String labels;

    @Option(names = "--out", paramLabel = "CSV", description = "Write the predictions here instead of the console.")
    String out;

    @Override
    public Integer call() throws IOException {
        if (labels != null && input.text != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--labels goes with --images; a text file "
                    + "gives its labels on its lines ('<label> <text>', with --labelled)");
        }
        if (labelledText && input.images != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--labelled goes with --text; images take "
                    + "their labels from --labels IDX");
        }
        Configuration hadoop = HadoopFileSystems.configuration();
        ExportedModel model = ExportedModel.open(modelDir, hadoop);
        LabelledExamples examples;
        ExportedModel.Prediction[] predictions;
        boolean labelled;
        String source;
        if (input.images != null) {
            ImageDataset images = model.images(input.images, labels);
            predictions = model.predict(images, input.images);
            examples = images;
            labelled = labels != null;
            source = labels;
        } else {
            TextsToPredict texts = model.texts(input.text, hadoop, labelledText);
            if (texts.looksLabelled() && !texts.labelled()) {
                spec.commandLine().getErr().println("Every line of " + input.text + " starts with one of the model's classes; each "
                        + "whole line is classified as a text. If those are labels, add --labelled to score them.");
            }
            predictions = model.predict(texts);
            examples = texts.examples();
            labelled = texts.labelled();
            source = input.text;
        }
        StringBuilder csv = new StringBuilder(labelled ? "index,predicted,probability,label\n"
                : "index,predicted,probability\n");
        long correct = 0;
        for (int i = 0; i < predictions.length; i++) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%.6f", i, CsvField.of(model.className(predictions[i].label())),
                    predictions[i].probability()));
            if (labelled) {
                csv.append(',').append(CsvField.of(model.className(examples.label(i))));
                correct += predictions[i].label() == examples.label(i) ? 1 : 0;
            }
            csv.append('\n');
        }
        if (out == null) {
            System.out.print(csv);
        } else {
            SingleFile.write(out, csv.toString(), hadoop, ".csv");
        }
        spec.commandLine().getErr().printf(Locale.ROOT, "Predicted %,d %s%s%s%n", predictions.length,
                input.images != null ? "images" : "texts", labelled ? String.format(Locale.ROOT,
                        "; accuracy %.4f against %s", (double) correct / predictions.length, source) : "",
                out == null ? "" : "; written to " + out);
        return 0;
    }
}
