package io.galapagos.space;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.random.RandomGenerator;

/** Neighbours of an architecture in a space too large to list them: distinct mutations, drawn. Stateless. */
final class Neighbours {

    private Neighbours() {
    }

    /** Distinct single-choice mutations, drawn until {@code limit} are found or many draws repeat. */
    static List<Architecture> drawn(SearchSpace space, Architecture architecture, RandomGenerator rng, int limit) {
        LinkedHashSet<Architecture> found = new LinkedHashSet<>();
        for (int draw = 0; draw < 20 * limit && found.size() < limit; draw++) {
            found.add(space.mutate(architecture, rng));
        }
        return List.copyOf(found);
    }
}
