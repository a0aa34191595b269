package io.galapagos.driver.strategy;

import java.io.Serializable;
import java.util.Random;

/**
 * A small regression network in plain Java: {@code inputs -> hidden -> hidden -> 1}, ReLU, trained with
 * Adam on mean squared error in minibatches. Its weights are its state; training draws only from the
 * generator passed in, so it is deterministic. Not thread-safe.
 */
final class Mlp implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int inputs;
    private final int hidden;
    /** w1 (hidden x inputs), b1, w2 (hidden x hidden), b2, w3 (hidden), b3: one flat vector for Adam. */
    private final double[] p;
    private final int w1;
    private final int b1;
    private final int w2;
    private final int b2;
    private final int w3;
    private final int b3;

    Mlp(int inputs, int hidden, Random rng) {
        this.inputs = inputs;
        this.hidden = hidden;
        w1 = 0;
        b1 = w1 + hidden * inputs;
        w2 = b1 + hidden;
        b2 = w2 + hidden * hidden;
        w3 = b2 + hidden;
        b3 = w3 + hidden;
        p = new double[b3 + 1];
        init(w1, hidden * inputs, inputs, rng);
        init(w2, hidden * hidden, hidden, rng);
        init(w3, hidden, hidden, rng);
    }

    private void init(int at, int count, int fanIn, Random rng) {
        double scale = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < count; i++) {
            p[at + i] = rng.nextGaussian() * scale;
        }
    }

    double predict(double[] x) {
        double[] h1 = new double[hidden];
        double[] h2 = new double[hidden];
        return forward(x, h1, h2);
    }

    private double forward(double[] x, double[] h1, double[] h2) {
        for (int j = 0; j < hidden; j++) {
            double s = p[b1 + j];
            int row = w1 + j * inputs;
            for (int i = 0; i < inputs; i++) {
                if (x[i] != 0) {
                    s += p[row + i] * x[i];
                }
            }
            h1[j] = s > 0 ? s : 0;
        }
        for (int j = 0; j < hidden; j++) {
            double s = p[b2 + j];
            int row = w2 + j * hidden;
            for (int i = 0; i < hidden; i++) {
                s += p[row + i] * h1[i];
            }
            h2[j] = s > 0 ? s : 0;
        }
        double out = p[b3];
        for (int j = 0; j < hidden; j++) {
            out += p[w3 + j] * h2[j];
        }
        return out;
    }

    /**
     * {@code steps} Adam steps on minibatches of {@code batch} rows drawn with replacement, with L2 weight
     * decay {@code decay}.
     */
    void train(double[][] xs, double[] ys, int steps, int batch, double learningRate, double decay, Random rng) {
        Adam adam = new Adam(p.length, learningRate);
        double[] g = new double[p.length];
        double[] h1 = new double[hidden];
        double[] h2 = new double[hidden];
        double[] d2 = new double[hidden];
        double[] d1 = new double[hidden];
        int n = xs.length;
        int size = Math.min(batch, n);
        for (int step = 0; step < steps; step++) {
            java.util.Arrays.fill(g, 0);
            for (int k = 0; k < size; k++) {
                int r = rng.nextInt(n);
                double[] x = xs[r];
                double err = (forward(x, h1, h2) - ys[r]) * 2 / size;
                g[b3] += err;
                for (int j = 0; j < hidden; j++) {
                    g[w3 + j] += err * h2[j];
                    d2[j] = h2[j] > 0 ? err * p[w3 + j] : 0;
                }
                java.util.Arrays.fill(d1, 0);
                for (int j = 0; j < hidden; j++) {
                    if (d2[j] == 0) {
                        continue;
                    }
                    g[b2 + j] += d2[j];
                    int row = w2 + j * hidden;
                    for (int i = 0; i < hidden; i++) {
                        g[row + i] += d2[j] * h1[i];
                        d1[i] += d2[j] * p[row + i];
                    }
                }
                for (int j = 0; j < hidden; j++) {
                    if (h1[j] <= 0) {
                        continue;
                    }
                    g[b1 + j] += d1[j];
                    int row = w1 + j * inputs;
                    for (int i = 0; i < inputs; i++) {
                        if (x[i] != 0) {
                            g[row + i] += d1[j] * x[i];
                        }
                    }
                }
            }
            if (decay > 0) {
                for (int i = 0; i < b3; i++) {
                    g[i] += decay * p[i];
                }
            }
            adam.descend(p, g);
        }
    }
}
