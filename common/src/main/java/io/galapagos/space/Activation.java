package io.galapagos.space;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Activation functions a block may use; {@link #text()} is the name in configs and architecture text. */
public enum Activation {
    RELU("relu"),
    LEAKY_RELU("leakyrelu"),
    TANH("tanh"),
    SIGMOID("sigmoid"),
    SWISH("swish");

    private final String text;

    Activation(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static Activation fromText(String text) {
        for (Activation a : values()) {
            if (a.text.equals(text)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + text + "' (expected one of "
                + Arrays.stream(values()).map(Activation::text).collect(Collectors.joining(", ")) + ")");
    }
}
