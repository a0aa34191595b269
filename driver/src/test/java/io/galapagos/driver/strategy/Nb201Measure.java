package io.galapagos.driver.strategy;

import io.galapagos.benchmark.BenchmarkTable;
import io.galapagos.config.StrategyConfig;
import io.galapagos.driver.results.Spread;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.trial.Objective;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A measurement, not a test: the numbers behind {@link Nb201StrategiesTest}'s margins, on the NB201 CIFAR-10
 * table, for seeds {@code 0..S-1}. Run from the repository root or {@code driver/}:
 *
 * <pre>java -cp ... io.galapagos.driver.strategy.Nb201Measure [seeds] [strategy,...] [budget,...]</pre>
 *
 * Strategies are {@code galapagos bench} specs ({@code reinforce:policy=autoregressive}) and run through
 * bench's own runner ({@link Nb201Bench}), which prints mean ± sd over seeds of {@code test_acc_200ep} of
 * the best-by-signal architecture at each budget:
 * <ul>
 *   <li>single-fidelity strategies with signal {@code val_acc_12ep}, budgets in queries (one 12-epoch
 *       look-up each), random search among them as the baseline;</li>
 *   <li>{@code hyperband...} specs, beside random search, with signal {@code val_acc_200ep} and levels
 *       {@code [val_acc_12ep, val_acc_200ep]}: budgets in full-fidelity (200-epoch) queries, a 12-epoch
 *       look-up costing 12/200 of one, as bench charges;</li>
 *   <li>{@code nsga2}: its front's hypervolume on (val_acc_12ep max, latency_ms_pixel3 min) against the
 *       table's true front's, and random search's, at the largest budget in queries.</li>
 * </ul>
 */
public final class Nb201Measure {

    private Nb201Measure() {
    }

    public static void main(String[] args) throws InterruptedException {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        List<String> names = Arrays.asList((args.length > 1 ? args[1]
                : "random,evolution,local,reinforce,reinforce:policy=autoregressive,bananas,hyperband,nsga2")
                .split(","));
        List<Integer> budgets = Arrays.stream((args.length > 2 ? args[2] : "50,100,200,300").split(","))
                .map(Integer::valueOf).toList();
        int queries = budgets.get(budgets.size() - 1);
        List<String> single = new ArrayList<>(List.of("random"));
        List<String> multi = new ArrayList<>(List.of("random"));
        for (String name : names) {
            if (name.startsWith("hyperband")) {
                multi.add(name);
            } else if (!name.startsWith("nsga2") && !name.equals("random")) {
                single.add(name);
            }
        }
        System.out.println(Nb201Bench.runner(Nb201Bench.singleFidelity(budgets, seeds, single)).run(System.err).text());
        if (multi.size() > 1) {
            System.out.println("Budgets in full-fidelity (200-epoch) queries; a 12-epoch query costs 12/200 of one.");
            System.out.println(Nb201Bench.runner(Nb201Bench.twoFidelities(budgets, seeds, multi)).run(System.err).text());
        }
        for (String name : names) {
            if (name.startsWith("nsga2")) {
                measureHypervolume(name, seeds, queries);
            }
        }
    }

    /** {@code name} or {@code name:key=value:key=value} with StrategyConfig keys (population, eta, inner...). */
    static SearchStrategy create(String spec, long seed) {
        String[] parts = spec.split(":");
        StrategyConfig.Kind kind = StrategyConfig.Kind.valueOf(parts[0].toUpperCase(Locale.ROOT));
        StrategyConfig d = StrategyConfig.defaults(kind);
        int population = d.population();
        int sample = d.sampleSize();
        double crossover = d.crossoverProbability();
        int initial = d.initialSamples();
        double lr = d.learningRate();
        double entropy = d.entropyWeight();
        double decay = d.baselineDecay();
        int ensemble = d.ensembleSize();
        int parents = d.parents();
        int candidates = d.candidates();
        int eta = d.eta();
        StrategyConfig.Kind inner = d.inner();
        StrategyConfig.Policy policy = d.policy();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=");
            switch (kv[0]) {
                case "population" -> population = Integer.parseInt(kv[1]);
                case "sample_size" -> sample = Integer.parseInt(kv[1]);
                case "crossover_probability" -> crossover = Double.parseDouble(kv[1]);
                case "initial_samples" -> initial = Integer.parseInt(kv[1]);
                case "learning_rate" -> lr = Double.parseDouble(kv[1]);
                case "entropy_weight" -> entropy = Double.parseDouble(kv[1]);
                case "baseline_decay" -> decay = Double.parseDouble(kv[1]);
                case "ensemble_size" -> ensemble = Integer.parseInt(kv[1]);
                case "parents" -> parents = Integer.parseInt(kv[1]);
                case "candidates" -> candidates = Integer.parseInt(kv[1]);
                case "eta" -> eta = Integer.parseInt(kv[1]);
                case "inner" -> inner = StrategyConfig.Kind.valueOf(kv[1].toUpperCase(Locale.ROOT));
                case "policy" -> policy = StrategyConfig.Policy.valueOf(kv[1].toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown setting " + kv[0]);
            }
        }
        StrategyConfig config = new StrategyConfig(kind, population, sample, crossover, initial, lr, entropy, decay, ensemble,
                parents, candidates, eta, 2, inner, policy);
        Objective signal = kind == StrategyConfig.Kind.HYPERBAND ? Objective.maximize(Nb201Table.LEVEL_SIGNAL)
                : Objective.maximize(Nb201Table.SIGNAL);
        return Strategies.create(config, CellSearchSpace.nb201(),
                List.of(signal, Objective.minimize(Nb201Table.LATENCY)), seed);
    }

    /** NSGA-II and random search: hypervolume of the front found, as a fraction of the true front's. */
    private static void measureHypervolume(String spec, int seeds, int queries) {
        BenchmarkTable t = Nb201Table.table();
        double[] acc = t.column(Nb201Table.SIGNAL);
        double[] lat = t.column(Nb201Table.LATENCY);
        // Reference: the worst accuracy and latency of the table (its nadir).
        double[] reference = {min(acc), max(lat)};
        List<double[]> all = new ArrayList<>();
        for (int r = 0; r < acc.length; r++) {
            all.add(new double[] {acc[r], -lat[r]});
        }
        double trueVolume = Pareto.hypervolume(all, new double[] {reference[0], -reference[1]});
        double[] nsga = new double[seeds];
        double[] random = new double[seeds];
        long start = System.nanoTime();
        for (int s = 0; s < seeds; s++) {
            Nsga2 strategy = (Nsga2) create(spec, s);
            Nb201Table.run(strategy, queries);
            nsga[s] = strategy.hypervolume(reference) / trueVolume;
        }
        double ms = (System.nanoTime() - start) / 1e6 / seeds;
        for (int s = 0; s < seeds; s++) {
            Nsga2 tracker = new Nsga2(CellSearchSpace.nb201(), List.of(Objective.maximize(Nb201Table.SIGNAL),
                    Objective.minimize(Nb201Table.LATENCY)), 2, 0);
            SearchStrategy rs = new RandomSearch(CellSearchSpace.nb201(), s);
            for (int n = 0; n < queries; n++) {
                var a = rs.ask();
                tracker.tell(Nb201Table.result(n, a));
            }
            random[s] = tracker.hypervolume(reference) / trueVolume;
        }
        Spread searched = Spread.of(nsga);
        Spread randomSearch = Spread.of(random);
        System.out.printf(Locale.ROOT, "%-22s hypervolume / true front's at %d queries: %.4f ± %.4f (random search"
                        + " %.4f ± %.4f); reference (%s %.2f, %s %.2f)   %.0f ms/run%n", spec, queries,
                searched.mean(), searched.sd(), randomSearch.mean(), randomSearch.sd(), Nb201Table.SIGNAL,
                reference[0], Nb201Table.LATENCY, reference[1], ms);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }
}
