package io.galapagos.driver.strategy;

import io.galapagos.space.Architecture;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The architectures a strategy has proposed, by canonical text, so that none is proposed twice. When a
 * generator keeps repeating itself (a small or nearly exhausted space, or a converged population whose every
 * neighbour was proposed) it gives up after a bounded number of draws, tries its fallback as many times (random
 * samples of the space), and returns a repeat only then, rather than loop forever.
 */
final class ProposalHistory implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final int MAX_DRAWS = 1000;

    private final Set<String> proposed = new HashSet<>();

    /** The first draw of {@code generator} not proposed before (or the last draw if all repeat). */
    Architecture propose(Supplier<Architecture> generator) {
        return add(firstNew(generator));
    }

    /**
     * The first draw of {@code generator} not proposed before, else the first of {@code fallback} (or the last draw
     * if all repeat).
     */
    Architecture propose(Supplier<Architecture> generator, Supplier<Architecture> fallback) {
        Architecture candidate = firstNew(generator);
        return add(contains(candidate) ? firstNew(fallback) : candidate);
    }

    private Architecture firstNew(Supplier<Architecture> generator) {
        Architecture candidate = generator.get();
        for (int draw = 1; draw < MAX_DRAWS && contains(candidate); draw++) {
            candidate = generator.get();
        }
        return candidate;
    }

    /** Whether {@code architecture} was proposed before. */
    boolean contains(Architecture architecture) {
        return proposed.contains(architecture.text());
    }

    /** Records {@code architecture} as proposed and returns it. */
    Architecture add(Architecture architecture) {
        proposed.add(architecture.text());
        return architecture;
    }

    int size() {
        return proposed.size();
    }
}
