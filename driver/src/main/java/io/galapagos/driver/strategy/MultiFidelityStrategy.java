package io.galapagos.driver.strategy;

import io.galapagos.space.Architecture;

/**
 * A strategy that asks for trainings at a fidelity: level 0 is the cheapest (e.g. 12 epochs), level
 * {@link #fidelities()}{@code - 1} the full training (e.g. 200 epochs). The same architecture may be proposed
 * again at a higher level (a promotion), never twice at one level, and never at two levels at once, so a
 * told result is matched to its level by its architecture. The loop trains each proposal at its level and
 * tells the result with the objective's metric measured at that level. A loop that knows no fidelities
 * calls {@link #ask()} instead, which never repeats an architecture (see the implementation).
 */
public interface MultiFidelityStrategy extends SearchStrategy {

    /** An architecture to train at fidelity {@code level}. */
    record Proposal(Architecture architecture, int level) {
        public Proposal {
            if (architecture == null || level < 0) {
                throw new IllegalArgumentException("a proposal needs an architecture and a level >= 0, got "
                        + architecture + " at " + level);
            }
        }
    }

    /** The next training to run, and at which fidelity. */
    Proposal propose();

    /** How many fidelity levels, at least 2. */
    int fidelities();
}
