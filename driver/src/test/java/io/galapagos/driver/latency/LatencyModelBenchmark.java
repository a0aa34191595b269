package io.galapagos.driver.latency;

import io.galapagos.benchmark.RankCorrelation;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.network.KernelProfile;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.network.NetworkInput;
import io.galapagos.worker.training.Dl4jTrialRunner;
import io.galapagos.worker.training.ImageTrainingData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How well the per-kernel latency model ranks the inference latency of macro networks it has not seen, after
 * {@code T} measured ones: a seeded sample of distinct architectures of a configuration's space, each trained as
 * its configuration says (shortened to one epoch on a slice of the data: latency does not depend on the weights) and
 * measured by the trial runner, on one thread as a Spark task slot does; the model fitted to the first {@code T},
 * Spearman's rho and Kendall's tau of its predictions against the measured latencies of the rest, beside those of
 * FLOPs and of parameters alone, and beside a second measurement of the held-out networks (the noise ceiling). A
 * benchmark, not a test: it runs only when named, a few minutes on two cores:
 * <pre>
 * mvn -q -DskipTests install && mvn test -pl driver -Dtest=LatencyModelBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Settings: {@code -Dbench.config=../conf/quickstart.yaml -Dbench.train=50 -Dbench.heldout=30 -Dbench.seed=1}, and
 * {@code -Dbench.repeats=N} for the configuration's {@code training.latency_repeats}.
 */
class LatencyModelBenchmark {

    @Test
    void ranksHeldOutNetworksByPredictedLatency() throws Exception {
        Path config = Path.of(System.getProperty("bench.config", "../conf/quickstart.yaml")).toAbsolutePath();
        int train = Integer.getInteger("bench.train", 50);
        int heldOut = Integer.getInteger("bench.heldout", 30);
        long seed = Long.getLong("bench.seed", 1);
        List<String> overrides = new ArrayList<>(List.of("training.epochs=1", "data.train_limit=64",
                "training.batch_size=32"));
        if (System.getProperty("bench.repeats") != null) {
            overrides.add("training.latency_repeats=" + System.getProperty("bench.repeats"));
        }
        SearchConfig search = ConfigLoader.load(config, overrides).config();
        Dl4jTrainerConfig trainer = (Dl4jTrainerConfig) search.trainer();
        TrainingConfig training = trainer.training();
        ImageTrainingData data = new ImageTrainingData(trainer.data());
        NetworkInput input = data.input(HadoopFileSystems.configuration());
        NetworkBuilder planner = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, Long.MAX_VALUE,
                training.constraints(), training.cellNetwork());
        Dl4jTrialRunner runner = new Dl4jTrialRunner(trainer.data(), training, 1);

        SplittableRandom random = new SplittableRandom(seed);
        Set<String> drawn = new LinkedHashSet<>();
        List<LatencyModel.Sample> samples = new ArrayList<>();
        List<Double> flops = new ArrayList<>();
        List<Double> params = new ArrayList<>();
        List<Architecture> architectures = new ArrayList<>();
        while (samples.size() < train + heldOut) {
            Architecture architecture = search.space().sample(random);
            if (!drawn.add(architecture.text())) {
                continue;
            }
            TrialResult result = runner.run(new Candidate(drawn.size(), architecture, seed));
            if (!(result instanceof TrialResult.Completed)) {
                continue;
            }
            samples.add(new LatencyModel.Sample(planner.kernels(architecture, input),
                    result.metrics().require(Metrics.LATENCY_MS)));
            flops.add(result.metrics().require(Metrics.FLOPS));
            params.add(result.metrics().require(Metrics.PARAMS));
            architectures.add(architecture);
        }
        long started = System.nanoTime();
        LatencyModel model = LatencyModel.fit(samples.subList(0, train));
        double fitMillis = (System.nanoTime() - started) / 1e6;

        double[] measured = new double[heldOut];
        double[] again = new double[heldOut];
        double[] predicted = new double[heldOut];
        double[] byFlops = new double[heldOut];
        double[] byParams = new double[heldOut];
        int unknown = 0;
        for (int i = 0; i < heldOut; i++) {
            LatencyModel.Sample s = samples.get(train + i);
            measured[i] = s.latencyMs();
            predicted[i] = model.predict(s.kernels()).orElse(Double.NaN);
            unknown += Double.isNaN(predicted[i]) ? 1 : 0;
            byFlops[i] = flops.get(train + i);
            byParams[i] = params.get(train + i);
            again[i] = runner.run(new Candidate(0, architectures.get(train + i), seed)).metrics()
                    .require(Metrics.LATENCY_MS);
        }
        System.out.printf(Locale.ROOT, "%s: %d measured networks fit the model in %.1f ms; %d held out (%d of a kind "
                + "it had not seen); latency %.3f to %.3f ms%n", config.getFileName(), train, fitMillis, heldOut,
                unknown, min(measured), max(measured));
        print("per-kernel model", predicted, measured);
        print("FLOPs alone", byFlops, measured);
        print("parameters alone", byParams, measured);
        print("second measurement", again, measured);
        double relative = 0;
        for (int i = 0; i < heldOut; i++) {
            relative += Math.abs(predicted[i] - measured[i]) / measured[i];
        }
        System.out.printf(Locale.ROOT, "mean relative error of the model: %.1f%%%n", 100 * relative / heldOut);
        model.coefficients().forEach((name, value) -> {
            if (value > 0) {
                System.out.printf(Locale.ROOT, "  %s %.4g%n", name, value);
            }
        });
    }

    private static void print(String what, double[] x, double[] measured) {
        RankCorrelation r = RankCorrelation.of(x, measured, 5);
        System.out.printf(Locale.ROOT, "%-20s Spearman %.3f  Kendall %.3f  top-5 overlap %.1f%n", what,
                r.spearmanRho(), r.kendallTau(), r.topOverlap());
    }

    private static double min(double[] values) {
        return java.util.Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return java.util.Arrays.stream(values).max().orElse(Double.NaN);
    }
}
