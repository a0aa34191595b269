package io.galapagos.driver.strategy;

import io.galapagos.space.Architecture;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The architectures a strategy has proposed, by canonical text, so that none is proposed twice. When a
 * generator keeps repeating itself (a small or nearly exhausted space) it gives up after a bounded number
 * of draws and returns a repeat rather than loop forever.
 */
final class ProposalHistory implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final int MAX_DRAWS = 1000;

    private final Set<String> proposed = new HashSet<>();

    /** The first draw of {@code generator} not proposed before (or the last draw if all repeat). */
    Architecture propose(Supplier<Architecture> generator) {
        Architecture candidate = generator.get();
        for (int draw = 1; draw < MAX_DRAWS && proposed.contains(candidate.text()); draw++) {
            candidate = generator.get();
        }
        proposed.add(candidate.text());
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
