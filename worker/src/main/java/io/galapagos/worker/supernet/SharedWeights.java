package io.galapagos.worker.supernet;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The weights of a supernet: every parameter that any path network of a cell space holds, under its DL4J name
 * ({@code <layer>_<parameter>}, e.g. {@code s0c0_n2from1_nor_conv_3x3_conv_W}). The cell planner names a layer by
 * cell, edge and operation, so the networks of two cells that share an operation on an edge share that
 * operation's weights, and nothing else: a path never holds the weights of another operation.
 *
 * <p>A path network borrows the weights ({@link #lend}) to compute a step's gradients, which {@link NamedOptimiser}
 * applies to the shared weights, or to be measured. A weight the supernet does not hold yet starts as the borrowing network initialised it
 * (seeded), so that a supernet grows as paths are sampled. Not thread-safe: one supernet trains on one thread.
 */
public final class SharedWeights {

    private final Map<String, INDArray> weights = new TreeMap<>();

    /** An empty supernet: it grows as paths borrow from it. */
    public SharedWeights() {
    }

    /** A supernet holding {@code weights} by name (as a checkpoint restores it); it takes the arrays over. */
    public static SharedWeights of(Map<String, INDArray> weights) {
        SharedWeights shared = new SharedWeights();
        shared.weights.putAll(weights);
        return shared;
    }

    /**
     * Sets {@code path}'s parameters to the shared ones of the same name; a parameter not shared yet is taken from
     * {@code path}'s own initial value.
     *
     * @throws IllegalArgumentException when a shared weight of that name has another shape (the path is of another
     *                                  space or skeleton), naming the weight and both shapes
     */
    public void lend(ComputationGraph path) {
        for (Map.Entry<String, INDArray> parameter : path.paramTable().entrySet()) {
            INDArray shared = weights.get(parameter.getKey());
            if (shared == null) {
                weights.put(parameter.getKey(), parameter.getValue().dup());
            } else {
                checkShape(parameter.getKey(), shared, parameter.getValue());
                parameter.getValue().assign(shared);
            }
        }
    }

    /**
     * Sets {@code path}'s parameters to the shared ones of the same name, for measuring: a parameter the supernet
     * does not hold (an operation no training step sampled) keeps {@code path}'s own initial value, and the
     * supernet is not changed, so any number of threads may lend a supernet nobody trains at the same time.
     *
     * @return how many of {@code path}'s parameters the supernet did not hold
     * @throws IllegalArgumentException when a shared weight has another shape, as {@link #lend} does
     */
    public int lendFrozen(ComputationGraph path) {
        int missing = 0;
        for (Map.Entry<String, INDArray> parameter : path.paramTable().entrySet()) {
            INDArray shared = weights.get(parameter.getKey());
            if (shared == null) {
                missing++;
            } else {
                checkShape(parameter.getKey(), shared, parameter.getValue());
                parameter.getValue().assign(shared);
            }
        }
        return missing;
    }

    /** The live weight {@code name}, for the optimiser to update in place; null when not held. */
    INDArray live(String name) {
        return weights.get(name);
    }

    /** The names of the weights held, sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(weights.keySet());
    }

    /** A copy of the weight {@code name}. */
    public INDArray get(String name) {
        INDArray weight = weights.get(name);
        if (weight == null) {
            throw new IllegalArgumentException("the supernet holds no weight " + name);
        }
        return weight.dup();
    }

    private static void checkShape(String name, INDArray shared, INDArray own) {
        if (!Arrays.equals(shared.shape(), own.shape())) {
            throw new IllegalArgumentException("weight " + name + " is " + Arrays.toString(shared.shape())
                    + " in the supernet but " + Arrays.toString(own.shape()) + " in the network: another space or "
                    + "skeleton");
        }
    }
}
