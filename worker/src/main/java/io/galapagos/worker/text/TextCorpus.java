package io.galapagos.worker.text;

import io.galapagos.config.TextDataConfig;
import io.galapagos.text.LabelledLines;
import io.galapagos.text.StratifiedSplit;
import io.galapagos.text.TextExample;
import io.galapagos.text.TextFormatException;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The labelled texts of a {@link TextDataConfig}, read through the Hadoop FileSystem API and split: the test split
 * is the test file, or cut from the training file ({@code test_fraction}, stratified, the config's seed); the
 * validation split is the validation file, or cut from what remains ({@code validation_fraction}, the seed + 1).
 * The classes are the labels of the training file, in order (numerically when every label is a whole number); a
 * validation or test file that names another label is refused, naming its file and line.
 *
 * @param classes class {@code i} is the label {@code classes.get(i)}
 */
public record TextCorpus(List<TextExample> train, List<TextExample> validation, List<TextExample> test,
                         List<String> classes) {

    public TextCorpus {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
        classes = List.copyOf(classes);
    }

    /**
     * @throws TextFormatException a file is not {@code label-space-text} in its encoding, is empty, names a label
     *                             outside the training file's, or the training file has fewer than two classes
     * @throws IOException         a file cannot be read
     */
    public static TextCorpus read(TextDataConfig config, Configuration hadoop) throws IOException {
        List<TextExample> all = lines(config.train(), config, hadoop);
        List<String> classes = classes(all, config.train());
        List<TextExample> rest = all;
        List<TextExample> test;
        if (config.test() != null) {
            test = lines(config.test(), config, hadoop);
            checkLabels(test, classes, config.test());
        } else {
            StratifiedSplit.Parts parts = StratifiedSplit.cut(rest, config.testFraction(), config.seed());
            rest = parts.kept();
            test = parts.heldOut();
        }
        List<TextExample> validation;
        if (config.validation() != null) {
            validation = lines(config.validation(), config, hadoop);
            checkLabels(validation, classes, config.validation());
        } else {
            StratifiedSplit.Parts parts = StratifiedSplit.cut(rest, config.validationFraction(), config.seed() + 1);
            rest = parts.kept();
            validation = parts.heldOut();
        }
        if (rest.isEmpty() || validation.isEmpty() || test.isEmpty()) {
            throw new TextFormatException(config.train() + ": " + all.size() + " examples are too few to cut "
                    + "training, validation and test splits from (" + rest.size() + ", " + validation.size() + " and "
                    + test.size() + ")");
        }
        return new TextCorpus(rest, validation, test, classes);
    }

    private static List<TextExample> lines(String location, TextDataConfig config, Configuration hadoop)
            throws IOException {
        Path path = new Path(location);
        FileSystem fs = HadoopFileSystems.of(path, hadoop);
        byte[] bytes;
        try (InputStream in = fs.open(path)) {
            bytes = in.readAllBytes();
        }
        return LabelledLines.parse(bytes, config.charset(), location);
    }

    private static List<String> classes(List<TextExample> training, String location) {
        TreeSet<String> labels = new TreeSet<>();
        training.forEach(e -> labels.add(e.label()));
        if (labels.size() < 2) {
            throw new TextFormatException(location + ": holds only the label '" + labels.first() + "': a classifier "
                    + "needs at least 2 classes");
        }
        List<String> classes = new ArrayList<>(labels);
        if (classes.stream().allMatch(l -> l.matches("-?[0-9]{1,18}"))) {
            classes.sort(Comparator.comparingLong(Long::parseLong));
        }
        return classes;
    }

    private static void checkLabels(List<TextExample> examples, List<String> classes, String location) {
        for (int i = 0; i < examples.size(); i++) {
            if (!classes.contains(examples.get(i).label())) {
                throw new TextFormatException(location + ": line " + (i + 1) + ": label '" + examples.get(i).label()
                        + "' is not one of the training file's classes " + classes);
            }
        }
    }
}
