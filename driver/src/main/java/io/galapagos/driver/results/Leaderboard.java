package io.galapagos.driver.results;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.Objective;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Results ranked by the objective, best first (failed and infeasible trials last; with several objectives, ties on the
 * first broken by the others), as CSV and as a
 * console table. Results of a cheaper fidelity than the highest one of the study (Hyperband's early
 * rungs) rank after every full-fidelity result, since their scores are not comparable. With the DL4J constructor the metric columns are the DL4J trainer's; with a list of
 * columns (a tabular benchmark: signal, report, minimised ones) those come first, then every other metric
 * the results carry, in name order.
 */
public final class Leaderboard {

    private static final List<String> METRIC_COLUMNS = List.of(Metrics.VAL_ACCURACY, Metrics.TEST_ACCURACY,
            Metrics.PARAMS, Metrics.FLOPS, Metrics.LATENCY_MS, Metrics.PARAM_BYTES, Metrics.INFERENCE_PEAK_BYTES,
            Metrics.TRAIN_PEAK_BYTES, Metrics.MEASURED_TRAIN_BYTES, Metrics.TRAIN_SECONDS, Metrics.EPOCHS);

    private final List<TrialResult> ranked;
    /** Metric columns of the CSV, or empty for the DL4J layout. */
    private final List<String> csvColumns;
    /** Metric columns of the console table, or empty for the DL4J layout. */
    private final List<String> tableColumns;

    /** The DL4J trainer's layout: validation and test accuracy, params, FLOPs, latency, memory, time, epochs. */
    public Leaderboard(List<TrialResult> results, Objective objective) {
        this(results, List.of(objective));
    }

    /** The DL4J layout, ranked by the first of {@code objectives}, ties broken by the others ({@link Objective#ranking(List)}). */
    public Leaderboard(List<TrialResult> results, List<Objective> objectives) {
        this.ranked = rank(results, objectives);
        this.csvColumns = METRIC_COLUMNS;
        this.tableColumns = List.of();
    }

    /**
     * Ranked by the first of {@code objectives} (ties broken by the others), showing {@code columns} first (the
     * console table shows only them), then in the CSV every other metric found in the results.
     */
    public Leaderboard(List<TrialResult> results, List<Objective> objectives, List<String> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a leaderboard needs at least one metric column");
        }
        this.ranked = rank(results, objectives);
        LinkedHashSet<String> all = new LinkedHashSet<>(columns);
        TreeSet<String> others = new TreeSet<>();
        results.forEach(r -> others.addAll(r.metrics().values().keySet()));
        all.addAll(others);
        this.csvColumns = List.copyOf(all);
        this.tableColumns = List.copyOf(new LinkedHashSet<>(columns));
    }

    private static List<TrialResult> rank(List<TrialResult> results, List<Objective> objectives) {
        Predicate<TrialResult> full = atTopFidelity(results);
        Comparator<TrialResult> scoredFirst = Comparator.comparing(r -> objectives.get(0).score(r).isEmpty());
        Comparator<TrialResult> fullFirst = Comparator.comparing(r -> !full.test(r));
        return results.stream().sorted(scoredFirst.thenComparing(fullFirst).thenComparing(Objective.ranking(objectives)))
                .toList();
    }

    /**
     * Which of {@code results} were measured at the study's top fidelity: a full training, or the highest level a
     * trial completed at (a top-level trial that failed must not make every completed result a cheaper one).
     */
    private static Predicate<TrialResult> atTopFidelity(List<TrialResult> results) {
        int highest = results.stream().filter(r -> r instanceof TrialResult.Completed)
                .mapToInt(r -> r.candidate().fidelity()).max().orElse(Candidate.FULL_FIDELITY);
        return r -> r.candidate().fullFidelity() || r.candidate().fidelity() == highest;
    }

    public List<TrialResult> ranked() {
        return ranked;
    }

    public String toCsv() {
        StringBuilder csv = new StringBuilder("rank,trial,status,")
                .append(String.join(",", csvColumns))
                .append(",executor,started,finished,architecture,reason\n");
        int rank = 1;
        for (TrialResult r : ranked) {
            csv.append(rank++).append(',').append(r.candidate().trialId()).append(',').append(r.status());
            for (String metric : csvColumns) {
                csv.append(',').append(format(r.metrics().get(metric)));
            }
            csv.append(',').append(CsvField.of(r.execution().executor()))
                    .append(',').append(r.execution().started())
                    .append(',').append(r.execution().finished())
                    .append(',').append(CsvField.of(r.candidate().architecture().text()))
                    .append(',').append(CsvField.of(r.reason())).append('\n');
        }
        return csv.toString();
    }

    /** The top {@code n} as an aligned text table. */
    public String table(int n) {
        if (!tableColumns.isEmpty()) {
            return generalTable(n);
        }
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%4s  %-10s  %-10s  %7s  %7s  %9s  %10s  %8s  %s%n",
                "rank", "trial", "status", "val_acc", "test_acc", "params", "flops", "lat_ms", "architecture"));
        for (int i = 0; i < Math.min(n, ranked.size()); i++) {
            TrialResult r = ranked.get(i);
            Metrics m = r.metrics();
            t.append(String.format(Locale.ROOT, "%4d  %-10s  %-10s  %7s  %7s  %9s  %10s  %8s  %s%n", i + 1,
                    r.candidate().trialId(), r.status(), fixed(m.get(Metrics.VAL_ACCURACY), 4),
                    fixed(m.get(Metrics.TEST_ACCURACY), 4), fixed(m.get(Metrics.PARAMS), 0),
                    fixed(m.get(Metrics.FLOPS), 0), fixed(m.get(Metrics.LATENCY_MS), 3),
                    r.candidate().architecture().text()));
        }
        return t.toString();
    }

    private String generalTable(int n) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%4s  %-10s  %-10s", "rank", "trial", "status"));
        for (String column : tableColumns) {
            t.append(String.format(Locale.ROOT, "  %" + Math.max(9, column.length()) + "s", column));
        }
        t.append("  architecture\n");
        for (int i = 0; i < Math.min(n, ranked.size()); i++) {
            TrialResult r = ranked.get(i);
            t.append(String.format(Locale.ROOT, "%4d  %-10s  %-10s", i + 1, r.candidate().trialId(), r.status()));
            for (String column : tableColumns) {
                t.append(String.format(Locale.ROOT, "  %" + Math.max(9, column.length()) + "s",
                        fixed(r.metrics().get(column), 4)));
            }
            t.append("  ").append(r.candidate().architecture().text()).append('\n');
        }
        return t.toString();
    }

    private static String format(OptionalDouble value) {
        if (value.isEmpty()) {
            return "";
        }
        double v = value.getAsDouble();
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String fixed(OptionalDouble value, int decimals) {
        return value.isEmpty() ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value.getAsDouble());
    }
}
