package io.galapagos.config;

import io.galapagos.space.InvalidValueException;

import java.io.Serializable;

/**
 * Where the image data lives: four IDX files (gzip or plain) on any Hadoop FileSystem URI or local path.
 *
 * @param trainImages        training images; the validation split is held out of these
 * @param trainLabels        training labels
 * @param testImages         test images, used only to report test accuracy
 * @param testLabels         test labels
 * @param validationFraction share of the training examples held out for validation, in (0, 0.5]
 * @param trainLimit         use only this many training examples, drawn at random with a fixed seed; 0 for all
 */
public record DataConfig(String trainImages, String trainLabels, String testImages, String testLabels,
                         double validationFraction, int trainLimit) implements Serializable {

    public DataConfig {
        if (!(validationFraction > 0 && validationFraction <= 0.5)) {
            throw new InvalidValueException("validation_fraction", validationFraction, "must be in (0, 0.5]");
        }
        if (trainLimit < 0 || trainLimit == 1) {
            throw new InvalidValueException("train_limit", trainLimit, "must be 0 (all) or at least 2 (one example "
                    + "to train on and one held out for validation)");
        }
    }
}
