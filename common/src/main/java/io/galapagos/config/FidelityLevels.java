package io.galapagos.config;

import java.util.List;

/**
 * The fidelity levels a trainer can train a candidate at, as its configuration names them, so that one check
 * holds a multi-fidelity strategy to any trainer ({@code strategy.fidelities} must equal their number) and one
 * message names a level the trainer lacks. Immutable.
 *
 * @param key    the configuration key that lists the levels (e.g. {@code benchmark.fidelities}), or what the
 *               trainer would need instead when it cannot have levels
 * @param format what that key holds, for the message when it is missing (e.g. {@code the fidelity columns, ...})
 * @param levels the levels, cheapest first, as configured (column names, epoch budgets); empty when none are
 *               configured, and the trainer then has one level, its full training
 */
public record FidelityLevels(String key, String format, List<String> levels) {

    public FidelityLevels {
        if (key == null || key.isBlank() || format == null || format.isBlank()) {
            throw new IllegalArgumentException("fidelity levels need the key that lists them and its format");
        }
        levels = List.copyOf(levels == null ? List.of() : levels);
    }

    /** How many levels a candidate may ask for: those listed, or 1 (the full training) when none are. */
    public int count() {
        return levels.isEmpty() ? 1 : levels.size();
    }

    /** Why a candidate at {@code level} (at least {@link #count()}) cannot be trained: a failed result's reason. */
    public String notConfigured(int level) {
        return "fidelity level " + level + " is not configured: " + (levels.isEmpty()
                ? "the trainer has one level, its full training (" + key + " offers cheaper ones: " + format + ")"
                : key + " has levels 0 to " + (levels.size() - 1) + " (" + String.join(", ", levels) + ")");
    }
}
