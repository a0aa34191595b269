package io.galapagos.config;

import io.galapagos.space.InvalidValueException;

import java.io.Serializable;

/**
 * How a NAS-Bench-201 cell becomes a stand-alone network to train (NB201's skeleton): a 3x3 convolution stem
 * to {@code channels} channels, then {@value #STAGES} stages of {@code cellsPerStage} cells each, the channels
 * doubling and the image halving at each stage after the first (a residual reduction block between stages),
 * then a global-average-pooling head and the classifier. NAS-Bench-201's own networks are {@code channels} 16
 * and {@code cellsPerStage} 5 ({@link #NB201}); smaller ones train in minutes on a CPU.
 *
 * @param channels      channels of the first stage ({@code training.cell_channels})
 * @param cellsPerStage cells in each stage ({@code training.cells_per_stage})
 */
public record CellNetworkConfig(int channels, int cellsPerStage) implements Serializable {

    public static final int STAGES = 3;

    /** NAS-Bench-201's skeleton: 16 channels, 5 cells per stage. */
    public static final CellNetworkConfig NB201 = new CellNetworkConfig(16, 5);

    public CellNetworkConfig {
        if (channels < 1 || channels > 1024) {
            throw new InvalidValueException("cell_channels", channels, "must be between 1 and 1024");
        }
        if (cellsPerStage < 1 || cellsPerStage > 100) {
            throw new InvalidValueException("cells_per_stage", cellsPerStage, "must be between 1 and 100");
        }
    }

    /** The channels of stage {@code stage} (0, 1 or 2): {@code channels * 2^stage}. */
    public int channelsAt(int stage) {
        return channels << stage;
    }
}
