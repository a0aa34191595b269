package io.galapagos.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Cuts a held-out part (a validation or a test split) from a list of examples, class by class, so that every class
 * keeps its share: of a class's {@code n} examples, {@code round(fraction * n)} are held out (at most {@code n - 1}),
 * chosen by a seeded shuffle. Both parts keep the file's order. Stateless.
 */
public final class StratifiedSplit {

    /** The examples kept and the examples held out. */
    public record Parts(List<TextExample> kept, List<TextExample> heldOut) {
        public Parts {
            kept = List.copyOf(kept);
            heldOut = List.copyOf(heldOut);
        }
    }

    private StratifiedSplit() {
    }

    public static Parts cut(List<TextExample> examples, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the held-out fraction must be in (0, 1), got " + fraction);
        }
        Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            byLabel.computeIfAbsent(examples.get(i).label(), l -> new ArrayList<>()).add(i);
        }
        boolean[] held = new boolean[examples.size()];
        SplittableRandom rng = new SplittableRandom(seed);
        for (List<Integer> members : byLabel.values()) {
            for (int i = members.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                members.set(j, members.set(i, members.get(j)));
            }
            // a class the held-out part would take whole keeps one example: one it lacked, training would never see
            long count = Math.min(Math.round(fraction * members.size()), members.size() - 1);
            for (int k = 0; k < count; k++) {
                held[members.get(k)] = true;
            }
        }
        List<TextExample> kept = new ArrayList<>();
        List<TextExample> heldOut = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            (held[i] ? heldOut : kept).add(examples.get(i));
        }
        return new Parts(kept, heldOut);
    }
}
