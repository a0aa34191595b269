package io.galapagos.worker.supernet;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stochastic gradient descent with momentum (and optional weight decay) on {@link SharedWeights}, its velocity
 * kept per weight name: a step moves only the weights of the path that computed the gradient, and a weight's
 * velocity is its own across every path that holds it. That is why supernet training does not use the network's
 * own DL4J updater: a path network is short-lived, and Adam's or momentum's state would have to follow each
 * weight from network to network (SPOS trains with SGD and momentum too).
 *
 * <p>Batch normalisation's running mean and variance are not learned: DL4J gives them a no-op updater and a
 * "gradient" that is the change to subtract ({@code running - decay * running - (1 - decay) * batch}); they are
 * stepped the same way here. Not thread-safe.
 */
public final class NamedSgd {

    private final double learningRate;
    private final double momentum;
    private final double weightDecay;
    private final Map<String, INDArray> velocity = new HashMap<>();

    public NamedSgd(double learningRate, double momentum, double weightDecay) {
        if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("need learning rate > 0, momentum in [0, 1) and weight decay >= 0, got "
                    + learningRate + ", " + momentum + " and " + weightDecay);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /**
     * One step for the paths that computed their gradients on one mini-batch and the same weights (one path, or a
     * strictly fair group, FairNAS), at this optimiser's rate times {@code rateFactor} (a schedule's factor, 1 for
     * none): each weight moves by the mean of the directions of the paths that hold it, so a weight every path
     * holds (the stem's) takes one step of the usual size, not one per path.
     *
     * @param directions each path's {@link #directions}
     */
    public void step(List<Map<String, Direction>> directions, SharedWeights weights, double rateFactor) {
        Map<String, List<Direction>> byName = new TreeMap<>();
        directions.forEach(path -> path.forEach((name, d) -> byName.computeIfAbsent(name, n -> new ArrayList<>())
                .add(d)));
        Map<String, Direction> mean = new TreeMap<>();
        byName.forEach((name, list) -> {
            INDArray sum = list.get(0).value().dup();
            for (int i = 1; i < list.size(); i++) {
                sum.addi(list.get(i).value());
            }
            mean.put(name, new Direction(sum.divi(list.size()), list.get(0).statistic()));
        });
        apply(mean, weights, rateFactor);
    }

    /**
     * What {@code path}'s gradients ask of each weight it borrowed, copied out of the path: the gradient averaged
     * over the mini-batch (DL4J's gradients are sums over it, and its updater divides them, so this must too), or,
     * for batch normalisation's running statistics, the change to subtract.
     */
    public Map<String, Direction> directions(ComputationGraph path) {
        Gradient gradient = path.gradient();
        long batchSize = path.batchSize();
        Map<String, Direction> directions = new TreeMap<>();
        for (Map.Entry<String, INDArray> entry : gradient.gradientForVariable().entrySet()) {
            String name = entry.getKey();
            int split = name.lastIndexOf('_');
            Layer layer = path.getLayer(name.substring(0, split));
            String parameter = name.substring(split + 1);
            boolean statistic = layer.conf().getLayer().getUpdaterByParam(parameter) instanceof NoOp;
            INDArray value = !statistic && layer.updaterDivideByMinibatch(parameter) ? entry.getValue().div(batchSize)
                    : entry.getValue().dup();
            directions.put(name, new Direction(value, statistic));
        }
        return directions;
    }

    private void apply(Map<String, Direction> directions, SharedWeights weights, double rateFactor) {
        for (Map.Entry<String, Direction> entry : directions.entrySet()) {
            String name = entry.getKey();
            INDArray weight = weights.live(name);
            if (weight == null) {
                throw new IllegalStateException(name + " was never lent: lend the weights before computing a step");
            }
            INDArray g = entry.getValue().value();
            if (entry.getValue().statistic()) {
                weight.subi(g);
                continue;
            }
            if (weightDecay > 0) {
                g.addi(weight.mul(weightDecay));
            }
            INDArray v = velocity.computeIfAbsent(name, n -> weight.ulike().assign(0));
            v.muli(momentum).addi(g);
            weight.subi(v.mul(learningRate * rateFactor));
        }
    }

    /**
     * What one path asks of one weight.
     *
     * @param value     the gradient, averaged over the mini-batch; for a running statistic, the change to subtract
     * @param statistic whether the weight is a batch-normalisation running statistic, which is not learned
     */
    public record Direction(INDArray value, boolean statistic) {
    }

    /** Copies of the velocities by weight name: with the weights, what continuing a training needs. */
    public Map<String, INDArray> velocities() {
        Map<String, INDArray> copies = new TreeMap<>();
        velocity.forEach((name, v) -> copies.put(name, v.dup()));
        return copies;
    }

    /** Continues from {@code velocities} (as {@link #velocities()} gave them), replacing any held. */
    public void restore(Map<String, INDArray> velocities) {
        velocity.clear();
        velocities.forEach((name, v) -> velocity.put(name, v.dup()));
    }
}
