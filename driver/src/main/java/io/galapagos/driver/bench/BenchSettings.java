package io.galapagos.driver.bench;

import io.galapagos.config.StrategyConfig;
import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.space.SearchSpace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code galapagos bench} measures.
 *
 * @param benchmark  the table and its columns: the signal (maximised by the strategies), the reported
 *                   column (scored, higher is better; required here) and at most one minimised column
 * @param space      the space the strategies search; the table should cover it
 * @param budgets    query budgets, ascending, in full-fidelity queries; each strategy runs up to the largest.
 *                   A query at fidelity level {@code k} counts {@code costs[k] / costs[last]} of one (see
 *                   {@link #cost(int)}), so a cheap query spends less of a budget
 * @param costs      the cost of a query at each level of {@code benchmark.fidelities()}, cheapest first, any
 *                   positive unit; empty for the default: proportional to N when every fidelity column ends
 *                   in {@code _<N>ep}, else equal. Without fidelities, one level of cost 1
 * @param seeds      how many seeds per strategy: seeds {@code 0..seeds-1}
 * @param strategies the strategies, in report order
 * @param warmUp     whether to run a few unrecorded seeds of each strategy first, so that JIT compilation
 *                   does not distort the timings (results do not change)
 */
public record BenchSettings(TabularTrainerConfig benchmark, SearchSpace space, List<Integer> budgets, int seeds,
                            List<StrategySpec> strategies, boolean warmUp, List<Double> costs) {

    private static final Pattern EPOCHS = Pattern.compile(".*_(\\d+)ep");

    /** Settings with the default costs. */
    public BenchSettings(TabularTrainerConfig benchmark, SearchSpace space, List<Integer> budgets, int seeds,
                         List<StrategySpec> strategies, boolean warmUp) {
        this(benchmark, space, budgets, seeds, strategies, warmUp, List.of());
    }

    /** The most queries a comparison lets one run make: every run keeps each of its queries. */
    public static final int MAX_QUERIES = 1_000_000;

    public BenchSettings {
        if (benchmark == null || space == null) {
            throw new IllegalArgumentException("a benchmark and a space are required");
        }
        if (benchmark.report() == null) {
            throw new IllegalArgumentException("bench needs a reported column (--report) to score strategies");
        }
        if (benchmark.minimize().size() > 1) {
            throw new IllegalArgumentException("bench measures the hypervolume of two objectives: give at most one "
                    + "--minimize column, got " + benchmark.minimize());
        }
        budgets = List.copyOf(budgets);
        if (budgets.isEmpty()) {
            throw new IllegalArgumentException("give at least one budget");
        }
        for (int i = 0; i < budgets.size(); i++) {
            if (budgets.get(i) < 1 || (i > 0 && budgets.get(i) <= budgets.get(i - 1))) {
                throw new IllegalArgumentException("budgets must be positive and ascending, got " + budgets);
            }
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be at least 1, got " + seeds);
        }
        strategies = List.copyOf(strategies);
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("name at least one strategy");
        }
        int levels = benchmark.levels();
        if (costs != null && !costs.isEmpty() && benchmark.fidelities().isEmpty()) {
            throw new IllegalArgumentException("--fidelity-costs prices the columns --fidelities lists, and no "
                    + "--fidelities are given");
        }
        costs = costs == null || costs.isEmpty() ? defaultCosts(benchmark) : List.copyOf(costs);
        if (costs.size() != levels) {
            throw new IllegalArgumentException("give one fidelity cost per fidelity column (" + levels + ": "
                    + String.join(", ", benchmark.fidelities()) + "), got " + costs);
        }
        for (double c : costs) {
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("fidelity costs must be positive, got " + costs);
            }
        }
        for (int level = 1; level < costs.size(); level++) {
            if (costs.get(level) < costs.get(level - 1)) {
                throw new IllegalArgumentException("fidelity costs follow the fidelity columns, cheapest first: "
                        + costs + " makes a higher fidelity cheaper than a lower one");
            }
        }
        // every query of a run is kept: the most a run can make is its largest budget in the cheapest queries
        double cheapestShare = costs.get(0) / costs.get(costs.size() - 1);
        double mostQueries = budgets.get(budgets.size() - 1) / cheapestShare;
        if (mostQueries > MAX_QUERIES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a budget of %d full-fidelity queries%s "
                            + "allows %.0f queries a run, past the most a comparison runs, %d (NAS-Bench-201 has 15,625 "
                            + "architectures)", budgets.get(budgets.size() - 1),
                    cheapestShare < 1 ? String.format(Locale.ROOT, " at %.4g of a full query's cost each", cheapestShare)
                            : "", mostQueries, MAX_QUERIES));
        }
        for (StrategySpec spec : strategies) {
            if (spec.config().kind() == StrategyConfig.Kind.NSGA2 && benchmark.minimize().isEmpty()) {
                throw new IllegalArgumentException("strategy '" + spec.text() + "' needs two objectives: the signal "
                        + "and a column to minimise (e.g. --minimize latency_ms_pixel3)");
            }
            if (spec.config().kind() == StrategyConfig.Kind.HYPERBAND && spec.config().fidelities() != levels) {
                throw new IllegalArgumentException("strategy '" + spec.text() + "' proposes "
                        + spec.config().fidelities() + " fidelity levels, but " + (benchmark.fidelities().isEmpty()
                        ? "no --fidelities are given (e.g. --fidelities val_acc_12ep,val_acc_200ep)"
                        : "--fidelities lists " + levels));
            }
        }
    }

    /** Proportional to N when every fidelity column ends in {@code _<N>ep}; else equal. */
    static List<Double> defaultCosts(TabularTrainerConfig benchmark) {
        if (benchmark.fidelities().isEmpty()) {
            return List.of(1.0);
        }
        List<Double> costs = new ArrayList<>();
        for (int level = 0; level < benchmark.levels(); level++) {
            Matcher m = EPOCHS.matcher(benchmark.fidelityColumn(level));
            if (!m.matches() || Integer.parseInt(m.group(1)) <= 0) {
                return java.util.Collections.nCopies(benchmark.levels(), 1.0);
            }
            costs.add((double) Integer.parseInt(m.group(1)));
        }
        return List.copyOf(costs);
    }

    /**
     * What one query at {@code level} spends of a budget, in full-fidelity queries:
     * {@code costs[level] / costs[last]}; a full-fidelity candidate ({@code level < 0}) spends 1.
     */
    public double cost(int level) {
        return level < 0 ? 1.0 : costs.get(Math.min(level, costs.size() - 1)) / costs.get(costs.size() - 1);
    }

    public int maxBudget() {
        return budgets.get(budgets.size() - 1);
    }
}
