package io.galapagos.worker.tabular;

import io.galapagos.benchmark.BenchmarkTable;
import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.worker.ExecutorIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tabular trainer: a candidate's "training" is its row of a benchmark table.
 *
 * <ul>
 *   <li>{@link TrialResult.Completed} with every numeric column of the row, by column name (the signal,
 *       report and minimised columns among them);</li>
 *   <li>{@link TrialResult.Infeasible} when the table has no row for the architecture; the reason names
 *       the architecture and the table.</li>
 * </ul>
 * A candidate at fidelity level {@code k} ({@link Candidate#fidelity()}) is answered with the value of the
 * level-{@code k} column of {@code benchmark.fidelities} under the signal's name (the other columns as they
 * are, the level-k column under its own name too); the result's candidate records the level. A candidate at
 * full fidelity, or at the last level, gets the signal's own value. A level the configuration does not list
 * is a {@link TrialResult.Failed} whose reason names the level and the configured columns.
 * The constructor reads the table (once per JVM, {@link TabularBenchmarks}) and fails with a message
 * naming the configuration key, the column and the table's columns when a configured column is missing.
 * Thread-safe: it holds only immutable values.
 */
public final class TabularTrialRunner implements TrialRunner {

    private final TabularBenchmark benchmark;
    private final TabularTrainerConfig config;

    /**
     * @throws UncheckedIOException     the table cannot be read
     * @throws IllegalArgumentException the table is malformed, or lacks a configured column
     */
    public TabularTrialRunner(TabularTrainerConfig config) {
        this(load(config.table()), config);
    }

    /** A runner over a table already in memory. */
    public TabularTrialRunner(TabularBenchmark benchmark, TabularTrainerConfig config) {
        Map<String, String> missing = missingColumns(config, benchmark.table());
        if (!missing.isEmpty()) {
            Map.Entry<String, String> first = missing.entrySet().iterator().next();
            throw new IllegalArgumentException("benchmark." + first.getKey() + ": '" + first.getValue()
                    + "' is not a column of " + benchmark.table().source() + "; its columns are "
                    + String.join(", ", benchmark.table().columns()));
        }
        this.benchmark = benchmark;
        this.config = config;
    }

    /** The configured columns the table lacks, keyed by config key ({@code signal}, {@code minimize[0]}...). */
    public static Map<String, String> missingColumns(TabularTrainerConfig config, BenchmarkTable table) {
        Map<String, String> missing = new LinkedHashMap<>();
        var columns = table.columns();
        config.namedColumns().forEach((key, column) -> {
            if (!columns.contains(column)) {
                missing.put(key, column);
            }
        });
        return missing;
    }

    private static TabularBenchmark load(String location) {
        try {
            return TabularBenchmarks.get(location);
        } catch (IOException e) {
            throw new UncheckedIOException("benchmark table " + location + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public TrialResult run(Candidate candidate) {
        // a look-up takes microseconds: one clock reading serves as start and finish
        Instant now = Instant.now();
        Optional<Metrics> metrics = benchmark.metrics(candidate.architecture());
        Execution execution = ExecutorIdentity.execution(now, now);
        if (metrics.isEmpty()) {
            BenchmarkTable table = benchmark.table();
            return new TrialResult.Infeasible(candidate, "architecture " + candidate.architecture().text()
                    + " is not in the benchmark table "
                    + table.source() + " (" + table.size() + " rows)", Metrics.EMPTY, execution);
        }
        if (candidate.fullFidelity() || candidate.fidelity() == config.levels() - 1) {
            return new TrialResult.Completed(candidate, metrics.get(), execution);
        }
        int level = candidate.fidelity();
        if (level >= config.levels()) {
            return new TrialResult.Failed(candidate, config.fidelityLevels().notConfigured(level), Metrics.EMPTY,
                    execution);
        }
        Metrics row = metrics.get();
        return new TrialResult.Completed(candidate, row.with(config.signal(),
                row.require(config.fidelityColumn(level))), execution);
    }
}
