package io.galapagos.worker.supernet;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba 2015) over named weights ({@link NamedOptimiser}), with DL4J's defaults: moment decays 0.9
 * and 0.999, epsilon 1e-8. Its state under a weight's name is that weight's first moment ({@code m/}), second moment
 * ({@code v/}) and step count ({@code t/}). The count is the weight's own: in single-path training a weight sits out
 * the steps whose path does not hold it, and its moments' bias is corrected for the updates it had, not for the
 * supernet's steps.
 */
public final class NamedAdam extends NamedOptimiser {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    public NamedAdam(double learningRate, double weightDecay) {
        super(learningRate, weightDecay);
    }

    @Override
    void update(String name, INDArray weight, INDArray g, double rate) {
        INDArray m = state.computeIfAbsent("m/" + name, n -> weight.ulike().assign(0));
        INDArray v = state.computeIfAbsent("v/" + name, n -> weight.ulike().assign(0));
        INDArray t = state.computeIfAbsent("t/" + name, n -> Nd4j.zeros(weight.dataType(), 1));
        long steps = t.getLong(0) + 1;
        t.putScalar(0, steps);
        move(weight, g, m, v, steps, rate, BETA1, BETA2);
    }

    /**
     * Adam's step number {@code steps} (from 1) of {@code weight} against {@code g}: updates the first and second
     * moments {@code m} and {@code v} in place, then the weight, in DL4J's form (the bias corrections folded into
     * the rate, epsilon added to the uncorrected root).
     */
    public static void move(INDArray weight, INDArray g, INDArray m, INDArray v, long steps, double rate, double beta1,
                            double beta2) {
        m.muli(beta1).addi(g.mul(1 - beta1));
        v.muli(beta2).addi(g.mul(g).muli(1 - beta2));
        double correctedRate = rate * Math.sqrt(1 - Math.pow(beta2, steps)) / (1 - Math.pow(beta1, steps));
        weight.subi(m.div(Transforms.sqrt(v, true).addi(EPSILON)).muli(correctedRate));
    }
}
