package io.galapagos.driver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/**
 * The measurements of one {@code galapagos bench} run, as a text table and as JSON.
 *
 * @param table        the table's location
 * @param rows         how many architectures the table has
 * @param signal       the column the strategies maximise
 * @param report       the column scored
 * @param minimized    the minimised column, or {@code null}
 * @param optimum      the table's best value of {@code report}
 * @param seeds        seeds per strategy
 * @param fidelities   the fidelity columns, cheapest first (empty: one, the signal), which make budgets costs
 * @param costs        each fidelity column's cost as given (the JSON divides them by the last, the full one's)
 * @param strategies   one entry per strategy, in the order asked
 */
public record BenchReport(String table, int rows, String signal, String report, String minimized, double optimum,
                          int seeds, List<String> fidelities, List<Double> costs, List<StrategyResult> strategies) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public BenchReport {
        fidelities = List.copyOf(fidelities);
        costs = List.copyOf(costs);
        strategies = List.copyOf(strategies);
    }

    /**
     * One strategy's measurements.
     *
     * @param name            the strategy as named
     * @param queries         queries answered over all seeds (timed runs only)
     * @param seconds         wall time of those runs: strategy, study loop and look-ups
     * @param budgets         one entry per budget, ascending
     */
    public record StrategyResult(String name, long queries, double seconds, List<BudgetResult> budgets) {

        public StrategyResult {
            budgets = List.copyOf(budgets);
        }

        public double queriesPerSecond() {
            return seconds > 0 ? queries / seconds : Double.POSITIVE_INFINITY;
        }
    }

    /**
     * At one budget, over the seeds that have found an architecture at full fidelity: the reported value of the best
     * by signal.
     *
     * @param budget              queries made
     * @param found               seeds with a full-fidelity result by this budget (all but under Hyperband)
     * @param mean                mean of the reported value; NaN when no seed has one
     * @param sd                  its sample standard deviation (0 for one seed); NaN when no seed has one
     * @param meanRegret          mean of (optimum - reported value); NaN when no seed has one
     * @param secondsPerSeed      mean wall time of one seed's run up to this budget
     * @param hypervolumeMean     mean share of the true front's hypervolume reached; NaN without a minimised column
     * @param hypervolumeSd       its standard deviation; NaN without a minimised column
     */
    public record BudgetResult(int budget, int found, double mean, double sd, double meanRegret,
                               double secondsPerSeed, double hypervolumeMean, double hypervolumeSd) {
    }

    /** The reported value's cell: its mean and spread, and over how many seeds when not all. */
    private String reported(BudgetResult b) {
        if (b.found() == 0) {
            return "no full-fidelity result";
        }
        String spread = String.format(Locale.ROOT, "%.4f ± %.4f", b.mean(), b.sd());
        return b.found() == seeds ? spread : spread + " (" + b.found() + " of " + seeds + " seeds)";
    }

    /** The human-readable table: one line per strategy and budget, then queries per second. */
    public String text() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Table %s (%d architectures): signal %s (maximised), reported %s "
                        + "(optimum %.4f)%s, %d seeds%n", table, rows, signal, report, optimum,
                minimized == null ? "" : ", minimised " + minimized, seeds));
        int width = Math.max(8, strategies.stream().mapToInt(s -> s.name().length()).max().orElse(8));
        String reportHeader = report + " mean ± sd";
        int reportWidth = Math.max(20, Math.max(reportHeader.length(), strategies.stream()
                .flatMap(s -> s.budgets().stream()).mapToInt(b -> reported(b).length()).max().orElse(0)));
        t.append(String.format(Locale.ROOT, "%-" + width + "s  %7s  %" + reportWidth + "s  %8s  %12s%s%n",
                "strategy", "budget", reportHeader, "regret", "ms per seed",
                minimized == null ? "" : String.format(Locale.ROOT, "  %18s", "hypervolume ratio")));
        for (StrategyResult s : strategies) {
            for (BudgetResult b : s.budgets()) {
                t.append(String.format(Locale.ROOT, "%-" + width + "s  %7d  %" + reportWidth + "s  %8s  %12.3f%s%n",
                        s.name(), b.budget(), reported(b), b.found() == 0 ? "-"
                                : String.format(Locale.ROOT, "%.4f", b.meanRegret()),
                        b.secondsPerSeed() * 1e3, minimized == null ? ""
                                : String.format(Locale.ROOT, "  %18s",
                                String.format(Locale.ROOT, "%.4f ± %.4f", b.hypervolumeMean(), b.hypervolumeSd()))));
            }
        }
        for (StrategyResult s : strategies) {
            t.append(String.format(Locale.ROOT, "%s: %,d queries in %.3f s: %,.0f queries/s (strategy, study loop and "
                    + "look-up)%n", s.name(), s.queries(), s.seconds(), s.queriesPerSecond()));
        }
        return t.toString();
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("table", table);
        root.put("rows", rows);
        root.put("signal", signal);
        root.put("report", report);
        if (minimized != null) {
            root.put("minimize", minimized);
        }
        root.put("optimum", optimum);
        root.put("seeds", seeds);
        if (!fidelities.isEmpty()) {
            // budgets are then costs in full-fidelity queries, not numbers of queries
            fidelities.forEach(root.putArray("fidelities")::add);
            double last = costs.get(costs.size() - 1);
            costs.forEach(c -> root.withArray("fidelity_costs").add(c / last));
        }
        ArrayNode list = root.putArray("strategies");
        for (StrategyResult s : strategies) {
            ObjectNode node = list.addObject();
            node.put("strategy", s.name());
            node.put("queries", s.queries());
            node.put("seconds", s.seconds());
            node.put("queries_per_second", s.queriesPerSecond());
            ArrayNode budgets = node.putArray("budgets");
            for (BudgetResult b : s.budgets()) {
                ObjectNode bn = budgets.addObject();
                bn.put("budget", b.budget());
                bn.put("seeds_with_result", b.found());
                // Jackson writes NaN as the string "NaN": no result gives nulls, which the report draws as a gap
                if (b.found() == 0) {
                    bn.putNull("mean");
                    bn.putNull("sd");
                    bn.putNull("mean_regret");
                } else {
                    bn.put("mean", b.mean());
                    bn.put("sd", b.sd());
                    bn.put("mean_regret", b.meanRegret());
                }
                bn.put("seconds_per_seed", b.secondsPerSeed());
                if (minimized != null) {
                    bn.put("hypervolume_ratio_mean", b.hypervolumeMean());
                    bn.put("hypervolume_ratio_sd", b.hypervolumeSd());
                }
            }
        }
        return root;
    }

    public String json() {
        return toJson().toPrettyString() + "\n";
    }
}
