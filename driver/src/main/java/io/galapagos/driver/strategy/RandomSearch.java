package io.galapagos.driver.strategy;

import io.galapagos.space.Architecture;
import io.galapagos.space.SearchSpace;
import io.galapagos.trial.TrialResult;

import java.util.Random;

/** Uniform random sampling of the space without repeats; the baseline every strategy must beat. */
public final class RandomSearch implements SearchStrategy {

    private static final long serialVersionUID = 1L;

    private final SearchSpace space;
    private final Random rng;
    private final ProposalHistory history = new ProposalHistory();

    public RandomSearch(SearchSpace space, long seed) {
        this.space = space;
        this.rng = new Random(seed);
    }

    @Override
    public Architecture ask() {
        return history.propose(() -> space.sample(rng));
    }

    @Override
    public void tell(TrialResult result) {
        // Random search learns nothing from results.
    }
}
