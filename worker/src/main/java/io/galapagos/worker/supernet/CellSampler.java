package io.galapagos.worker.supernet;

import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;

import java.util.ArrayList;
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
        CellSearchSpace space = new CellSearchSpace(operations);
        return random -> {
            CellArchitecture cell = space.sample(random);
            return List.of(fixedEdge < 0 ? cell : cell.with(fixedEdge, fixed));
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
