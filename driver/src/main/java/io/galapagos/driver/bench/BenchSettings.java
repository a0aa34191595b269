package io.galapagos.driver.bench;

import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.space.SearchSpace;

import java.util.List;

/**
 * What {@code galapagos bench} measures.
 *
 * @param benchmark  the table and its columns: the signal (maximised by the strategies), the reported
 *                   column (scored, higher is better; required here) and at most one minimised column
 * @param space      the space the strategies search; the table should cover it
 * @param budgets    query budgets, ascending; each strategy runs up to the largest
 * @param seeds      how many seeds per strategy: seeds {@code 0..seeds-1}
 * @param strategies the strategies, in report order
 * @param warmUp     whether to run a few unrecorded seeds of each strategy first, so that JIT compilation
 *                   does not distort the timings (results do not change)
 */
public record BenchSettings(TabularTrainerConfig benchmark, SearchSpace space, List<Integer> budgets, int seeds,
                            List<StrategySpec> strategies, boolean warmUp) {

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
    }

    public int maxBudget() {
        return budgets.get(budgets.size() - 1);
    }
}
