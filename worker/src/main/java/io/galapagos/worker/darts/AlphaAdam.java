package io.galapagos.worker.darts;

import org.nd4j.linalg.api.ndarray.INDArray;
import io.galapagos.worker.supernet.NamedAdam;

/**
 * Adam (Kingma and Ba 2015) for DARTS's architecture weights, with L2 weight decay added to the gradient, as
 * DARTS configures PyTorch's Adam for {@code alpha} (rate 3e-4, betas 0.5 and 0.999, decay 1e-3). Its state (the
 * moment estimates and the step count) is plain values, so that a checkpoint can hold it. Not thread-safe.
 */
public final class AlphaAdam {

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private INDArray first;
    private INDArray second;
    private long steps;

    public AlphaAdam(double learningRate, double beta1, double beta2, double weightDecay) {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("need learning rate > 0, betas in [0, 1) and weight decay >= 0, got "
                    + learningRate + ", " + beta1 + ", " + beta2 + " and " + weightDecay);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
    }

    /** Moves {@code alpha} in place against {@code gradient} (which is not changed). */
    public void step(INDArray alpha, INDArray gradient) {
        INDArray g = gradient.add(alpha.mul(weightDecay));
        if (first == null) {
            first = alpha.ulike().assign(0);
            second = alpha.ulike().assign(0);
        }
        steps++;
        NamedAdam.move(alpha, g, first, second, steps, learningRate, beta1, beta2);
    }

    /** The optimiser's state: copies of the moment estimates (null before the first step) and the step count. */
    public State state() {
        return new State(first == null ? null : first.dup(), second == null ? null : second.dup(), steps);
    }

    /** Continues from {@code state} (as {@link #state()} gave it). */
    public void restore(State state) {
        first = state.first() == null ? null : state.first().dup();
        second = state.second() == null ? null : state.second().dup();
        steps = state.steps();
    }

    /** Adam's moment estimates and step count. */
    public record State(INDArray first, INDArray second, long steps) {
    }
}
