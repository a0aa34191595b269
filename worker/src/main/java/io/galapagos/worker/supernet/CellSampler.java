package io.galapagos.worker.supernet;

import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws the cells one supernet step trains, on one mini-batch, from a cell space or from the part of it a few-shot
 * sub-supernet covers (one edge fixed to one operation). Stateless apart from the generator it is given.
 */
@FunctionalInterface
public interface CellSampler {

    /** The cells of one step: their gradients are averaged into one update. */
    List<CellArchitecture> sample(RandomGenerator random);

    /** Single-path uniform sampling (SPOS, Guo et al. 2020): one cell a step, every operation equally likely. */
    static CellSampler uniform(List<CellOperation> operations, int fixedEdge, CellOperation fixed) {
        return singlePath(operations, Collections.nCopies(operations.size(), 1.0), fixedEdge, fixed);
    }

    /**
     * Single-path sampling: one cell a step, each edge's operation drawn independently in proportion to its weight
     * ({@code weights}, one per operation, positive). Equal weights are SPOS's uniform sampling, drawn as before
     * weights existed so that a seed trains the same supernet. Unequal weights train some operations more often: a
     * supernet trained uniformly ranks cells of skip connections above where they train to, and drawing
     * convolutions more often mends that (see the README's weight-sharing measurements).
     */
    static CellSampler singlePath(List<CellOperation> operations, List<Double> weights, int fixedEdge,
                                  CellOperation fixed) {
        List<CellOperation> choices = List.copyOf(operations);
        if (weights.size() != choices.size() || weights.stream().anyMatch(w -> !(w > 0) || w.isInfinite())) {
            throw new IllegalArgumentException("need one positive weight per operation, got " + weights + " for "
                    + choices);
        }
        if (weights.stream().distinct().count() == 1) {
            CellSearchSpace space = new CellSearchSpace(choices);
            return random -> {
                CellArchitecture cell = space.sample(random);
                return List.of(fixedEdge < 0 ? cell : cell.with(fixedEdge, fixed));
            };
        }
        double[] cumulative = new double[weights.size()];
        double total = 0;
        for (int i = 0; i < cumulative.length; i++) {
            total += weights.get(i);
            cumulative[i] = total;
        }
        double sum = total;
        return random -> {
            List<CellOperation> edges = new ArrayList<>(CellArchitecture.EDGES);
            for (int edge = 0; edge < CellArchitecture.EDGES; edge++) {
                double u = random.nextDouble() * sum;
                int i = 0;
                while (i < cumulative.length - 1 && u >= cumulative[i]) {
                    i++;
                }
                edges.add(edge == fixedEdge ? fixed : choices.get(i));
            }
            return List.of(new CellArchitecture(edges));
        };
    }

    /**
     * Strict fairness (FairNAS, Chu et al. 2021): one cell per operation a step, each edge carrying every operation
     * exactly once among them (a fresh random permutation per edge), so that after every step each operation of
     * every edge has been trained exactly as often as the others, rather than only on average as under uniform
     * sampling. A step costs as many forward and backward passes as there are operations.
     */
    static CellSampler fair(List<CellOperation> operations, int fixedEdge, CellOperation fixed) {
        List<CellOperation> choices = List.copyOf(operations);
        return random -> {
            int k = choices.size();
            CellOperation[][] edges = new CellOperation[k][CellArchitecture.EDGES];
            for (int edge = 0; edge < CellArchitecture.EDGES; edge++) {
                List<CellOperation> order = new ArrayList<>(choices);
                for (int i = k - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    order.set(j, order.set(i, order.get(j)));
                }
                for (int cell = 0; cell < k; cell++) {
                    edges[cell][edge] = edge == fixedEdge ? fixed : order.get(cell);
                }
            }
            List<CellArchitecture> group = new ArrayList<>(k);
            for (CellOperation[] cell : edges) {
                group.add(new CellArchitecture(List.of(cell)));
            }
            return group;
        };
    }
}
