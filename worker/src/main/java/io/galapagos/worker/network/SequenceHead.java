package io.galapagos.worker.network;

import io.galapagos.space.SequencePooling;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * The head of a sequence network: pools a masked sequence of {@code length} {@code width}-wide vectors ({@code [batch, width,
 * time]}) into one vector per example, ignoring padding (the last real position, the maximum or the mean over the
 * real positions, or attention pooling: Yang et al. 2016, a learned query scores {@code tanh(W x_t + b)} at every
 * real position and the softmax of the scores weighs the positions), then a dense layer gives the logits of the
 * {@code classes} classes. One layer for the four poolings, so every head treats the mask the same way; the dense
 * layer is part of it because DL4J cannot train a SameDiff layer without parameters.
 */
public final class SequenceHead extends PlannedSameDiffLayer {

    /** Added to padded positions' scores and values so that max and softmax never pick them. */
    private static final double MASKED = -1e9;

    @JsonProperty
    private SequencePooling pooling;
    @JsonProperty
    private int width;
    @JsonProperty
    private int length;
    @JsonProperty
    private int classes;

    private SequenceHead() {
        // for DL4J's JSON form of a configuration
    }

    SequenceHead(SequencePooling pooling, int width, int length, int classes) {
        this.pooling = pooling;
        this.width = width;
        this.length = length;
        this.classes = classes;
    }

    /** Parameters of attention pooling (projection, bias and query; none for the others). */
    static long poolingParams(SequencePooling pooling, int width) {
        return pooling == SequencePooling.ATTENTION ? (long) width * width + 2L * width : 0;
    }

    /** Parameters in all: the pooling's and the dense layer's. */
    static long params(SequencePooling pooling, int width, int classes) {
        return poolingParams(pooling, width) + (long) width * classes + classes;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(classes);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        return new Pair<>(null, currentMaskState);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        if (pooling == SequencePooling.ATTENTION) {
            params.addWeightParam("W", width, width);
            params.addBiasParam("b", 1, width);
            params.addWeightParam("q", width, 1);
        }
        params.addWeightParam("Wout", width, classes);
        params.addBiasParam("bout", 1, classes);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        if (pooling == SequencePooling.ATTENTION) {
            SameDiffInit.glorot(params.get("W"), width, width);
            params.get("b").assign(0);
            SameDiffInit.glorot(params.get("q"), width, 1);
        }
        SameDiffInit.glorot(params.get("Wout"), width, classes);
        params.get("bout").assign(0);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
        SDVariable pooled = switch (pooling) {
            // at one position the mean and the last are that position's vector; SameDiff makes a sum over an axis of
            // length 1 a no-op without an input, which fails
            case LAST -> length == 1 ? input.reshape(-1, width) : last(input, mask);
            case MAX -> input.add(perPosition(mask).sub(1.0).mul(-MASKED)).max(2);
            case MEAN -> length == 1 ? input.reshape(-1, width)
                    : input.mul(perPosition(mask)).sum(2).div(mask.sum(true, 1));
            case ATTENTION -> attention(sd, input, p, mask);
        };
        return pooled.mmul(p.get("Wout")).add(p.get("bout").reshape(classes));
    }

    /**
     * {@code [batch, time]} as {@code [batch, 1, time]}, to weigh every vector of a position. A reshape, not
     * {@code expandDims}: after an LSTM the mask arrives in Fortran order, which SameDiff's expand_dims fails on.
     */
    private SDVariable perPosition(SDVariable weights) {
        return weights.reshape(-1, 1, length);
    }

    /** The vector at each example's last real position: where the running count of real positions is complete. */
    private SDVariable last(SDVariable input, SDVariable mask) {
        SameDiff sd = mask.getSameDiff();
        SDVariable lastPosition = mask.mul(sd.eq(sd.cumsum(mask, false, false, 1), mask.sum(true, 1))
                .castTo(mask.dataType()));
        return input.mul(perPosition(lastPosition)).sum(2);
    }

    private SDVariable attention(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
        // position by position: rows of [batch x length, width] (SameDiff's tensorMmul gradient fails on this shape)
        SDVariable positions = sd.reshape(input.permute(0, 2, 1), -1, width);
        SDVariable keys = sd.math.tanh(positions.mmul(p.get("W")).add(p.get("b")));
        SDVariable scores = sd.reshape(keys.mmul(p.get("q")), -1, length).add(mask.sub(1.0).mul(-MASKED));
        return input.mul(perPosition(sd.nn.softmax(scores, 1))).sum(2);
    }
}
