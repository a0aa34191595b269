package io.galapagos.worker.supernet;

import io.galapagos.worker.training.NativeThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The edge scores {@link GradientMatching} gives on the one-shot warm-up of {@link SupernetRankingBenchmark}'s
 * few-shot rows (the same supernet, seed for seed), to set against the tau each edge's split reaches there. For
 * each supernet seed: the warm-up trained on one thread, then the scores over each number of mini-batches. A
 * benchmark, not a test: it runs only when named, for about 5 minutes a seed:
 * <pre>
 * mvn -q -DskipTests install && mvn test -pl worker -Dtest=GradientMatchingBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Settings: {@code -Dbench.supernet.seeds=1,2,3 -Dbench.warmup=1 -Dbench.gm.batches=8,24}, and the ranking
 * benchmark's {@code -Dbench.reduction}, {@code -Dbench.sampling} and {@code -Dbench.learning.rate}.
 */
class GradientMatchingBenchmark {

    @TempDir
    Path dir;

    @Test
    void edgeScoresOnTheWarmUp() throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 1);
        StringBuilder report = new StringBuilder();
        NativeThreads.limit(1);
        for (String seed : System.getProperty("bench.supernet.seeds", "1,2,3").split(",")) {
            SupernetSpec spec = SupernetRankingBenchmark.spec(SupernetRankingBenchmark.fashionMnist(), 0, 1, warmup,
                    Long.parseLong(seed.strip()), dir.resolve("seed" + seed.strip()));
            SupernetPartTraining.run(spec.warmUp(), 0, "bench");
            for (String batches : System.getProperty("bench.gm.batches", "8,24").split(",")) {
                long start = System.nanoTime();
                double[] scores = GradientMatching.ofWarmUp(spec, Integer.parseInt(batches.strip()));
                report.append(String.format(Locale.ROOT, "supernet seed %s, %d-epoch warm-up, %s batches: edge "
                                + "scores %s, lowest on edge %d (%.0f s)%n", seed.strip(), warmup, batches.strip(),
                        Arrays.toString(Arrays.stream(scores).mapToObj(x -> String.format(Locale.ROOT, "%.3f", x))
                                .toArray()), GradientMatching.edgeToSplit(scores), (System.nanoTime() - start) / 1e9));
            }
        }
        System.out.print(report);
    }
}
