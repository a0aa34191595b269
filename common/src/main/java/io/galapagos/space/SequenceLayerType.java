package io.galapagos.space;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The block types a sequence space may allow; {@link #text()} is the name used in configs. */
public enum SequenceLayerType {
    LSTM("lstm"),
    BILSTM("bilstm"),
    RNN("rnn"),
    CONV1D("conv1d"),
    MAX_POOL1D("maxpool1d"),
    ATTENTION("attention"),
    TRANSFORMER("transformer");

    private final String text;

    SequenceLayerType(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** Whether blocks of this type attend over the sequence, so that their heads must divide the width. */
    public boolean attends() {
        return this == ATTENTION || this == TRANSFORMER;
    }

    public static SequenceLayerType fromText(String text) {
        for (SequenceLayerType t : values()) {
            if (t.text.equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown block type '" + text + "' (expected one of "
                + Arrays.stream(values()).map(SequenceLayerType::text).collect(Collectors.joining(", ")) + ")");
    }
}
