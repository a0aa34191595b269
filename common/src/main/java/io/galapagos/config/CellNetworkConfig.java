package io.galapagos.config;

import io.galapagos.space.InvalidValueException;

import java.io.Serializable;

/**
 * How a NAS-Bench-201 cell becomes a stand-alone network to train (NB201's skeleton): a 3x3 convolution stem
 * to {@code channels} channels, then {@value #STAGES} stages of {@code cellsPerStage} cells each, the channels
 * doubling and the image halving at each stage after the first (a {@link Reduction} between stages), then a
 * global-average-pooling head and the classifier. NAS-Bench-201's own networks are {@code channels} 16,
 * {@code cellsPerStage} 5 and residual reductions ({@link #NB201}); smaller ones train in minutes on a CPU.
 *
 * @param channels      channels of the first stage ({@code training.cell_channels})
 * @param cellsPerStage cells in each stage ({@code training.cells_per_stage})
 * @param reduction     what joins two stages ({@code training.cell_reduction})
 */
public record CellNetworkConfig(int channels, int cellsPerStage, Reduction reduction) implements Serializable {

    public static final int STAGES = 3;

    /** NAS-Bench-201's skeleton: 16 channels, 5 cells per stage, residual reductions. */
    public static final CellNetworkConfig NB201 = new CellNetworkConfig(16, 5);

    /** What halves the image and doubles the channels between two stages. */
    public enum Reduction {
        /** NAS-Bench-201's: a ResNet basic block of stride 2 (two 3x3 convolutions) with a 1x1 shortcut. */
        RESIDUAL,
        /**
         * Parameter-free: 2x2 average pooling of stride 2, its channels repeated to double them. Every learned
         * transformation between the stem and the classifier is then in the cells, so how well a network does
         * depends on its cell far more than on NAS-Bench-201's skeleton, whose two residual blocks learn well
         * whatever the cell (a network with a cell of only skip connections trains to within a few points of the
         * best).
         */
        POOL;

        /** The configuration's word for it: {@code residual}, {@code pool}. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public CellNetworkConfig {
        if (channels < 1 || channels > 1024) {
            throw new InvalidValueException("cell_channels", channels, "must be between 1 and 1024");
        }
        if (cellsPerStage < 1 || cellsPerStage > 100) {
            throw new InvalidValueException("cells_per_stage", cellsPerStage, "must be between 1 and 100");
        }
        if (reduction == null) {
            throw new IllegalArgumentException("the reduction is required");
        }
    }

    /** With NAS-Bench-201's residual reductions. */
    public CellNetworkConfig(int channels, int cellsPerStage) {
        this(channels, cellsPerStage, Reduction.RESIDUAL);
    }

    /** The channels of stage {@code stage} (0, 1 or 2): {@code channels * 2^stage}. */
    public int channelsAt(int stage) {
        return channels << stage;
    }
}
