package io.galapagos.driver.strategy;

import java.io.Serializable;

/** The Adam optimiser (Kingma and Ba 2015) over one flat parameter vector; its moments are its state. */
final class Adam implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final double learningRate;
    private final double[] m;
    private final double[] v;
    private int steps;

    Adam(int size, double learningRate) {
        this.learningRate = learningRate;
        this.m = new double[size];
        this.v = new double[size];
    }

    /** One step that increases the objective whose gradient is {@code gradient}. */
    void ascend(double[] parameters, double[] gradient) {
        step(parameters, gradient, 1);
    }

    /** One step that decreases the loss whose gradient is {@code gradient}. */
    void descend(double[] parameters, double[] gradient) {
        step(parameters, gradient, -1);
    }

    private void step(double[] parameters, double[] gradient, int sign) {
        steps++;
        double c1 = 1 - Math.pow(BETA1, steps);
        double c2 = 1 - Math.pow(BETA2, steps);
        for (int i = 0; i < parameters.length; i++) {
            m[i] = BETA1 * m[i] + (1 - BETA1) * gradient[i];
            v[i] = BETA2 * v[i] + (1 - BETA2) * gradient[i] * gradient[i];
            parameters[i] += sign * learningRate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPSILON);
        }
    }
}
