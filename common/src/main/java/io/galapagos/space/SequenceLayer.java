package io.galapagos.space;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layer a block of a sequence network applies: the closed set of the sequence space's block types. Every layer
 * maps a sequence of vectors of one width to a sequence of vectors of {@link #outputWidth}; only max pooling
 * shortens the sequence.
 */
public sealed interface SequenceLayer extends Serializable {

    /** What the parser lists when a block's text is not one it knows. */
    String FORMS = "lstm<units>, bilstm<units>, rnn<units>, conv1d-k<kernel>x<filters>:<activation>, maxpool1d, "
            + "attention<heads>, transformer<heads>x<feed-forward units>";

    /** Canonical text, e.g. {@code bilstm64}, {@code conv1d-k3x100:relu}, {@code transformer4x256}. */
    String text();

    SequenceLayerType type();

    /** The width of each output vector, given the width of each input vector. */
    int outputWidth(int inputWidth);

    /** An LSTM ({@code lstm}), a bidirectional LSTM whose two directions are concatenated, or a simple RNN. */
    record Recurrent(SequenceLayerType type, int units) implements SequenceLayer {
        public Recurrent {
            if (type != SequenceLayerType.LSTM && type != SequenceLayerType.BILSTM && type != SequenceLayerType.RNN) {
                throw new IllegalArgumentException(type + " is not a recurrent block type");
            }
            if (units < 1) {
                throw new IllegalArgumentException("recurrent units must be positive, got " + units);
            }
        }

        @Override
        public String text() {
            return type.text() + units;
        }

        @Override
        public int outputWidth(int inputWidth) {
            return type == SequenceLayerType.BILSTM ? 2 * units : units;
        }
    }

    /** A same-padded, stride-1 convolution over time with its activation. */
    record Conv1d(int kernel, int filters, Activation activation) implements SequenceLayer {
        public Conv1d {
            if (kernel < 1 || kernel % 2 == 0) {
                throw new IllegalArgumentException("convolution kernel must be odd and positive, got " + kernel);
            }
            if (filters < 1) {
                throw new IllegalArgumentException("convolution filters must be positive, got " + filters);
            }
            if (activation == null) {
                throw new IllegalArgumentException("a convolution needs an activation");
            }
        }

        @Override
        public String text() {
            return "conv1d-k" + kernel + "x" + filters + ":" + activation.text();
        }

        @Override
        public SequenceLayerType type() {
            return SequenceLayerType.CONV1D;
        }

        @Override
        public int outputWidth(int inputWidth) {
            return filters;
        }
    }

    /** Max pooling over windows of two positions, stride two: halves the sequence (rounding up). */
    record MaxPool1d() implements SequenceLayer {
        @Override
        public String text() {
            return "maxpool1d";
        }

        @Override
        public SequenceLayerType type() {
            return SequenceLayerType.MAX_POOL1D;
        }

        @Override
        public int outputWidth(int inputWidth) {
            return inputWidth;
        }
    }

    /** Multi-head self-attention projecting back to the input's width. */
    record Attention(int heads) implements SequenceLayer {
        public Attention {
            if (heads < 1) {
                throw new IllegalArgumentException("attention heads must be positive, got " + heads);
            }
        }

        @Override
        public String text() {
            return "attention" + heads;
        }

        @Override
        public SequenceLayerType type() {
            return SequenceLayerType.ATTENTION;
        }

        @Override
        public int outputWidth(int inputWidth) {
            return inputWidth;
        }
    }

    /**
     * A transformer encoder block (Vaswani et al. 2017, post-norm): multi-head self-attention and a feed-forward
     * layer of {@code feedForward} units, each with a residual connection and layer normalisation.
     */
    record Transformer(int heads, int feedForward) implements SequenceLayer {
        public Transformer {
            if (heads < 1 || feedForward < 1) {
                throw new IllegalArgumentException("transformer heads and feed-forward units must be positive, got "
                        + heads + " and " + feedForward);
            }
        }

        @Override
        public String text() {
            return "transformer" + heads + "x" + feedForward;
        }

        @Override
        public SequenceLayerType type() {
            return SequenceLayerType.TRANSFORMER;
        }

        @Override
        public int outputWidth(int inputWidth) {
            return inputWidth;
        }
    }

    /** Parses a layer's text; throws {@link IllegalArgumentException} quoting it and listing the forms. */
    static SequenceLayer parse(String text) {
        Matcher m = FORM.matcher(text);
        try {
            if (m.matches()) {
                if (m.group("recurrent") != null) {
                    return new Recurrent(SequenceLayerType.fromText(m.group("recurrent")),
                            Integer.parseInt(m.group("units")));
                }
                if (m.group("kernel") != null) {
                    return new Conv1d(Integer.parseInt(m.group("kernel")), Integer.parseInt(m.group("filters")),
                            Activation.fromText(m.group("activation")));
                }
                if (m.group("heads") != null) {
                    return new Attention(Integer.parseInt(m.group("heads")));
                }
                if (m.group("theads") != null) {
                    return new Transformer(Integer.parseInt(m.group("theads")), Integer.parseInt(m.group("ff")));
                }
                return new MaxPool1d();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("block '" + text + "' has a number out of range");
        }
        throw new IllegalArgumentException("unknown block '" + text + "' (blocks: " + FORMS + ")");
    }

    Pattern FORM = Pattern.compile("(?<recurrent>lstm|bilstm|rnn)(?<units>[1-9][0-9]{0,8})"
            + "|conv1d-k(?<kernel>[1-9][0-9]{0,8})x(?<filters>[1-9][0-9]{0,8}):(?<activation>[a-z]+)"
            + "|maxpool1d|attention(?<heads>[1-9][0-9]{0,8})"
            + "|transformer(?<theads>[1-9][0-9]{0,8})x(?<ff>[1-9][0-9]{0,8})");
}
