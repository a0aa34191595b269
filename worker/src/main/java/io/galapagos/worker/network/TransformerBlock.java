package io.galapagos.worker.network;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A transformer encoder block (Vaswani et al. 2017, post-norm) on sequences of {@code width}-wide vectors in
 * DeepLearning4J's {@code [batch, width, time]} layout: multi-head scaled dot-product self-attention (padding masked
 * out), a residual connection and layer normalisation, then a position-wise feed-forward layer of
 * {@code feedForward} ReLU units back to {@code width}, at each of the {@code length} positions, a residual connection and layer normalisation. DL4J has no
 * layer normalisation layer, hence SameDiff. Attention projections have no biases, as DL4J's
 * {@code SelfAttentionLayer}.
 */
public final class TransformerBlock extends PlannedSameDiffLayer {

    @JsonProperty
    private int width;
    @JsonProperty
    private int length;
    @JsonProperty
    private int heads;
    @JsonProperty
    private int feedForward;

    private TransformerBlock() {
        // for DL4J's JSON form of a configuration
    }

    TransformerBlock(int width, int length, int heads, int feedForward) {
        if (width % heads != 0) {
            throw new IllegalArgumentException(heads + " heads do not divide the width " + width);
        }
        this.width = width;
        this.length = length;
        this.heads = heads;
        this.feedForward = feedForward;
    }

    /** Parameters: the four attention projections, two layer norms, the two feed-forward layers. */
    static long params(int width, int feedForward) {
        return 4L * width * width + 4L * width + (long) width * feedForward + feedForward
                + (long) feedForward * width + width;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        int head = width / heads;
        for (String projection : new String[]{"Wq", "Wk", "Wv"}) {
            params.addWeightParam(projection, heads, head, width);
        }
        params.addWeightParam("Wo", (long) heads * head, width);
        params.addWeightParam("W1", width, feedForward);
        params.addWeightParam("W2", feedForward, width);
        params.addBiasParam("b1", 1, feedForward);
        params.addBiasParam("b2", 1, width);
        for (String norm : new String[]{"gain1", "bias1", "gain2", "bias2"}) {
            params.addBiasParam(norm, 1, width);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        for (String projection : new String[]{"Wq", "Wk", "Wv"}) {
            SameDiffInit.glorot(params.get(projection), width, width / heads);
        }
        SameDiffInit.glorot(params.get("Wo"), width, width);
        SameDiffInit.glorot(params.get("W1"), width, feedForward);
        SameDiffInit.glorot(params.get("W2"), feedForward, width);
        for (String zero : new String[]{"b1", "b2", "bias1", "bias2"}) {
            params.get(zero).assign(0);
        }
        params.get("gain1").assign(1);
        params.get("gain2").assign(1);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
        SDVariable attended = sd.nn.multiHeadDotProductAttention(input, input, input, p.get("Wq"), p.get("Wk"),
                p.get("Wv"), p.get("Wo"), mask, true);
        SDVariable h = sd.nn.layerNorm(input.add(attended), p.get("gain1").reshape(width),
                p.get("bias1").reshape(width), true, 1);
        // position by position: rows of [batch x length, width] (SameDiff's tensorMmul gradient fails on this shape)
        SDVariable positions = sd.reshape(h.permute(0, 2, 1), -1, width);
        SDVariable hidden = sd.nn.relu(positions.mmul(p.get("W1")).add(p.get("b1")), 0);
        SDVariable out = sd.reshape(hidden.mmul(p.get("W2")).add(p.get("b2")), -1, length, width).permute(0, 2, 1);
        return sd.nn.layerNorm(h.add(out), p.get("gain2").reshape(width), p.get("bias2").reshape(width), true, 1);
    }
}
