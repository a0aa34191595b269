package io.galapagos.worker.network;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Learned position embeddings (as BERT's) added to a sequence of {@code width}-wide vectors of a fixed
 * {@code length}: attention alone is blind to order, so the planner puts this before an attention block that no
 * recurrent layer or convolution precedes.
 */
public final class PositionalEmbedding extends PlannedSameDiffLayer {

    /** BERT's initial standard deviation. */
    private static final double INITIAL_STD = 0.02;

    @JsonProperty
    private int width;
    @JsonProperty
    private int length;

    private PositionalEmbedding() {
        // for DL4J's JSON form of a configuration
    }

    PositionalEmbedding(int width, int length) {
        this.width = width;
        this.length = length;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam("P", 1, width, length);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        SameDiffInit.normal(params.get("P"), INITIAL_STD);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        return input.add(params.get("P"));
    }
}
