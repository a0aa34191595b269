package io.galapagos.driver.strategy;

import io.galapagos.benchmark.BenchmarkTable;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The NB201 CIFAR-10 table for strategy tests and measurements, and a synchronous benchmark loop: ask,
 * look the architecture up, tell a completed result whose metrics are the row's.
 */
final class Nb201Table {

    static final String SIGNAL = "val_acc_12ep";
    static final String FULL_SIGNAL = "val_acc_200ep";
    static final String REPORT = "test_acc_200ep";
    static final String LATENCY = "latency_ms_pixel3";
    /** The metric a multi-fidelity run's results carry: the signal at the level it was trained. */
    static final String LEVEL_SIGNAL = "signal_at_level";

    private static final Execution EXECUTION = new Execution("bench", "localhost", 1, Instant.EPOCH, Instant.EPOCH);
    private static BenchmarkTable cached;

    private Nb201Table() {
    }

    static synchronized BenchmarkTable table() {
        if (cached == null) {
            for (Path p : List.of(Path.of("benchmarks/nb201/cifar10.csv"), Path.of("../benchmarks/nb201/cifar10.csv"))) {
                if (Files.exists(p)) {
                    try (Reader r = Files.newBufferedReader(p)) {
                        cached = BenchmarkTable.read(r, p.toString());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    break;
                }
            }
            if (cached == null) {
                throw new IllegalStateException("benchmarks/nb201/cifar10.csv not found from " + Path.of("").toAbsolutePath());
            }
        }
        return cached;
    }

    static int row(Architecture a) {
        return table().row(a.text()).orElseThrow(() -> new IllegalArgumentException("not in the table: " + a.text()));
    }

    static TrialResult result(int number, Architecture a) {
        return new TrialResult.Completed(new Candidate(number, a, number), table().metrics(row(a)), EXECUTION);
    }

    /** The row's metrics plus {@link #LEVEL_SIGNAL}: the 12-epoch column at level 0, the 200-epoch one above. */
    static TrialResult resultAtLevel(int number, Architecture a, int level) {
        int row = row(a);
        Metrics m = table().metrics(row).with(LEVEL_SIGNAL, table().value(row, level == 0 ? SIGNAL : FULL_SIGNAL));
        return new TrialResult.Completed(new Candidate(number, a, number, level), m, EXECUTION);
    }

    /**
     * Runs {@code strategy} synchronously for {@code queries} look-ups; returns, after each query, the
     * reported value of the best architecture by signal found so far.
     */
    static double[] run(SearchStrategy strategy, int queries) {
        double[] curve = new double[queries];
        double bestSignal = Double.NEGATIVE_INFINITY;
        double bestReport = Double.NaN;
        BenchmarkTable t = table();
        for (int n = 0; n < queries; n++) {
            Architecture a = strategy.ask();
            int row = row(a);
            strategy.tell(result(n, a));
            double s = t.value(row, SIGNAL);
            if (s > bestSignal) {
                bestSignal = s;
                bestReport = t.value(row, REPORT);
            }
            curve[n] = bestReport;
        }
        return curve;
    }
}
