package io.galapagos.space;

import java.io.Serializable;

/**
 * The layer a block applies: the closed set of layer types of the macro space. Convolution and pooling
 * form the feature stage of a network, dense layers its head.
 */
public sealed interface Layer extends Serializable {

    /** Canonical text of this layer, e.g. {@code conv3x3x32}, {@code maxpool}, {@code dense128}. */
    String text();

    /** Whether this layer works on images (feature stage) rather than flat vectors (head stage). */
    default boolean spatial() {
        return !(this instanceof Dense);
    }

    /** Whether the block applying this layer carries an activation and optional batch normalisation. */
    default boolean hasActivation() {
        return !(this instanceof Pool);
    }

    /** A same-padded, stride-1 convolution with a square kernel. */
    record Conv(int kernel, int filters) implements Layer {
        public Conv {
            if (kernel < 1 || kernel % 2 == 0) {
                throw new IllegalArgumentException("convolution kernel must be odd and positive, got " + kernel);
            }
            if (filters < 1) {
                throw new IllegalArgumentException("convolution filters must be positive, got " + filters);
            }
        }

        @Override
        public String text() {
            return "conv" + kernel + "x" + kernel + "x" + filters;
        }
    }

    /** A 2x2, stride-2 pooling that halves the spatial size (rounding up). */
    record Pool(PoolKind kind) implements Layer {
        public Pool {
            if (kind == null) {
                throw new IllegalArgumentException("pooling kind is required");
            }
        }

        @Override
        public String text() {
            return kind.text();
        }
    }

    /** A fully connected layer. */
    record Dense(int units) implements Layer {
        public Dense {
            if (units < 1) {
                throw new IllegalArgumentException("dense units must be positive, got " + units);
            }
        }

        @Override
        public String text() {
            return "dense" + units;
        }
    }

    /** Parses the layer part of a block's text. */
    static Layer parse(String text) {
        for (PoolKind kind : PoolKind.values()) {
            if (kind.text().equals(text)) {
                return new Pool(kind);
            }
        }
        try {
            if (text.startsWith("conv")) {
                String[] dims = text.substring(4).split("x", -1);
                if (dims.length == 3 && dims[0].equals(dims[1])) {
                    return new Conv(Integer.parseInt(dims[0]), Integer.parseInt(dims[2]));
                }
            } else if (text.startsWith("dense")) {
                return new Dense(Integer.parseInt(text.substring(5)));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("unknown layer '" + text
                + "' (expected convKxKxF, maxpool, avgpool or denseU)");
    }
}
