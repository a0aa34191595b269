package io.galapagos.text;

/**
 * A text data file that cannot be used. The message is one line naming the file and, where one line is at fault,
 * its number (from 1) and its start.
 */
public final class TextFormatException extends IllegalArgumentException {

    public TextFormatException(String message) {
        super(message);
    }
}
