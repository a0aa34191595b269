package io.galapagos.space;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * What the spaces with lists of choices share: checks that lists are not empty and name each choice once, and that
 * an architecture's choice is one of the space's, in messages that show choices as configs write them; drawing a
 * choice; one-hot encoding. Stateless.
 */
final class Choices {

    private Choices() {
    }

    /** Checks {@code min_blocks} and {@code max_blocks} against each other and the space's {@code limit}. */
    static void blocks(int minBlocks, int maxBlocks, int limit) {
        if (minBlocks < 1 || minBlocks > limit) {
            throw new InvalidValueException("min_blocks", minBlocks, "must be between 1 and " + limit);
        }
        if (maxBlocks < minBlocks || maxBlocks > limit) {
            throw new InvalidValueException("max_blocks", maxBlocks,
                    "must be between min_blocks (" + minBlocks + ") and " + limit);
        }
    }

    static void nonEmpty(String key, Collection<?> values) {
        if (values.isEmpty()) {
            throw new InvalidValueException(key, "[]", "must list at least one choice");
        }
    }

    /** {@code values}, immutable, when no choice is listed twice. */
    static <T> List<T> distinct(String key, List<T> values) {
        Set<T> seen = new HashSet<>();
        for (T v : values) {
            if (!seen.add(v)) {
                throw new InvalidValueException(key, v, "is listed twice");
            }
        }
        return List.copyOf(values);
    }

    /** Adds to {@code problems} why {@code value} is not one of {@code allowed}, if it is not. */
    static <T> void check(List<String> problems, String at, String what, T value, List<T> allowed) {
        if (!allowed.contains(value)) {
            problems.add(at + what + " " + display(value) + " is not one of "
                    + allowed.stream().map(Choices::display).toList());
        }
    }

    /** A choice as configurations and architecture texts write it. */
    static String display(Object value) {
        if (value instanceof Activation a) {
            return a.text();
        }
        if (value instanceof SkipMode m) {
            return m.text();
        }
        return value instanceof SequencePooling p ? p.text() : String.valueOf(value);
    }

    /** A member of {@code values} drawn uniformly; null for an empty list. */
    static <T> T pick(List<T> values, RandomGenerator rng) {
        return values.isEmpty() ? null : values.get(rng.nextInt(values.size()));
    }

    /** Sets {@code v[at + index]} to 1, when {@code index} is a position (not -1, a choice the list lacks). */
    static void oneHot(double[] v, int at, int index) {
        if (index >= 0) {
            v[at + index] = 1;
        }
    }
}
