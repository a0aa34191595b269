package io.galapagos.space;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One block of a macro architecture: a layer, its activation and optional batch normalisation (not for
 * pooling), a dropout rate, and the earlier blocks whose outputs skip into this block's input.
 *
 * <p>Canonical text: fields joined by {@code :} in a fixed order, optional ones omitted when off, e.g.
 * {@code conv3x3x32:relu:bn:d0.25:add(0+2)}, {@code maxpool}, {@code dense128:tanh:d0.5}.
 *
 * @param layer      the layer applied
 * @param activation the activation, or {@code null} for pooling
 * @param batchNorm  batch normalisation before the activation (never for pooling)
 * @param dropout    dropout rate in [0, 1) applied to the block's input
 * @param skips      indices of earlier blocks skipping into this one, ascending and distinct
 * @param skipMode   how skips merge, or {@code null} when there are none
 */
public record Block(Layer layer, Activation activation, boolean batchNorm, double dropout,
                   List<Integer> skips, SkipMode skipMode) implements Serializable {

    public Block {
        if (layer == null) {
            throw new IllegalArgumentException("a block needs a layer");
        }
        if (layer.hasActivation() && activation == null) {
            throw new IllegalArgumentException(layer.text() + " needs an activation");
        }
        if (!layer.hasActivation() && (activation != null || batchNorm)) {
            throw new IllegalArgumentException(layer.text() + " takes no activation or batch normalisation");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        skips = List.copyOf(skips);
        for (int i = 0; i < skips.size(); i++) {
            if (skips.get(i) < 0 || (i > 0 && skips.get(i) <= skips.get(i - 1))) {
                throw new IllegalArgumentException("skips must be ascending, distinct and non-negative, got " + skips);
            }
        }
        if (skips.isEmpty() != (skipMode == null)) {
            throw new IllegalArgumentException("a skip mode is given exactly when there are skips, got "
                    + skips + " with mode " + skipMode);
        }
    }

    /** A block without skips. */
    public static Block of(Layer layer, Activation activation, boolean batchNorm, double dropout) {
        return new Block(layer, activation, batchNorm, dropout, List.of(), null);
    }

    public Block withSkips(List<Integer> newSkips, SkipMode mode) {
        return new Block(layer, activation, batchNorm, dropout, newSkips, newSkips.isEmpty() ? null : mode);
    }

    public String text() {
        StringBuilder s = new StringBuilder(layer.text());
        if (activation != null) {
            s.append(':').append(activation.text());
        }
        if (batchNorm) {
            s.append(":bn");
        }
        if (dropout > 0) {
            s.append(":d").append(BigDecimal.valueOf(dropout).stripTrailingZeros().toPlainString());
        }
        if (!skips.isEmpty()) {
            s.append(':').append(skipMode.text()).append('(');
            for (int i = 0; i < skips.size(); i++) {
                s.append(i == 0 ? "" : "+").append(skips.get(i));
            }
            s.append(')');
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    /** Parses {@link #text()}; the message of the exception names the offending part. */
    public static Block parse(String text) {
        String[] parts = text.split(":", -1);
        Layer layer = Layer.parse(parts[0]);
        int at = 1;
        Activation activation = null;
        if (layer.hasActivation()) {
            if (at >= parts.length) {
                throw new IllegalArgumentException("block '" + text + "' lacks an activation");
            }
            activation = Activation.fromText(parts[at++]);
        }
        boolean batchNorm = false;
        double dropout = 0;
        List<Integer> skips = List.of();
        SkipMode mode = null;
        for (; at < parts.length; at++) {
            String part = parts[at];
            if (part.equals("bn") && !batchNorm && dropout == 0 && mode == null) {
                batchNorm = true;
            } else if (part.startsWith("d") && part.length() > 1 && dropout == 0 && mode == null) {
                dropout = parseNumber(part.substring(1), text);
            } else if (part.endsWith(")") && part.indexOf('(') > 0 && mode == null) {
                mode = SkipMode.fromText(part.substring(0, part.indexOf('(')));
                skips = parseSkips(part.substring(part.indexOf('(') + 1, part.length() - 1), text);
            } else {
                throw new IllegalArgumentException("unexpected '" + part + "' in block '" + text + "'");
            }
        }
        return new Block(layer, activation, batchNorm, dropout, skips, mode);
    }

    private static List<Integer> parseSkips(String list, String block) {
        List<Integer> skips = new ArrayList<>();
        for (String index : list.split("\\+", -1)) {
            skips.add((int) parseNumber(index, block));
        }
        return skips;
    }

    private static double parseNumber(String number, String block) {
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number '" + number + "' in block '" + block + "'");
        }
    }
}
