package io.galapagos.text;

import io.galapagos.space.InvalidValueException;

import java.io.Serializable;

/**
 * How a vocabulary is built from the training split.
 *
 * @param lowerCase     whether texts are lower-cased before counting and encoding
 * @param minCount      a token enters the vocabulary when it occurs at least this often in the training split
 * @param maxSize       at most this many entries, the padding and unknown tokens included (the most frequent win)
 * @param maxLength     texts longer than this many tokens are cut; {@link #AUTO_LENGTH}: the length that covers
 *                      {@link #COVERED} of the training texts
 */
public record VocabularyRules(boolean lowerCase, int minCount, int maxSize, int maxLength) implements Serializable {

    /** {@code max_length: auto}: chosen from the training texts' lengths. */
    public static final int AUTO_LENGTH = 0;

    /** The share of training texts that {@link #AUTO_LENGTH} keeps whole. */
    public static final double COVERED = 0.99;

    public VocabularyRules {
        if (minCount < 1) {
            throw new InvalidValueException("min_count", minCount, "must be at least 1");
        }
        if (maxSize < 3) {
            throw new InvalidValueException("max_vocabulary", maxSize,
                    "must be at least 3 (padding, unknown and one token)");
        }
        if (maxLength < 0 || maxLength > 100_000) {
            throw new InvalidValueException("max_length", maxLength, "must be between 1 and 100000, or auto");
        }
    }
}
