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
 */
public record TabularTrainerConfig(String table, String signal, String report, List<String> minimize)
        implements TrainerConfig {

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
                throw new InvalidValueException("minimize", "'" + column + "'", "is the signal, which is maximised");
            }
            if (!seen.add(column)) {
                throw new InvalidValueException("minimize", "'" + column + "'", "is listed twice");
            }
        }
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
        return columns;
    }
}
