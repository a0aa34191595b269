package io.galapagos.worker.supernet;

import io.galapagos.benchmark.RankCorrelation;
import io.galapagos.benchmark.TauInterval;
import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.config.DataConfig;
import io.galapagos.config.OneShotConfig;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.worker.training.Dl4jTrialRunner;
import io.galapagos.worker.training.NativeThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * How well supernet accuracy ranks cells like stand-alone training, one-shot against few-shot, on the shipped
 * Fashion-MNIST subset: a seeded sample of cells, each trained stand-alone ({@code conf/cells-fashion.yaml}'s
 * settings under a cosine schedule) with {@code R} seeds and measured on each supernet; Kendall's tau, Spearman's
 * rho, top-5 overlap against the seeds' mean (tau with its 95% bootstrap interval over the sample, and a few-shot
 * row's lead over the one-shot row with its paired interval), and the wall time and slot-seconds of each supernet
 * training. The reference's own reliability is printed first: the tau between two seeds' stand-alone accuracies
 * bounds what any supernet can reach against one seed. Three supernet trainings of the same sample, as the weight-sharing issue
 * asks: one-shot for E epochs; few-shot at equal epochs (a shared one-shot warm-up of W epochs, then E - W epochs
 * for each of the K = 5 sub-supernets); few-shot at equal total compute (the same warm-up, then (E - W) / K epochs
 * each, at least one; left out when that is the equal-epochs row). With a split, each row also counts the pairs of
 * cells it orders as the reference, within a part and across parts. A benchmark, not a test: it runs only when named,
 * on two threads, for about an hour:
 * <pre>
 * mvn -q -DskipTests install && mvn test -pl worker -Dtest=SupernetRankingBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Settings: {@code -Dbench.sample=30 -Dbench.epochs=6 -Dbench.warmup=1 -Dbench.seed=1 -Dbench.split=5} (the edge
 * few-shot splits on; -1 for one-shot only), {@code -Dbench.only=NAME[,NAME]} (the rows named: {@code one-shot},
 * {@code few-shot-equal-epochs}, {@code few-shot-equal-compute}), {@code -Dbench.supernet.seed} (the sample's seed
 * unless given; another draws other initial weights, cells and orders for the supernets of the same sample and
 * reference),
 * {@code -Dbench.reduction=residual} (or {@code pool}: the skeleton's {@code training.cell_reduction}),
 * {@code -Dbench.sampling=uniform} (or {@code fair}: {@code oneshot.sampling}), {@code -Dbench.operation.weights=1,1,1,1,1}
 * ({@code oneshot.operation_weights}, in the order none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3),
 * {@code -Dbench.optimiser=sgd} (or {@code adam}: {@code oneshot.optimiser}), {@code -Dbench.learning.rate} (the
 * optimiser's default rate unless given: 0.1 for SGD, 0.005 for Adam; {@code oneshot.learning_rate}), {@code -Dbench.split.learning.rate} (the sub-supernets' rate,
 * {@code oneshot.split_learning_rate}; the rate unless given), {@code -Dbench.reference.seeds=2} (stand-alone
 * trainings a cell),
 * {@code -Dbench.accuracies=FILE} (where to write every cell's accuracy: stand-alone, the seeds' mean, and on each
 * row's supernets),
 * and {@code -Dbench.reference=FILE}: the stand-alone accuracies (a line per cell: the cell, then an accuracy per
 * seed), read from FILE where it holds them (a file of the same sample seed and skeleton, of any sample size:
 * {@code benchmarks/supernet-ranking/} ships the pool skeleton's), the rest measured and written there.
 */
class SupernetRankingBenchmark {

    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();
    private static final CellNetworkConfig SKELETON = new CellNetworkConfig(8, 1, CellNetworkConfig.Reduction.valueOf(
            System.getProperty("bench.reduction", "residual").toUpperCase(java.util.Locale.ROOT)));
    private static final int THREADS = 2;
    private static final boolean FAIR = "fair".equals(System.getProperty("bench.sampling", "uniform"));
    private static final List<Double> OPERATION_WEIGHTS = Arrays.stream(
            System.getProperty("bench.operation.weights", "1,1,1,1,1").split(",")).map(Double::valueOf).toList();
    private static final OneShotConfig.Optimiser OPTIMISER = OneShotConfig.Optimiser.valueOf(
            System.getProperty("bench.optimiser", "sgd").toUpperCase(java.util.Locale.ROOT));
    private static final double LEARNING_RATE = Double.parseDouble(System.getProperty("bench.learning.rate",
            String.valueOf(OPTIMISER.defaultRate())));
    private static final double SPLIT_LEARNING_RATE =
            Double.parseDouble(System.getProperty("bench.split.learning.rate", String.valueOf(LEARNING_RATE)));

    @TempDir
    Path dir;

    @Test
    void oneShotAgainstFewShot() throws Exception {
        int sampleSize = Integer.getInteger("bench.sample", 30);
        int epochs = Integer.getInteger("bench.epochs", 6);
        int warmup = Integer.getInteger("bench.warmup", 1);
        long seed = Long.getLong("bench.seed", 1);
        long supernetSeed = Long.getLong("bench.supernet.seed", seed);
        int split = Integer.getInteger("bench.split", 5);
        String reference = System.getProperty("bench.reference");
        DataConfig data = fashionMnist();
        List<CellArchitecture> sample = sample(sampleSize, seed);

        long start = System.nanoTime();
        double[][] seeds = reference(sample, data, reference, Integer.getInteger("bench.reference.seeds", 2));
        double standAloneSeconds = (System.nanoTime() - start) / 1e9;
        double[] standAlone = new double[sampleSize];
        for (double[] accuracies : seeds) {
            for (int i = 0; i < sampleSize; i++) {
                standAlone[i] += accuracies[i] / seeds.length;
            }
        }

        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "%d cells (seed %d) on the %s skeleton, stand-alone 3 epochs (cosine), %d seeds: %.0f s on %d threads%s; "
                        + "supernets of seed %d, operation weights %s%n",
                sampleSize, seed, SKELETON.reduction().text(), seeds.length, standAloneSeconds, THREADS,
                reference == null ? "" : " (reference " + reference + ")", supernetSeed,
                OPERATION_WEIGHTS));
        for (int k = 1; k < seeds.length; k++) {
            RankCorrelation r = RankCorrelation.of(seeds[k], seeds[0], Math.min(5, sampleSize));
            report.append(String.format(Locale.ROOT, "stand-alone seed %d against seed 0: tau %.3f, rho %.3f, top-%d "
                    + "overlap %.1f%n", k, r.kendallTau(), r.spearmanRho(), r.k(), r.topOverlap()));
        }
        int parts = CellOperation.values().length;
        List<SupernetSpec> specs = new ArrayList<>();
        specs.add(spec(data, -1, epochs, 0, supernetSeed, "one-shot"));
        if (split >= 0) {
            specs.add(spec(data, split, epochs - warmup, warmup, supernetSeed, "few-shot-equal-epochs"));
            int shares = Math.max(1, (epochs - warmup) / parts);
            if (shares < epochs - warmup) {
                specs.add(spec(data, split, shares, warmup, supernetSeed, "few-shot-equal-compute"));
            }
        }
        String only = System.getProperty("bench.only", "");
        Set<String> rows = Set.of(only.split(","));
        specs.removeIf(spec -> !only.isEmpty() && !rows.contains(rowName(spec)));
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("bench.only names no row: " + only);
        }
        double[] oneShot = null;
        StringBuilder header = new StringBuilder("cell stand-alone");
        List<double[]> columns = new ArrayList<>(List.of(standAlone));
        for (SupernetSpec spec : specs) {
            long trainStart = System.nanoTime();
            List<SupernetPartOutcome> outcomes = new ArrayList<>();
            if (spec.warmupEpochs() > 0) {
                outcomes.addAll(train(spec.warmUp()));
            }
            List<SupernetPartOutcome> trained = train(spec);
            outcomes.addAll(trained);
            double slotSeconds = outcomes.stream().mapToDouble(SupernetPartOutcome::seconds).sum();
            double loss = trained.stream().mapToDouble(SupernetPartOutcome::loss).average().orElseThrow();
            double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
            long evaluateStart = System.nanoTime();
            double[] supernet = measure(sample, IntStream.range(0, sampleSize).toArray(),
                    () -> new SupernetRunnerFactory(spec, 8).create(), 7);
            double evaluateSeconds = (System.nanoTime() - evaluateStart) / 1e9;
            RankCorrelation r = RankCorrelation.of(supernet, standAlone, Math.min(5, sampleSize));
            TauInterval interval = TauInterval.of(supernet, standAlone);
            report.append(String.format(Locale.ROOT, "%s: %d supernet(s), %d warm-up + %d epochs each, training %.0f s "
                            + "wall, %.0f slot-s, last epoch's loss %.3f; evaluation %.1f s; tau %.3f (95%% bootstrap "
                            + "interval %.3f to %.3f), rho %.3f, top-%d overlap %.1f%s%s%n",
                    rowName(spec), spec.parts(), spec.warmupEpochs(),
                    spec.epochs(), trainSeconds, slotSeconds, loss, evaluateSeconds, r.kendallTau(), interval.low(),
                    interval.high(), r.spearmanRho(), r.k(), r.topOverlap(),
                    oneShot == null ? "" : aheadOf(oneShot, supernet, standAlone),
                    split < 0 ? "" : "; " + orderedPairs(sample, split, supernet, standAlone)));
            if (spec.parts() == 1) {
                oneShot = supernet;
            }
            header.append(' ').append(rowName(spec));
            columns.add(supernet);
        }
        System.out.print(report);
        String accuracies = System.getProperty("bench.accuracies");
        if (accuracies != null) {
            List<String> lines = new ArrayList<>(List.of(header.toString()));
            for (int i = 0; i < sampleSize; i++) {
                StringBuilder line = new StringBuilder(sample.get(i).text());
                for (double[] column : columns) {
                    line.append(' ').append(column[i]);
                }
                lines.add(line.toString());
            }
            Files.write(Path.of(accuracies), lines);
        }
    }

    /**
     * The stand-alone validation accuracy of every cell for each of {@code count} training seeds
     * ({@code [seed][cell]}), read from {@code file} where it holds them and measured where it does not, the file
     * then rewritten after each seed measured, so that an interrupted run keeps what it finished. The file has a
     * line per cell: the cell in NB201's notation, then its accuracy under training seeds 7, 8, ... in order. Its
     * cells must be the sample's first ones (a file of another sample seed is refused): samples of one seed grow by
     * appending, and a cell's training seed depends on its index only, so a file of a smaller or larger sample,
     * or with fewer or more seeds, serves this one. Its lines beyond the sample and its seeds beyond {@code count}
     * are kept, not used.
     */
    private static double[][] reference(List<CellArchitecture> sample, DataConfig data, String file, int count)
            throws Exception {
        Path path = file == null ? null : Path.of(file);
        List<String> lines = new ArrayList<>(path != null && Files.exists(path) ? Files.readAllLines(path) : List.of());
        int held = lines.stream().mapToInt(line -> line.trim().split(" +").length - 1).max().orElse(0);
        double[][] seeds = new double[Math.max(count, held)][sample.size()];
        for (double[] accuracies : seeds) {
            Arrays.fill(accuracies, Double.NaN);
        }
        for (int i = 0; i < Math.min(lines.size(), sample.size()); i++) {
            String[] columns = lines.get(i).trim().split(" +");
            if (!CellArchitecture.parse(columns[0]).equals(sample.get(i))) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " holds " + columns[0]
                        + ", not the sample's cell " + sample.get(i).text() + ": a reference of another sample seed");
            }
            for (int k = 1; k < columns.length; k++) {
                seeds[k - 1][i] = Double.parseDouble(columns[k]);
            }
        }
        TrainingConfig training = new TrainingConfig(3, 600, 64, 0.002, 10, 5, Constraints.NONE, List.of(), SKELETON,
                TrainingConfig.LearningRateSchedule.COSINE);
        for (int k = 0; k < count; k++) {
            double[] accuracies = seeds[k];
            int[] missing = IntStream.range(0, sample.size()).filter(i -> Double.isNaN(accuracies[i])).toArray();
            if (missing.length == 0) {
                continue;
            }
            double[] measured = measure(sample, missing, () -> new Dl4jTrialRunner(data, training, 1), 7 + k);
            for (int j = 0; j < missing.length; j++) {
                accuracies[missing[j]] = measured[j];
            }
            if (path != null) {
                for (int i = 0; i < sample.size(); i++) {
                    StringBuilder line = new StringBuilder(sample.get(i).text());
                    for (int s = 0; s < seeds.length && !Double.isNaN(seeds[s][i]); s++) {
                        line.append(' ').append(seeds[s][i]);
                    }
                    if (i < lines.size()) {
                        lines.set(i, line.toString());
                    } else {
                        lines.add(line.toString());
                    }
                }
                Files.write(path, lines);
            }
        }
        return Arrays.copyOf(seeds, count);
    }

    private SupernetSpec spec(DataConfig data, int splitEdge, int epochs, int warmup, long seed, String name) {
        return spec(data, splitEdge, epochs, warmup, seed, dir.resolve(name));
    }

    /** The benchmark's supernets: its skeleton, sampling and rates, momentum 0.9, batches of 64. */
    static SupernetSpec spec(DataConfig data, int splitEdge, int epochs, int warmup, long seed, Path folder) {
        return new SupernetSpec(data, List.of(CellOperation.values()), SKELETON, splitEdge, epochs, warmup,
                LEARNING_RATE, splitEdge < 0 ? LEARNING_RATE : SPLIT_LEARNING_RATE, OPTIMISER, 0.9, 0,
                64, FAIR, OPERATION_WEIGHTS,
                seed, folder.toUri().toString());
    }

    /** The shipped Fashion-MNIST subset, 15% of its training images held out for validation. */
    static DataConfig fashionMnist() {
        return new DataConfig(DATA.resolve("train-images-idx3-ubyte.gz").toString(),
                DATA.resolve("train-labels-idx1-ubyte.gz").toString(), DATA.resolve("t10k-images-idx3-ubyte.gz").toString(),
                DATA.resolve("t10k-labels-idx1-ubyte.gz").toString(), 0.15, 0);
    }

    /** Trains every part of {@code spec} on {@value #THREADS} threads; returns how each part's training ended. */
    private static List<SupernetPartOutcome> train(SupernetSpec spec) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<SupernetPartOutcome>> parts = new ArrayList<>();
            for (int part = 0; part < spec.parts(); part++) {
                int p = part;
                parts.add(pool.submit(() -> {
                    NativeThreads.limit(1);
                    return SupernetPartTraining.run(spec, p, "bench");
                }));
            }
            List<SupernetPartOutcome> outcomes = new ArrayList<>();
            for (Future<SupernetPartOutcome> part : parts) {
                outcomes.add(part.get());
            }
            return outcomes;
        } finally {
            pool.shutdown();
        }
    }

    /** The row's name: its supernets' folder. */
    private static String rowName(SupernetSpec spec) {
        return Path.of(java.net.URI.create(spec.folder())).getFileName().toString();
    }

    /** How far {@code supernet}'s tau is ahead of {@code oneShot}'s, with its paired bootstrap interval. */
    private static String aheadOf(double[] oneShot, double[] supernet, double[] standAlone) {
        TauInterval difference = TauInterval.ofDifference(oneShot, supernet, standAlone);
        return String.format(Locale.ROOT, "; tau minus one-shot's %+.3f (95%% paired bootstrap interval %+.3f to %+.3f)",
                RankCorrelation.of(supernet, standAlone, 1).kendallTau()
                        - RankCorrelation.of(oneShot, standAlone, 1).kendallTau(), difference.low(), difference.high());
    }

    /**
     * How many pairs of cells {@code supernet} orders as {@code standAlone} does, counted apart for pairs whose
     * {@code edge} carries the same operation (one few-shot part) and pairs it splits: a split can only separate the
     * second kind. Pairs tied in either are left out.
     */
    private static String orderedPairs(List<CellArchitecture> cells, int edge, double[] supernet,
                                       double[] standAlone) {
        int[] right = new int[2];
        int[] counted = new int[2];
        for (int i = 0; i < cells.size(); i++) {
            for (int j = i + 1; j < cells.size(); j++) {
                double agreement = Math.signum(supernet[i] - supernet[j]) * Math.signum(standAlone[i] - standAlone[j]);
                int kind = cells.get(i).edges().get(edge) == cells.get(j).edges().get(edge) ? 0 : 1;
                if (agreement != 0) {
                    counted[kind]++;
                    right[kind] += agreement > 0 ? 1 : 0;
                }
            }
        }
        return String.format(Locale.ROOT, "pairs ordered as stand-alone: %d of %d within a part of edge %d, %d of %d "
                + "across parts", right[0], counted[0], edge, right[1], counted[1]);
    }

    /** Distinct cells drawn from NB201's space. */
    private static List<CellArchitecture> sample(int size, long seed) {
        Set<CellArchitecture> cells = new LinkedHashSet<>();
        SplittableRandom random = new SplittableRandom(seed);
        while (cells.size() < size) {
            cells.add(CellSearchSpace.nb201().sample(random));
        }
        return new ArrayList<>(cells);
    }

    /**
     * The validation accuracy of the sample's cells at {@code indices}, measured on {@value #THREADS} threads (a
     * runner each), cell {@code i} with the seed of trial {@code i} of a study of seed {@code seed}.
     */
    private static double[] measure(List<CellArchitecture> sample, int[] indices,
                                    java.util.function.Supplier<TrialRunner> runners, long seed) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            ThreadLocal<TrialRunner> runner = ThreadLocal.withInitial(runners);
            List<Future<TrialResult>> results = new ArrayList<>();
            for (int i : indices) {
                Candidate candidate = new Candidate(i, sample.get(i), Candidate.seedFor(seed, i));
                results.add(pool.submit(() -> {
                    NativeThreads.limit(1);
                    return runner.get().run(candidate);
                }));
            }
            double[] accuracies = new double[indices.length];
            for (int j = 0; j < accuracies.length; j++) {
                TrialResult result = results.get(j).get();
                accuracies[j] = result instanceof TrialResult.Completed ? result.metrics().require(Metrics.VAL_ACCURACY)
                        : 0;
            }
            return accuracies;
        } finally {
            pool.shutdown();
        }
    }
}
