package io.galapagos.worker.supernet;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with momentum over named weights ({@link NamedOptimiser}); its state is each weight's
 * velocity, under the weight's name. SPOS trains its supernets with it (Guo et al. 2020), and DARTS its weights.
 */
public final class NamedSgd extends NamedOptimiser {

    private final double momentum;

    public NamedSgd(double learningRate, double momentum, double weightDecay) {
        super(learningRate, weightDecay);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("need momentum in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    void update(String name, INDArray weight, INDArray g, double rate) {
        INDArray v = state.computeIfAbsent(name, n -> weight.ulike().assign(0));
        v.muli(momentum).addi(g);
        weight.subi(v.mul(rate));
    }
}
