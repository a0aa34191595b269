package io.galapagos.config;

import io.galapagos.space.InvalidValueException;
import io.galapagos.trial.Objective;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tabular benchmark as the trainer: a "training" looks the candidate up in a CSV table with an
 * {@code arch} column and numeric metric columns (see {@code io.galapagos.benchmark.BenchmarkTable}).
 * Which columns play which role is configuration, so the same code serves any table of that shape.
 *
 * @param table    the CSV file: a local path (made absolute by the loader) or any Hadoop FileSystem URI
 * @param signal   the column the search maximises (e.g. {@code val_acc_12ep})
 * @param report   a column shown beside the signal but never used to choose (e.g. {@code test_acc_200ep}),
 *                 or {@code null} for none
 * @param minimize extra objectives, each minimised (e.g. {@code latency_ms_pixel3}); may be empty
 * @param fidelities the columns of the fidelity levels, cheapest first (e.g. {@code [val_acc_12ep,
 *                   val_acc_200ep]}); the last is the full fidelity, so it must be the signal. A candidate at
 *                   level {@code k} is answered with column {@code k}'s value under the signal's name. Empty
 *                   (the default) for one level: the signal itself
 */
public record TabularTrainerConfig(String table, String signal, String report, List<String> minimize,
                                   List<String> fidelities) implements TrainerConfig {

    private static final long serialVersionUID = 1L;

    public TabularTrainerConfig {
        if (table == null || table.isBlank()) {
            throw new InvalidValueException("table", table, "is required");
        }
        if (signal == null || signal.isBlank()) {
            throw new InvalidValueException("signal", signal, "is required");
        }
        if (report != null && report.isBlank()) {
            throw new InvalidValueException("report", report, "must name a column");
        }
        minimize = List.copyOf(minimize == null ? List.of() : minimize);
        Set<String> seen = new HashSet<>();
        for (String column : minimize) {
            if (column.equals(signal)) {
                throw InvalidValueException.ofText("minimize", column, "is the signal, which is maximised");
            }
            if (!seen.add(column)) {
                throw InvalidValueException.ofText("minimize", column, "is listed twice");
            }
        }
        fidelities = List.copyOf(fidelities == null ? List.of() : fidelities);
        if (!fidelities.isEmpty()) {
            Set<String> levels = new HashSet<>();
            for (String column : fidelities) {
                if (column == null || column.isBlank()) {
                    throw new InvalidValueException("fidelities", fidelities, "must name columns");
                }
                if (!levels.add(column)) {
                    throw InvalidValueException.ofText("fidelities", column, "is listed twice");
                }
            }
            if (fidelities.size() < 2) {
                throw new InvalidValueException("fidelities", fidelities,
                        "must list at least two columns, cheapest first, the last the signal");
            }
            String last = fidelities.get(fidelities.size() - 1);
            if (!last.equals(signal)) {
                throw new InvalidValueException("fidelities", fidelities, "must end with the signal ('" + signal
                        + "'), the full fidelity, not '" + last + "'");
            }
        }
    }

    /** A table with one fidelity: the signal. */
    public TabularTrainerConfig(String table, String signal, String report, List<String> minimize) {
        this(table, signal, report, minimize, List.of());
    }

    /** How many fidelity levels a candidate may ask for: the fidelity columns, or 1 (the signal). */
    public int levels() {
        return fidelityLevels().count();
    }

    /** The {@code benchmark.fidelities} columns. */
    @Override
    public FidelityLevels fidelityLevels() {
        return new FidelityLevels("benchmark.fidelities", "the fidelity columns, cheapest first, the last the signal "
                + "(e.g. [val_acc_12ep, val_acc_200ep])", fidelities);
    }

    /** The column that answers level {@code level} (0 the cheapest, {@link #levels()}{@code - 1} the signal). */
    public String fidelityColumn(int level) {
        if (level < 0 || level >= levels()) {
            throw new IndexOutOfBoundsException("level " + level + " of " + levels());
        }
        return fidelities.isEmpty() ? signal : fidelities.get(level);
    }

    /** Maximise the signal, then minimise each extra column. */
    @Override
    public List<Objective> objectives() {
        List<Objective> objectives = new ArrayList<>(1 + minimize.size());
        objectives.add(Objective.maximize(signal));
        minimize.forEach(column -> objectives.add(Objective.minimize(column)));
        return List.copyOf(objectives);
    }

    @Override
    public List<String> reported() {
        return report == null ? List.of() : List.of(report);
    }

    /** Every column this configuration names, keyed by its config key: what the table must have. */
    public Map<String, String> namedColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("signal", signal);
        if (report != null) {
            columns.put("report", report);
        }
        for (int i = 0; i < minimize.size(); i++) {
            columns.put("minimize[" + i + "]", minimize.get(i));
        }
        for (int i = 0; i < fidelities.size() - 1; i++) {
            columns.put("fidelities[" + i + "]", fidelities.get(i));
        }
        return columns;
    }
}
