package io.galapagos.worker.data;

import io.galapagos.config.DataConfig;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.Arrays;

/**
 * A search's data without its validation split, for retraining the network it chose: every training example its
 * trials used, trained on or validated on (the {@code train_limit} drawn at random, all when 0; in the file's
 * order), and the test examples. Both have the same number of classes. Immutable.
 *
 * @param trials the split the search's trials used (the same examples as {@code train}, with the validation split
 *               held out as {@link DatasetCache} holds it out)
 */
public record FullData(ImageDataset train, ImageDataset test, DataSplit trials) {

    /**
     * Reads the data files {@code config} names (local paths or Hadoop FileSystem URIs) through the file systems
     * {@code hadoop} configures.
     */
    public static FullData load(DataConfig config, Configuration hadoop) throws IOException {
        ImageDataset train = IdxReader.read(config.trainImages(), config.trainLabels(), hadoop);
        ImageDataset test = IdxReader.read(config.testImages(), config.testLabels(), hadoop);
        if (!train.sameShape(test)) {
            throw new IOException("training images are " + train.shapeText() + " but test images are "
                    + test.shapeText());
        }
        int[] used = DataSplit.kept(train.size(), config.trainLimit(), DatasetCache.SPLIT_SEED);
        Arrays.sort(used);
        int classes = Math.max(train.classes(), test.classes());
        DataSplit trials;
        try {
            trials = DataSplit.of(train, test, config.validationFraction(), config.trainLimit(),
                    DatasetCache.SPLIT_SEED);
        } catch (IllegalArgumentException e) {
            throw new IOException("data of " + config.trainImages() + " cannot be split: " + e.getMessage(), e);
        }
        return new FullData(train.select(used, classes), test.withClasses(classes), trials);
    }
}
