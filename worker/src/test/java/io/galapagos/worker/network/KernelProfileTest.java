package io.galapagos.worker.network;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.SequenceArchitecture;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The kernels of a network, counted from its layout by hand. */
class KernelProfileTest {

    private static final NetworkBuilder BUILDER = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30,
            Constraints.NONE, CellNetworkConfig.NB201, false);

    @Test
    void aLayersMultiplyAddsAreItsParametersTimesThePositionsItIsAppliedAt() throws Exception {
        KernelProfile kernels = BUILDER.kernels(MacroArchitecture.parse("conv3x3x8:relu/maxpool/dense16:relu"),
                new InputSpec(32, 32, 1, 3));
        assertEquals(Map.of(
                // 3x3x1x8 weights and 8 biases at each of 32x32 pixels, writing 32x32x8 values
                "ConvolutionLayer", new KernelProfile.Kernel(1, 80.0 * 1024, 8192),
                // no parameters; 16x16x8 values
                "SubsamplingLayer", new KernelProfile.Kernel(1, 0, 2048),
                // 2048 inputs to 16 units, then 16 to 3 classes, once each
                "DenseLayer", new KernelProfile.Kernel(1, 2048 * 16 + 16, 16),
                "OutputLayer", new KernelProfile.Kernel(1, 16 * 3 + 3, 3)), kernels.kinds());
    }

    @Test
    void aRecurrentLayerAppliesItsWeightsAtEveryTimeStepInEachDirection() throws Exception {
        KernelProfile kernels = BUILDER.kernels(SequenceArchitecture.parse("embed8/bilstm4/head-max"),
                new TokenInput(20, 5, 3));
        // each direction: 4 gates of 4 units over 8 inputs and 4 recurrent, plus biases: 4 * (8 + 4 + 1) * 4 = 208
        KernelProfile.Kernel bidirectional = kernels.kinds().get("Bidirectional-LSTM");
        assertEquals(1, bidirectional.count());
        assertEquals(2 * 208 * 5, bidirectional.macs());
        assertEquals(8 * 5, bidirectional.outputs(), "both directions' 4 units concatenated, at 5 steps");
    }
}
