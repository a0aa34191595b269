package io.galapagos.worker.training;

import io.galapagos.benchmark.RankCorrelation;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.worker.data.DataSplit;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.network.NetworkInput;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Whether {@link Latency}'s correction by the interleaved {@link SpeedReference} makes latencies repeatable: a
 * seeded sample of networks of a configuration's space (untrained: latency does not depend on the weights), each
 * measured once in a first pass over all of them and again in a second, on one thread; Spearman's rho and Kendall's
 * tau between the two passes, for the networks' own medians and for the corrected figures of the same measurements.
 * A benchmark, not a test: it runs only when named, under a minute on two cores:
 * <pre>
 * mvn -q -DskipTests install && mvn test -pl worker -Dtest=LatencyCorrectionBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Settings: {@code -Dbench.config=../conf/quickstart.yaml -Dbench.networks=40 -Dbench.repeats=60 -Dbench.seed=1}.
 */
class LatencyCorrectionBenchmark {

    @Test
    void measuresTheSameNetworksTwice() throws Exception {
        Path config = Path.of(System.getProperty("bench.config", "../conf/quickstart.yaml")).toAbsolutePath();
        int count = Integer.getInteger("bench.networks", 40);
        int repeats = Integer.getInteger("bench.repeats", 60);
        SearchConfig search = ConfigLoader.load(config, List.of()).config();
        Dl4jTrainerConfig trainer = (Dl4jTrainerConfig) search.trainer();
        NativeThreads.limit(1);
        ImageTrainingData data = new ImageTrainingData(trainer.data());
        DataSplit split = data.load();
        NetworkInput input = data.input(split);
        DataSet example = split.validation().batch(new int[]{0}, 0, 1);
        NetworkBuilder builder = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, Long.MAX_VALUE,
                trainer.training().constraints(), trainer.training().cellNetwork());
        SplittableRandom random = new SplittableRandom(Long.getLong("bench.seed", 1));
        List<ComputationGraph> networks = new ArrayList<>();
        while (networks.size() < count) {
            try {
                networks.add(builder.build(search.space().sample(random), input, 32, 1e-3, 1).graph());
            } catch (InfeasibleNetworkException e) {
                // over a bound of the configuration: draw another
            }
        }
        Latency.Measurement[][] passes = new Latency.Measurement[2][count];
        for (Latency.Measurement[] pass : passes) {
            for (int i = 0; i < count; i++) {
                pass[i] = Latency.measure(networks.get(i), example, repeats);
            }
        }
        double[] reference = new double[2 * count];
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < count; i++) {
                reference[p * count + i] = passes[p][i].referenceMillis();
            }
        }
        Arrays.sort(reference);
        double[][] raw = new double[2][count];
        double[][] corrected = new double[2][count];
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < count; i++) {
                raw[p][i] = passes[p][i].rawMillis();
                corrected[p][i] = passes[p][i].correctedMillis();
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d networks, %d timed inferences each, twice; the reference calibrated at "
                + "%.3f ms, and beside the networks from %.3f ms (10th percentile) to %.3f (median) and %.3f (90th)%n",
                config.getFileName(), count, repeats, SpeedReference.calibratedMillis(), reference[reference.length / 10],
                reference[reference.length / 2], reference[reference.length * 9 / 10]);
        print("as timed", raw);
        print("corrected", corrected);
    }

    private static void print(String what, double[][] passes) {
        RankCorrelation r = RankCorrelation.of(passes[0], passes[1], 5);
        double spread = 0;
        for (int i = 0; i < passes[0].length; i++) {
            spread += Math.abs(Math.log(passes[1][i] / passes[0][i]));
        }
        System.out.printf(Locale.ROOT, "%-10s second pass against first: Spearman %.3f  Kendall %.3f  mean |log ratio| "
                + "%.3f%n", what, r.spearmanRho(), r.kendallTau(), spread / passes[0].length);
    }
}
