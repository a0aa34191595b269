package io.galapagos.worker.network;

import io.galapagos.worker.data.ImageDataset;

/**
 * What a network reads and predicts: images of {@code height x width x channels}, given as flat rows
 * (ND4J's {@code convolutionalFlat} layout), classified into {@code classes} classes.
 */
public record InputSpec(int height, int width, int channels, int classes) implements NetworkInput {

    public InputSpec {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("input dimensions must be positive, got " + height + "x" + width
                    + "x" + channels);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
    }

    @Override
    public String describe() {
        return "images of " + height + "x" + width + "x" + channels + ", " + classes + " classes";
    }

    /** The input of networks trained on {@code data}. */
    public static InputSpec of(ImageDataset data) {
        return new InputSpec(data.height(), data.width(), data.channels(), data.classes());
    }
}
