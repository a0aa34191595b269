package io.galapagos.driver.oneshot;

import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;

import java.util.List;
import java.util.OptionalInt;

/**
 * DARTS+-style early stopping (Liang et al. 2019) on the dominance of parameter-free operations: a seed stops after
 * the first epoch past the warm-up whose derived cell has more than half of its edges parameter-free, and its answer
 * is the last cell it derived before that epoch (past the warm-up, when alpha had learned); when the very first
 * such epoch already tipped over, that cell is all there is. Stateless.
 */
final class EarlyStop {

    private EarlyStop() {
    }

    /** How many of a cell's edges carry a parameter-free operation. */
    static int parameterFree(CellArchitecture cell) {
        return (int) cell.edges().stream().filter(CellOperation::parameterFree).count();
    }

    /** Whether more than half of {@code cell}'s edges are parameter-free: the collapse DARTS is known for. */
    static boolean collapsed(CellArchitecture cell) {
        return 2 * parameterFree(cell) > CellArchitecture.EDGES;
    }

    /**
     * The epoch (from 0) after which a seed that derived {@code cells}, one per epoch, stops; empty when it has not.
     */
    static OptionalInt stopAfter(List<CellArchitecture> cells, int warmupEpochs) {
        for (int epoch = warmupEpochs; epoch < cells.size(); epoch++) {
            if (collapsed(cells.get(epoch))) {
                return OptionalInt.of(epoch);
            }
        }
        return OptionalInt.empty();
    }

    /** The answer of a seed that derived {@code cells}, one per epoch, under early stopping. */
    static int answerEpoch(List<CellArchitecture> cells, int warmupEpochs) {
        OptionalInt stop = stopAfter(cells, warmupEpochs);
        if (stop.isEmpty()) {
            return cells.size() - 1;
        }
        return Math.max(warmupEpochs, stop.getAsInt() - 1);
    }
}
