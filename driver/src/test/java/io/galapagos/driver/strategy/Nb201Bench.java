package io.galapagos.driver.strategy;

import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.driver.bench.BenchRunner;
import io.galapagos.driver.bench.BenchSettings;
import io.galapagos.driver.bench.StrategySpec;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.worker.tabular.TabularBenchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * The NB201 CIFAR-10 table run through {@code galapagos bench}'s own {@link BenchRunner} (the study loop,
 * the tabular trainer, cost accounting and the best-by-signal pick), so that the strategy tests and
 * {@link Nb201Measure} judge strategies exactly as {@code bench} does. Two set-ups:
 *
 * <ul>
 *   <li>{@link #singleFidelity}: signal {@code val_acc_12ep}, one level; every query is one look-up of cost 1,
 *       so a budget is a number of queries;</li>
 *   <li>{@link #twoFidelities}: signal {@code val_acc_200ep}, levels {@code [val_acc_12ep, val_acc_200ep]} with
 *       bench's default costs 12 and 200: a 12-epoch query spends 12/200 of one full-fidelity query, a plain
 *       strategy's query (full fidelity) spends 1, and only 200-epoch results can be the pick.</li>
 * </ul>
 *
 * The reported column is {@code test_acc_200ep} in both; it is never used to choose.
 */
final class Nb201Bench {

    static final String FULL_SIGNAL = "val_acc_200ep";

    private Nb201Bench() {
    }

    static BenchSettings singleFidelity(List<Integer> budgets, int seeds, List<String> strategies) {
        return settings(new TabularTrainerConfig("benchmarks/nb201/cifar10.csv", Nb201Table.SIGNAL, Nb201Table.REPORT,
                List.of()), budgets, seeds, strategies);
    }

    static BenchSettings twoFidelities(List<Integer> budgets, int seeds, List<String> strategies) {
        return settings(new TabularTrainerConfig("benchmarks/nb201/cifar10.csv", FULL_SIGNAL, Nb201Table.REPORT,
                List.of(), List.of(Nb201Table.SIGNAL, FULL_SIGNAL)), budgets, seeds, strategies);
    }

    private static BenchSettings settings(TabularTrainerConfig config, List<Integer> budgets, int seeds,
                                          List<String> strategies) {
        return new BenchSettings(config, CellSearchSpace.nb201(), budgets, seeds,
                strategies.stream().map(StrategySpec::parse).toList(), false);
    }

    static BenchRunner runner(BenchSettings settings) {
        return new BenchRunner(settings, new TabularBenchmark(Nb201Table.table()));
    }

    /** One run per seed {@code 0..seeds-1} of {@code strategy} (a bench spec such as {@code reinforce:policy=autoregressive}). */
    static List<BenchRunner.SeedRun> runs(BenchSettings settings, String strategy) {
        BenchRunner runner = runner(settings);
        StrategySpec spec = StrategySpec.parse(strategy);
        List<BenchRunner.SeedRun> runs = new ArrayList<>();
        try {
            for (long seed = 0; seed < settings.seeds(); seed++) {
                runs.add(runner.runSeed(spec, seed));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return runs;
    }

    /** The mean over runs of the reported value of the pick at budget index {@code b}. */
    static double meanReported(List<BenchRunner.SeedRun> runs, int b) {
        return runs.stream().mapToDouble(r -> r.bestReported()[b]).average().orElseThrow();
    }
}
