package io.galapagos.space;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a sequence network's last block is pooled over time before the classifier. */
public enum SequencePooling {
    /** The last position that is not padding. */
    LAST("last"),
    MAX("max"),
    MEAN("mean"),
    /** A learned query attends over the positions (attention pooling). */
    ATTENTION("attention");

    private final String text;

    SequencePooling(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static SequencePooling fromText(String text) {
        for (SequencePooling p : values()) {
            if (p.text.equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pooling '" + text + "' (expected one of "
                + Arrays.stream(values()).map(SequencePooling::text).collect(Collectors.joining(", ")) + ")");
    }
}
