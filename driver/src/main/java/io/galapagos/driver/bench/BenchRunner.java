package io.galapagos.driver.bench;

import io.galapagos.benchmark.BenchmarkTable;
import io.galapagos.benchmark.TableFront;
import io.galapagos.driver.execution.DirectTrialExecutor;
import io.galapagos.driver.results.Spread;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.strategy.Strategies;
import io.galapagos.config.SchedulingConfig;
import io.galapagos.driver.study.Study;
import io.galapagos.driver.study.StudyListener;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.tabular.TabularBenchmark;
import io.galapagos.worker.tabular.TabularTrialRunner;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs {@code galapagos bench}: for each strategy and each seed {@code 0..seeds-1}, one {@link Study} up to
 * the largest budget, in process and synchronously (a {@link DirectTrialExecutor} over the
 * {@link TabularTrialRunner}: the same strategies, loop and trainer as {@code galapagos run}, one trial at
 * a time, no threads). The strategy and the study share the seed. At each budget it records the reported
 * value of the best architecture so far by the signal (ties: the earlier one), the time taken, and with a
 * minimised column the hypervolume share of all architectures found so far ({@link TableFront}).
 *
 * <p>Budgets count cost in full-fidelity queries ({@link BenchSettings#cost(int)}): a reading at budget
 * {@code B} sees exactly the results whose cumulative cost is at most {@code B}, and a study stops once the
 * largest budget is spent. With plain strategies (every query at full fidelity) a budget is a number of
 * queries. Only full-fidelity results (the last level, or a candidate naming no level) can be the best by
 * signal, and only they count in the hypervolume: a cheap level's value is not comparable with the full signal,
 * nor with the true front, which is of full-fidelity values.
 * Deterministic for given settings, except for the timings. Not thread-safe.
 */
public final class BenchRunner {

    /**
     * Queries run before the timed ones (whole seeds, unrecorded), so that the timings measure compiled
     * code rather than JIT compilation.
     */
    static final int WARM_UP_QUERIES = 30_000;
    private static final long WARM_UP_SEED_BASE = 1L << 40;

    private final BenchSettings settings;
    private final TabularBenchmark benchmark;
    private final DirectTrialExecutor executor;
    private final Objective signal;
    /** The signal, then the minimised column if any: what multi-objective strategies are given. */
    private final List<Objective> objectives;
    private final String report;
    private final TableFront front;
    private final double optimum;

    /**
     * @throws IllegalArgumentException the table lacks a named column (the message names it and lists the
     *                                  table's columns)
     */
    public BenchRunner(BenchSettings settings, TabularBenchmark benchmark) {
        this.settings = settings;
        this.benchmark = benchmark;
        this.executor = new DirectTrialExecutor(new TabularTrialRunner(benchmark, settings.benchmark()));
        this.signal = settings.benchmark().objective();
        this.objectives = settings.benchmark().objectives();
        this.report = settings.benchmark().report();
        BenchmarkTable table = benchmark.table();
        this.front = settings.benchmark().minimize().isEmpty() ? null
                : TableFront.of(table, settings.benchmark().signal(), settings.benchmark().minimize().get(0));
        this.optimum = Arrays.stream(table.column(report)).max().orElseThrow();
    }

    /** The table's best value of the reported column. */
    public double optimum() {
        return optimum;
    }

    /** Runs every strategy for every seed; {@code progress} (may be null) hears of each finished strategy. */
    public BenchReport run(PrintStream progress) throws InterruptedException {
        List<BenchReport.StrategyResult> results = new ArrayList<>();
        for (StrategySpec spec : settings.strategies()) {
            if (settings.warmUp()) {
                for (int s = 0; s < Math.max(1, WARM_UP_QUERIES / settings.maxBudget()); s++) {
                    runSeed(spec, WARM_UP_SEED_BASE + s);
                }
            }
            List<SeedRun> runs = new ArrayList<>(settings.seeds());
            for (int seed = 0; seed < settings.seeds(); seed++) {
                runs.add(runSeed(spec, seed));
            }
            BenchReport.StrategyResult result = summarise(spec, runs);
            results.add(result);
            if (progress != null) {
                progress.printf(Locale.ROOT, "%s: %d seeds done in %.2f s%n", spec.text(), settings.seeds(),
                        result.seconds());
                progress.flush();
            }
        }
        return new BenchReport(benchmark.table().source(), benchmark.table().size(), settings.benchmark().signal(),
                report, front == null ? null : front.minimized(), optimum, settings.seeds(),
                settings.benchmark().fidelities(), settings.costs(), results);
    }

    /**
     * One seed of one strategy, up to the largest budget.
     *
     * @param proposed     the architectures proposed, in the order they were told
     * @param bestReported per budget, the reported value of the best-by-signal architecture (NaN if none completed)
     * @param best         per budget, that architecture's text (null if none)
     * @param seconds      per budget, wall time from the start of the study
     * @param hypervolume  per budget, the share of the true front's hypervolume (NaN without a minimised column)
     * @param levels       the fidelity level of each proposal, in the same order ({@code -1}: full fidelity)
     * @param spent        per budget, the cost of the results the reading saw, in full-fidelity queries
     */
    public record SeedRun(List<String> proposed, double[] bestReported, String[] best, double[] seconds,
                          double[] hypervolume, List<Integer> levels, double[] spent) {
    }

    public SeedRun runSeed(StrategySpec spec, long seed) throws InterruptedException {
        SearchStrategy strategy = Strategies.create(spec.config(), settings.space(), objectives, seed);
        Recorder recorder = new Recorder();
        double cheapest = settings.costs().stream().mapToDouble(Double::doubleValue).min().orElse(1)
                / settings.costs().get(settings.costs().size() - 1);
        int maxTrials = (int) Math.min(Integer.MAX_VALUE - 1L, (long) Math.ceil(settings.maxBudget() / Math.min(1, cheapest)));
        Study study = new Study(strategy, executor, maxTrials, 1, seed, List.of(recorder), recorder::done,
                SchedulingConfig.STEADY.withBatching(SchedulingConfig.Batching.OFF));
        recorder.start = System.nanoTime();
        study.run();
        recorder.finish();
        List<String> proposed = recorder.proposed.stream().map(Architecture::text).toList();
        return new SeedRun(proposed, recorder.bestReported, recorder.best, recorder.seconds, recorder.hypervolume,
                List.copyOf(recorder.levels), recorder.spentAt);
    }

    /** Tracks the best by signal among full-fidelity results and the cost spent, and takes a reading at each budget. */
    private final class Recorder implements StudyListener {
        private static final double EPS = 1e-9;
        final int levelCount = settings.benchmark().levels();
        final int[] budgets = settings.budgets().stream().mapToInt(Integer::intValue).toArray();
        final double[] bestReported = new double[budgets.length];
        final String[] best = new String[budgets.length];
        final double[] seconds = new double[budgets.length];
        final double[] hypervolume = new double[budgets.length];
        final List<Architecture> proposed = new ArrayList<>();
        final List<Integer> levels = new ArrayList<>();
        final double[] spentAt = new double[budgets.length];
        final List<double[]> points = new ArrayList<>();
        long start;
        int next;
        double bestFitness = Double.NEGATIVE_INFINITY;
        TrialResult bestResult;
        /** Cost spent so far, in full-fidelity queries. */
        double spent;

        @Override
        public void finished(TrialResult result, int finished, int total) {
            int level = result.candidate().fidelity();
            double after = spent + settings.cost(level);
            // budgets this result would overshoot are read without it
            while (next < budgets.length && after > budgets[next] + EPS) {
                read();
            }
            spent = after;
            proposed.add(result.candidate().architecture());
            levels.add(level);
            boolean full = result.candidate().fullFidelity() || level == levelCount - 1;
            double fitness = full ? signal.fitness(result) : Double.NEGATIVE_INFINITY;
            if (fitness > bestFitness) {
                bestFitness = fitness;
                bestResult = result;
            }
            if (front != null && full && result instanceof TrialResult.Completed) {
                points.add(front.normalise(result.metrics().require(front.maximized()),
                        result.metrics().require(front.minimized())));
            }
            while (next < budgets.length && spent >= budgets[next] - EPS) {
                read();
            }
        }

        /** Whether the largest budget is spent (or every reading taken): the study's stop condition. */
        boolean done() {
            return next >= budgets.length;
        }

        /** Readings the study ended before (it ran out of trials): taken with what was found. */
        void finish() {
            while (next < budgets.length) {
                read();
            }
        }

        private void read() {
            seconds[next] = (System.nanoTime() - start) / 1e9;
            bestReported[next] = bestResult == null ? Double.NaN : bestResult.metrics().require(report);
            best[next] = bestResult == null ? null : bestResult.candidate().architecture().text();
            hypervolume[next] = front == null ? Double.NaN : front.ratio(points);
            spentAt[next] = spent;
            next++;
        }
    }

    private BenchReport.StrategyResult summarise(StrategySpec spec, List<SeedRun> runs) {
        List<BenchReport.BudgetResult> budgets = new ArrayList<>();
        for (int b = 0; b < settings.budgets().size(); b++) {
            int at = b;
            // a seed without a full-fidelity result yet (Hyperband on a small budget) has nothing to report
            double[] values = runs.stream().mapToDouble(r -> r.bestReported()[at]).filter(v -> !Double.isNaN(v))
                    .toArray();
            double[] seconds = runs.stream().mapToDouble(r -> r.seconds()[at]).toArray();
            double[] hv = runs.stream().mapToDouble(r -> r.hypervolume()[at]).toArray();
            Spread reported = values.length == 0 ? new Spread(Double.NaN, Double.NaN, Double.NaN, Double.NaN)
                    : Spread.of(values);
            Spread hypervolume = Spread.of(hv);
            budgets.add(new BenchReport.BudgetResult(settings.budgets().get(b), values.length, reported.mean(),
                    reported.sd(), optimum - reported.mean(), Spread.of(seconds).mean(), hypervolume.mean(),
                    hypervolume.sd()));
        }
        double total = runs.stream().mapToDouble(r -> r.seconds()[r.seconds().length - 1]).sum();
        long queries = runs.stream().mapToLong(r -> r.proposed().size()).sum();
        return new BenchReport.StrategyResult(spec.text(), queries, total, budgets);
    }
}
