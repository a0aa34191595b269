package io.galapagos.space;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * One block of a sequence network: a layer, the dropout applied to the block's input, and whether the block's
 * input is added to its output (a residual connection; only where the layer keeps the width and the length).
 *
 * <p>Canonical text: the layer's text, then {@code :d<rate>} when the rate is not zero, then {@code :res}, e.g.
 * {@code bilstm64:d0.25}, {@code conv1d-k3x128:relu:d0.1:res}.
 */
public record SequenceBlock(SequenceLayer layer, double dropout, boolean residual) implements Serializable {

    public SequenceBlock {
        if (layer == null) {
            throw new IllegalArgumentException("a block needs a layer");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (residual && layer instanceof SequenceLayer.MaxPool1d) {
            throw new IllegalArgumentException("maxpool1d cannot be residual: it halves the sequence");
        }
    }

    public String text() {
        StringBuilder s = new StringBuilder(layer.text());
        if (dropout > 0) {
            s.append(":d").append(BigDecimal.valueOf(dropout).stripTrailingZeros().toPlainString());
        }
        return residual ? s.append(":res").toString() : s.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    /** Parses {@link #text()}; throws {@link IllegalArgumentException} quoting what is wrong. */
    public static SequenceBlock parse(String text) {
        String rest = text;
        boolean residual = rest.endsWith(":res");
        if (residual) {
            rest = rest.substring(0, rest.length() - 4);
        }
        double dropout = 0;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && rest.startsWith("d", colon + 1)) {
            String rate = rest.substring(colon + 2);
            try {
                dropout = Double.parseDouble(rate);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("block '" + text + "': dropout 'd" + rate + "' is not a number");
            }
            if (!(dropout > 0 && dropout < 1)
                    || !rate.equals(BigDecimal.valueOf(dropout).stripTrailingZeros().toPlainString())) {
                throw new IllegalArgumentException("block '" + text + "': dropout 'd" + rate + "' is not in (0, 1) "
                        + "in its shortest form");
            }
            rest = rest.substring(0, colon);
        }
        return new SequenceBlock(SequenceLayer.parse(rest), dropout, residual);
    }
}
