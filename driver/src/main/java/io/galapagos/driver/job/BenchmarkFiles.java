package io.galapagos.driver.job;

import io.galapagos.config.ConfigException;
import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.space.SearchSpace;
import io.galapagos.worker.tabular.TabularBenchmark;
import io.galapagos.worker.tabular.TabularBenchmarks;
import io.galapagos.worker.tabular.TabularTrialRunner;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * Checks, before anything starts, that a benchmark configuration can be answered: the table exists and
 * parses, has every column the configuration names (signal, report, minimised ones, fidelity levels), and holds
 * architectures of the configured search space. Each problem is a one-line {@link ConfigException} naming
 * the key; a missing column's message lists the table's columns. Reads the table into this JVM's
 * {@link TabularBenchmarks} cache, so an in-process search does not read it again.
 */
public final class BenchmarkFiles {

    private BenchmarkFiles() {
    }

    /** The checked table; errors name the configuration keys ({@code benchmark.signal}, ...). */
    public static TabularBenchmark check(String source, TabularTrainerConfig benchmark, SearchSpace space,
                                         Configuration hadoop) {
        return check(source, benchmark, space, hadoop, key -> "benchmark." + key);
    }

    /**
     * The checked table; errors name the key that {@code keyName} makes of {@code table}, {@code signal},
     * {@code report}, {@code minimize[i]} or {@code fidelities[i]} (e.g. a command-line option). {@code space} may be null.
     */
    public static TabularBenchmark check(String source, TabularTrainerConfig benchmark, SearchSpace space,
                                         Configuration hadoop, UnaryOperator<String> keyName) {
        String problem = DataFiles.problem(benchmark.table(), hadoop);
        if (problem != null) {
            throw new ConfigException(source, keyName.apply("table"), "'" + benchmark.table() + "' " + problem);
        }
        TabularBenchmark table;
        try {
            table = TabularBenchmarks.get(benchmark.table());
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(source, keyName.apply("table"), "'" + benchmark.table() + "' cannot be read: "
                    + firstLine(e.getMessage()));
        }
        Map<String, String> missing = TabularTrialRunner.missingColumns(benchmark, table.table());
        if (!missing.isEmpty()) {
            Map.Entry<String, String> first = missing.entrySet().iterator().next();
            throw new ConfigException(source, keyName.apply(first.getKey()), "'" + first.getValue()
                    + "' is not a column of " + benchmark.table() + " (its columns: "
                    + String.join(", ", table.table().columns()) + ")");
        }
        for (Map.Entry<String, String> named : benchmark.namedColumns().entrySet()) {
            OptionalInt gap = table.table().firstGap(named.getValue());
            if (gap.isPresent()) {
                throw new ConfigException(source, keyName.apply(named.getKey()), "'" + named.getValue() + "' has no "
                        + "number on line " + table.table().line(gap.getAsInt()) + " of " + benchmark.table() + " (it is empty, NaN "
                        + "or infinite, for " + table.table().architecture(gap.getAsInt()) + "): every row needs one "
                        + "in a column the search reads");
            }
        }
        if (space != null) {
            checkSpace(source, keyName.apply("table"), benchmark, space, table);
        }
        return table;
    }

    /** At least one row must be a member of the space, or every trial would be infeasible. */
    private static void checkSpace(String source, String key, TabularTrainerConfig benchmark, SearchSpace space,
                                   TabularBenchmark table) {
        String example = null;
        for (int row = 0; row < table.table().size(); row++) {
            try {
                space.parse(table.table().architecture(row));
                return;
            } catch (IllegalArgumentException e) {
                if (example == null) {
                    example = "line " + table.table().line(row) + ": " + firstLine(e.getMessage());
                }
            }
        }
        throw new ConfigException(source, key, "'" + benchmark.table()
                + "' has no architecture of the search space (check space.kind); " + example);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
