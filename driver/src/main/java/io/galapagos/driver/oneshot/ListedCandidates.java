package io.galapagos.driver.oneshot;

import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.space.Architecture;
import io.galapagos.trial.TrialResult;

import java.util.List;

/**
 * Proposes a given list of architectures, in order, and learns nothing from their results: the cells a phase of a
 * weight-sharing search measures (the correlation sample) or retrains stand-alone (the best on shared weights).
 */
final class ListedCandidates implements SearchStrategy {

    private static final long serialVersionUID = 1L;

    private final List<Architecture> architectures;
    private int next;

    ListedCandidates(List<? extends Architecture> architectures) {
        this.architectures = List.copyOf(architectures);
    }

    @Override
    public Architecture ask() {
        if (next >= architectures.size()) {
            throw new IllegalStateException("all " + architectures.size() + " listed architectures were proposed");
        }
        return architectures.get(next++);
    }

    @Override
    public void tell(TrialResult result) {
        // a list is fixed in advance
    }
}
