package io.galapagos.text;

import java.io.Serializable;

/**
 * One labelled example of a text data set: its label as the file writes it, and its text.
 */
public record TextExample(String label, String text) implements Serializable {

    public TextExample {
        if (label == null || label.isEmpty() || text == null) {
            throw new IllegalArgumentException("an example needs a label and a text");
        }
    }
}
