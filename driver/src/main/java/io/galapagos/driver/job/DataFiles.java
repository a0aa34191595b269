package io.galapagos.driver.job;

import io.galapagos.config.ConfigException;
import io.galapagos.config.DataConfig;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.IdxReader;
import io.galapagos.worker.data.IdxReader.Contents;
import io.galapagos.worker.data.IdxReader.IdxFormatException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, before anything starts, that the four IDX files a configuration names can be trained on: each
 * exists, is a file (locally a regular one: no named pipe, socket or device), can be opened, and is an IDX
 * file of its kind (images {@code idx3-ubyte}, labels {@code idx1-ubyte}, plain or gzip) that holds all the
 * data its header declares ({@link IdxReader#checkImages}, which reads it through: about 0.3 s for the
 * shipped Fashion-MNIST subset); the images and labels of a pair are as many, training and test images are
 * of one size, and the training labels name at least two classes (so there are two training examples at least).
 * Every problem is a one-line {@link ConfigException} naming the key and the path. Stateless.
 */
public final class DataFiles {

    private DataFiles() {
    }

    public static void check(String source, DataConfig data, Configuration hadoop) {
        Contents trainImages = images(source, "data.train_images", data.trainImages(), hadoop);
        Contents trainLabels = labels(source, "data.train_labels", data.trainLabels(), hadoop);
        Contents testImages = images(source, "data.test_images", data.testImages(), hadoop);
        Contents testLabels = labels(source, "data.test_labels", data.testLabels(), hadoop);
        samePairCount(source, "data.train_labels", data.trainLabels(), trainLabels, "data.train_images",
                data.trainImages(), trainImages);
        samePairCount(source, "data.test_labels", data.testLabels(), testLabels, "data.test_images",
                data.testImages(), testImages);
        if (testImages.rows() != trainImages.rows() || testImages.columns() != trainImages.columns()) {
            throw new ConfigException(source, "data.test_images", "'" + data.testImages() + "' holds images of "
                    + shape(testImages) + " but data.train_images '" + data.trainImages() + "' holds images of "
                    + shape(trainImages));
        }
        if (trainLabels.distinctLabels() < 2) {
            throw new ConfigException(source, "data.train_labels", "'" + data.trainLabels() + "' holds only the label "
                    + trainLabels.maxLabel() + ": a classifier needs training examples of at least 2 classes");
        }
    }

    /**
     * Why {@code location} cannot be read as a file ("does not exist", ...), or {@code null} when it can. On
     * the local file system a named pipe, socket or device is refused before it is opened (opening a named
     * pipe would wait for a writer forever), and a link whose target is missing says so.
     */
    static String problem(String location, Configuration hadoop) {
        try {
            Path path = new Path(location);
            var fs = HadoopFileSystems.of(path, hadoop);
            java.nio.file.Path local = fs instanceof LocalFileSystem l ? l.pathToFile(path).toPath() : null;
            if (!fs.exists(path)) {
                return local != null && Files.isSymbolicLink(local)
                        ? "is a link to '" + Files.readSymbolicLink(local) + "', which does not exist" : "does not exist";
            }
            if (!fs.getFileStatus(path).isFile()) {
                return "is not a file";
            }
            return local == null || Files.isRegularFile(local) ? null
                    : "is not a regular file (a named pipe, socket or device), so it holds no data to read";
        } catch (IOException | IllegalArgumentException e) {
            return "cannot be read: " + e.getMessage();
        }
    }

    /** Reads an IDX file through, keeping only its header's facts. */
    private interface IdxCheck {
        Contents read(String location, Configuration hadoop) throws IOException;
    }

    private static Contents images(String source, String key, String location, Configuration hadoop) {
        return checked(source, key, location, hadoop, IdxReader::checkImages);
    }

    private static Contents labels(String source, String key, String location, Configuration hadoop) {
        return checked(source, key, location, hadoop, IdxReader::checkLabels);
    }

    private static Contents checked(String source, String key, String location, Configuration hadoop, IdxCheck check) {
        exists(source, key, location, hadoop);
        try {
            return check.read(location, hadoop);
        } catch (IOException e) {
            throw unreadable(source, key, location, e);
        }
    }

    private static void exists(String source, String key, String location, Configuration hadoop) {
        String problem = problem(location, hadoop);
        if (problem != null) {
            throw new ConfigException(source, key, "'" + location + "' " + problem + debianHint(location));
        }
    }

    /**
     * Debian's data set packages install into {@code /usr/share/datasets/<name>/} (Fashion-MNIST: package
     * {@code dataset-fashion-mnist}); a missing file there is most likely a package not installed yet.
     */
    static String debianHint(String location) {
        Matcher m = DEBIAN_DATASET.matcher(location);
        return m.matches() ? "; it comes with Debian's package dataset-" + m.group(1) + " (apt-get install dataset-"
                + m.group(1) + ")" : "";
    }

    private static final Pattern DEBIAN_DATASET = Pattern.compile("(?:file:)?/usr/share/datasets/([a-z0-9][a-z0-9.+-]*)/.*");

    private static ConfigException unreadable(String source, String key, String location, IOException e) {
        String problem;
        if (e instanceof IdxFormatException format) {
            problem = format.problem();
        } else if (e instanceof FileNotFoundException && e.getCause() != null) {
            // it exists (checked just before), so the file system refused to open it: permission denied
            problem = "cannot be opened: " + e.getCause().getMessage();
        } else {
            problem = "cannot be read: " + e.getMessage();
        }
        return new ConfigException(source, key, "'" + location + "' " + problem.lines().findFirst().orElse(""));
    }

    private static void samePairCount(String source, String labelsKey, String labelsLocation, Contents labels,
                                      String imagesKey, String imagesLocation, Contents images) {
        if (labels.count() != images.count()) {
            throw new ConfigException(source, labelsKey, "'" + labelsLocation + "' holds " + labels.count()
                    + " labels but " + imagesKey + " '" + imagesLocation + "' holds " + images.count() + " images");
        }
    }

    private static String shape(Contents images) {
        return images.rows() + "x" + images.columns();
    }
}
