package io.galapagos.worker.tabular;

import io.galapagos.benchmark.BenchmarkTable;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Metrics;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A benchmark table ready to answer: every row's metrics are made once, up front, so an answer is a hash
 * look-up. Architectures found are also remembered by value, so that asking again for an equal
 * architecture does not rebuild its text. Thread-safe; the table is immutable.
 */
public final class TabularBenchmark {

    private final BenchmarkTable table;
    private final Metrics[] rows;
    private final Map<Architecture, Metrics> found = new ConcurrentHashMap<>();

    public TabularBenchmark(BenchmarkTable table) {
        if (table == null) {
            throw new IllegalArgumentException("a table is required");
        }
        this.table = table;
        this.rows = new Metrics[table.size()];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = table.metrics(r);
        }
    }

    public BenchmarkTable table() {
        return table;
    }

    /** Every numeric column of the architecture's row, by column name; empty when the table lacks it. */
    public Optional<Metrics> metrics(Architecture architecture) {
        Metrics known = found.get(architecture);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Metrics> metrics = metrics(architecture.text());
        metrics.ifPresent(m -> found.putIfAbsent(architecture, m));
        return metrics;
    }

    /** The row of the architecture with this canonical text, as metrics; empty when the table lacks it. */
    public Optional<Metrics> metrics(String architecture) {
        var row = table.row(architecture);
        return row.isPresent() ? Optional.of(rows[row.getAsInt()]) : Optional.empty();
    }
}
