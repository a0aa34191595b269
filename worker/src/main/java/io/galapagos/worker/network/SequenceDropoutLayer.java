package io.galapagos.worker.network;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The working layer of {@link SequenceDropout}: draws a keep mask from ND4J's random generator (seeded by the network)
 * on every training pass and applies the same mask to the gradient. Not thread-safe, as every DL4J layer.
 */
final class SequenceDropoutLayer extends AbstractLayer<SequenceDropout> {

    /** The scaled keep mask of the last training pass; null after an inference pass. */
    private INDArray kept;

    SequenceDropoutLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!training) {
            kept = null;
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, input);
        }
        double keep = 1 - layerConf().rate();
        // outside the forward pass's workspace, which is gone by the time the backward pass reads the mask
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            kept = Nd4j.rand(input.dataType(), input.shape()).lt(keep).castTo(input.dataType()).divi(keep);
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input.mul(kept));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray gradient = kept == null ? epsilon.dup() : epsilon.mul(kept);
        return new Pair<>(new DefaultGradient(), workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, gradient));
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no weights
    }
}
