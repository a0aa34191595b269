package io.galapagos.worker.supernet;

import io.galapagos.config.OneShotConfig;
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
 * A supernet's optimiser over {@link SharedWeights}, its state kept per weight name: a step moves only the weights
 * of the path that computed the gradient, and a weight's state is its own across every path that holds it. That is
 * why supernet training does not use the network's own DL4J updater: a path network is short-lived, and momentum's
 * or Adam's state would have to follow each weight from network to network.
 *
 * <p>Batch normalisation's running mean and variance are not learned: DL4J gives them a no-op updater and a
 * "gradient" that is the change to subtract ({@code running - decay * running - (1 - decay) * batch}); they are
 * stepped the same way here, by every optimiser. Not thread-safe.
 */
public abstract sealed class NamedOptimiser permits NamedSgd, NamedAdam {

    private final double learningRate;
    private final double weightDecay;
    /** The optimiser's state arrays by key ({@link #state}); each optimiser names its own keys. */
    final Map<String, INDArray> state = new HashMap<>();

    NamedOptimiser(double learningRate, double weightDecay) {
        if (!(learningRate > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("need learning rate > 0 and weight decay >= 0, got " + learningRate
                    + " and " + weightDecay);
        }
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
    }

    /**
     * The optimiser of {@code kind} at {@code learningRate}: SGD with {@code momentum}, or Adam with DL4J's default
     * moment decays (0.9 and 0.999), as the stand-alone trainer's.
     */
    public static NamedOptimiser of(OneShotConfig.Optimiser kind, double learningRate, double momentum,
                                    double weightDecay) {
        return switch (kind) {
            case SGD -> new NamedSgd(learningRate, momentum, weightDecay);
            case ADAM -> new NamedAdam(learningRate, weightDecay);
        };
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
        for (Map.Entry<String, List<Direction>> entry : byName.entrySet()) {
            String name = entry.getKey();
            List<Direction> list = entry.getValue();
            INDArray weight = weights.live(name);
            if (weight == null) {
                throw new IllegalStateException(name + " was never lent: lend the weights before computing a step");
            }
            INDArray g = list.get(0).value().dup();
            for (int i = 1; i < list.size(); i++) {
                g.addi(list.get(i).value());
            }
            g.divi(list.size());
            if (list.get(0).statistic()) {
                weight.subi(g);
                continue;
            }
            if (weightDecay > 0) {
                g.addi(weight.mul(weightDecay));
            }
            update(name, weight, g, learningRate * rateFactor);
        }
    }

    /** Moves {@code weight} (named {@code name}) against its gradient {@code g}, at the rate {@code rate}. */
    abstract void update(String name, INDArray weight, INDArray g, double rate);

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

    /**
     * What one path asks of one weight.
     *
     * @param value     the gradient, averaged over the mini-batch; for a running statistic, the change to subtract
     * @param statistic whether the weight is a batch-normalisation running statistic, which is not learned
     */
    public record Direction(INDArray value, boolean statistic) {
    }

    /** Copies of the optimiser's state arrays by key: with the weights, what continuing a training needs. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> copies = new TreeMap<>();
        state.forEach((key, s) -> copies.put(key, s.dup()));
        return copies;
    }

    /** Continues from {@code state} (as {@link #state()} of an optimiser of the same kind gave it), replacing any held. */
    public void restore(Map<String, INDArray> state) {
        this.state.clear();
        state.forEach((key, s) -> this.state.put(key, s.dup()));
    }
}
