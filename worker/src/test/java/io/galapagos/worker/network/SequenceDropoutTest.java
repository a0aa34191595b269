package io.galapagos.worker.network;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SequenceDropoutTest {

    private static SequenceDropoutLayer layer(double rate) {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().layer(new SequenceDropout(rate)).build();
        return (SequenceDropoutLayer) conf.getLayer().instantiate(conf, null, 0, null, false, DataType.FLOAT);
    }

    @Test
    void trainingDropsTheRateAndScalesTheRestAndTheGradientFollowsTheSameMask() {
        Nd4j.getRandom().setSeed(3);
        SequenceDropoutLayer dropout = layer(0.25);
        INDArray input = Nd4j.ones(DataType.FLOAT, 40, 10, 25);
        INDArray out = dropout.activate(input, true, LayerWorkspaceMgr.noWorkspaces());
        long dropped = out.eq(0).castTo(DataType.INT).sumNumber().longValue();
        assertEquals(0.25, dropped / 10_000.0, 0.02, "share dropped");
        assertEquals(10_000 - dropped, out.eq(1 / 0.75f).castTo(DataType.INT).sumNumber().longValue(),
                "the kept values are scaled by 1 / (1 - rate)");
        INDArray gradient = dropout.backpropGradient(Nd4j.ones(DataType.FLOAT, 40, 10, 25),
                LayerWorkspaceMgr.noWorkspaces()).getSecond();
        assertEquals(out, gradient, "the gradient of x * mask is the mask");
    }

    @Test
    void inferencePassesTheInputThrough() {
        INDArray input = Nd4j.rand(DataType.FLOAT, 4, 3, 5);
        assertEquals(input, layer(0.5).activate(input, false, LayerWorkspaceMgr.noWorkspaces()));
    }
}
