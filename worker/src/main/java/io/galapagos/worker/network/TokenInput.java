package io.galapagos.worker.network;

/**
 * What a sequence network reads and predicts: token ids below {@code vocabulary}, padded to {@code length}
 * positions, classified into {@code classes} classes.
 */
public record TokenInput(int vocabulary, int length, int classes) implements NetworkInput {

    public TokenInput {
        if (vocabulary < 3 || length < 1) {
            throw new IllegalArgumentException("a token input needs a vocabulary of at least 3 and a length of at "
                    + "least 1, got " + vocabulary + " and " + length);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
    }

    @Override
    public String describe() {
        return "texts of " + length + " tokens from a vocabulary of " + vocabulary + ", " + classes + " classes";
    }
}
