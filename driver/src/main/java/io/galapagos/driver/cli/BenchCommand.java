package io.galapagos.driver.cli;

import io.galapagos.config.ConfigException;
import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.driver.bench.BenchReport;
import io.galapagos.driver.bench.BenchRunner;
import io.galapagos.driver.bench.BenchSettings;
import io.galapagos.driver.bench.StrategySpec;
import io.galapagos.driver.job.BenchmarkFiles;
import io.galapagos.driver.results.OutputException;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.space.SearchSpace;
import io.galapagos.worker.tabular.TabularBenchmark;
import io.galapagos.worker.HadoopFileSystems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Measures strategies side by side on a tabular benchmark. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run each strategy for S seeds on a tabular benchmark, in process, and print for each "
                + "strategy and query budget the mean ± standard deviation of the reported column of the "
                + "best-by-signal architecture found, its regret to the table's optimum, the wall time, and "
                + "queries per second.",
                "Example: galapagos bench --table benchmarks/nb201/cifar10.csv --signal val_acc_12ep "
                        + "--report test_acc_200ep --budgets 50,100,200,300 --seeds 100 --strategies random,evolution",
                "Multi-fidelity: --signal val_acc_200ep --fidelities val_acc_12ep,val_acc_200ep "
                        + "--strategies random,hyperband:inner=local; a 12-epoch query costs 12/200 of a budget's query."})
final class BenchCommand implements Callable<Integer> {

    private static final String SOURCE = "bench";

    @Option(names = "--table", required = true, paramLabel = "CSV",
            description = "The benchmark table: a local path or a Hadoop FileSystem URI.")
    String table;

    @Option(names = "--signal", required = true, paramLabel = "COLUMN",
            description = "The column the strategies maximise, e.g. val_acc_12ep.")
    String signal;

    @Option(names = "--report", required = true, paramLabel = "COLUMN",
            description = "The column scored (higher is better), never used to choose, e.g. test_acc_200ep.")
    String report;

    @Option(names = "--minimize", paramLabel = "COLUMN",
            description = "A second objective, minimised (e.g. latency_ms_pixel3): adds the hypervolume of the "
                    + "front found, as a share of the table's true front.")
    String minimize;

    @Option(names = "--fidelities", split = ",", paramLabel = "COLUMN",
            description = "Fidelity columns, cheapest first, the last the signal, e.g. val_acc_12ep,val_acc_200ep: "
                    + "multi-fidelity strategies (hyperband) query level k as column k. Only full-fidelity results "
                    + "count as the best by signal.")
    List<String> fidelities;

    @Option(names = "--fidelity-costs", split = ",", paramLabel = "COST",
            description = "The cost of a query at each fidelity, e.g. 12,200 (default: proportional to N when every "
                    + "fidelity column ends in _<N>ep, else equal). Budgets count cost in full-fidelity queries.")
    List<Double> fidelityCosts;

    @Option(names = "--budgets", split = ",", paramLabel = "N", defaultValue = "50,100,200,300",
            description = "Query budgets, ascending, in full-fidelity queries (default: ${DEFAULT-VALUE}).")
    List<Integer> budgets;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "100",
            description = "Seeds per strategy: 0..S-1 (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--strategies", paramLabel = "LIST", defaultValue = "random,evolution",
            description = "Strategies, comma-separated; each a kind with optional settings of the config's "
                    + "strategy section, e.g. random,evolution:population=20,sample_size=5 (default: ${DEFAULT-VALUE}).")
    String strategies;

    @Option(names = "--space", paramLabel = "KIND", defaultValue = "nb201",
            description = "The search space (default: ${DEFAULT-VALUE}; the only one so far).")
    String space;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(names = "--no-warm-up", negatable = false,
            description = "Skip the unrecorded warm-up seeds that keep JIT compilation out of the timings.")
    boolean noWarmUp;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        BenchSettings settings = settings();
        TabularBenchmark benchmark = BenchmarkFiles.check(SOURCE, settings.benchmark(), settings.space(),
                HadoopFileSystems.configuration(), key -> "--" + key.replaceAll("\\[\\d+]", ""));
        if (json != null) {
            checkWritable(json);
        }
        PrintWriter out = spec.commandLine().getOut();
        BenchRunner runner = new BenchRunner(settings, benchmark);
        BenchReport report = runner.run(null);
        out.print(report.text());
        out.flush();
        if (json != null) {
            Files.writeString(json, report.json(), StandardCharsets.UTF_8);
            out.println("Wrote " + json);
        }
        return 0;
    }

    /** Makes {@code file}'s folder, before the benchmark runs, so that a path that cannot be a file fails first. */
    private static void checkWritable(Path file) {
        if (file.toString().isBlank() || Files.isDirectory(file)) {
            throw new OutputException(file.toString(), "--json needs a file name, not a folder");
        }
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new OutputException(file.toString(), "cannot be written: its folder " + parent
                    + " cannot be made (" + e.getClass().getSimpleName() + ")");
        }
    }

    BenchSettings settings() {
        SearchSpace searchSpace = switch (space) {
            case "nb201" -> CellSearchSpace.nb201();
            default -> throw new ConfigException(SOURCE, "--space", "'" + space + "' is not valid: expected nb201");
        };
        TabularTrainerConfig benchmark;
        try {
            benchmark = new TabularTrainerConfig(table, signal, report, minimize == null ? List.of() : List.of(minimize),
                    fidelities == null ? List.of() : fidelities);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SOURCE, "", e.getMessage());
        }
        List<StrategySpec> specs = new ArrayList<>();
        for (String text : splitStrategies(strategies)) {
            specs.add(StrategySpec.parse(text));
        }
        try {
            return new BenchSettings(benchmark, searchSpace, budgets, seeds, specs, !noWarmUp,
                    fidelityCosts == null ? List.of() : fidelityCosts);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SOURCE, "", e.getMessage());
        }
    }

    /**
     * Splits {@code random,evolution:population=20,sample_size=5,local} at commas, keeping a
     * {@code key=value} piece with the strategy before it.
     */
    static List<String> splitStrategies(String list) {
        List<String> specs = new ArrayList<>();
        for (String piece : list.split(",")) {
            String p = piece.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.contains("=") && !p.contains(":") && !specs.isEmpty()) {
                specs.set(specs.size() - 1, specs.get(specs.size() - 1) + "," + p);
            } else {
                specs.add(p);
            }
        }
        if (specs.isEmpty()) {
            throw new ConfigException(SOURCE, "--strategies", "'" + list + "' names no strategy");
        }
        return specs;
    }
}
