package io.galapagos.driver.latency;

import io.galapagos.benchmark.RankCorrelation;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.network.KernelProfile;
import io.galapagos.worker.network.KernelProfile.Kernel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learning latency from results as they come, and trusting the model only once its held-out predictions, all of them,
 * rank well, until they rank clearly worse.
 */
class LatencyPredictorTest {

    private static final Candidate CANDIDATE = new Candidate(0, MacroArchitecture.parse("dense8:relu"), 1);

    private final List<String> console = new ArrayList<>();
    private final LatencyPredictor predictor = new LatencyPredictor(console::add);

    private static KernelProfile network(SplittableRandom random) {
        int layers = random.nextInt(1, 4);
        return new KernelProfile(Map.of("Dense", new Kernel(layers, layers * random.nextDouble(1e3, 1e6), layers * 64)));
    }

    /** 0.1 ms, and 1 ms per million multiply-adds. */
    private static double latency(KernelProfile kernels) {
        return 0.1 + kernels.kinds().get("Dense").macs() / 1e6;
    }

    private static TrialResult measured(double latencyMs, String hardware) {
        Execution execution = new Execution("1", "host", 1, -1, List.of(), Instant.EPOCH, Instant.EPOCH, hardware);
        return new TrialResult.Completed(CANDIDATE, Metrics.EMPTY.with(Metrics.LATENCY_MS, latencyMs), execution);
    }

    @Test
    void aModelPredictsOnlyAfterEnoughGoodHeldOutPredictions() {
        SplittableRandom random = new SplittableRandom(1);
        KernelProfile probe = network(random);
        // a model of fewer than MIN_LEARNT networks is not judged; each later network is predicted before it is learnt
        for (int i = 0; i < LatencyPredictor.MIN_LEARNT + LatencyPredictor.MIN_PREDICTIONS; i++) {
            assertEquals(OptionalDouble.empty(), predictor.predictedLatency(probe), "not trusted after " + i);
            KernelProfile kernels = network(random);
            predictor.learn(kernels, measured(latency(kernels), "cpu-a"));
        }
        assertEquals(latency(probe), predictor.predictedLatency(probe).orElseThrow(), 0.01 * latency(probe));
        assertEquals(1, console.size(), console::toString);
        assertTrue(console.get(0).matches("Latency model for cpu-a: Spearman (0\\.9[0-9]{2}|1\\.000) on the 20 measured "
                + "networks, each predicted before it was learnt; it now screens max_latency_ms before dispatch"),
                console::toString);
        assertTrue(predictor.toJson().at("/hardware/cpu-a/screening").asBoolean());
        assertEquals(30, predictor.toJson().at("/hardware/cpu-a/measured").asInt());
        assertEquals(30, predictor.toJson().at("/hardware/cpu-a/measurements").size(), "kept for a later search");
        assertEquals("dense8:relu", predictor.toJson().at("/hardware/cpu-a/measurements/29/architecture").asText());
    }

    @Test
    void networksWithinTheNoiseOfEachOtherDoNotUndoTheTrustTheirPredecessorsEarned() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 40; i++) {
            KernelProfile kernels = network(random);
            predictor.learn(kernels, measured(latency(kernels), "cpu-a"));
        }
        // a converged search: one layer of 450,000 to 550,000 multiply-adds, measured with 5% noise
        List<Double> predicted = new ArrayList<>();
        List<Double> measured = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            KernelProfile kernels = new KernelProfile(Map.of("Dense", new Kernel(1, random.nextDouble(4.5e5, 5.5e5),
                    64)));
            predicted.add(predictor.predictedLatency(kernels).orElseThrow(() -> new AssertionError(console)));
            measured.add(latency(kernels) * random.nextDouble(0.95, 1.05));
            predictor.learn(kernels, measured(measured.get(i), "cpu-a"));
        }
        int last = predicted.size() - LatencyPredictor.MIN_PREDICTIONS;
        double recent = RankCorrelation.of(predicted.subList(last, predicted.size()).stream().mapToDouble(d -> d)
                .toArray(), measured.subList(last, measured.size()).stream().mapToDouble(d -> d).toArray(), 5)
                .spearmanRho();
        assertTrue(recent < LatencyPredictor.MIN_SPEARMAN, "the premise: their ranks are noise, " + recent);
        assertTrue(predictor.toJson().at("/hardware/cpu-a/screening").asBoolean(), console::toString);
        assertEquals(1, console.size(), console::toString);
    }

    @Test
    void aTrustedModelKeepsScreeningUntilItsRankCorrelationFallsBelowTheLowerThreshold() {
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < LatencyPredictor.MIN_LEARNT + LatencyPredictor.MIN_PREDICTIONS; i++) {
            KernelProfile kernels = network(random);
            predictor.learn(kernels, measured(latency(kernels), "cpu-a"));
        }
        assertTrue(predictor.toJson().at("/hardware/cpu-a/screening").asBoolean(), console::toString);
        // measurements far noisier than the model: the held-out correlation sinks network by network
        int betweenThresholds = 0;
        double spearman = 1;
        for (int i = 0; i < 1000 && spearman >= LatencyPredictor.KEEP_SPEARMAN; i++) {
            KernelProfile kernels = network(random);
            predictor.learn(kernels, measured(latency(kernels) * random.nextDouble(0.2, 1.8), "cpu-a"));
            spearman = predictor.toJson().at("/hardware/cpu-a/spearman").asDouble();
            boolean screening = predictor.toJson().at("/hardware/cpu-a/screening").asBoolean();
            if (spearman < LatencyPredictor.MIN_SPEARMAN && spearman >= LatencyPredictor.KEEP_SPEARMAN) {
                betweenThresholds++;
                assertTrue(screening, "still trusted at " + spearman);
            }
            assertEquals(spearman >= LatencyPredictor.KEEP_SPEARMAN, screening, "at " + spearman);
        }
        assertTrue(betweenThresholds > 0, "the premise: the correlation passed between the two thresholds");
        assertTrue(spearman < LatencyPredictor.KEEP_SPEARMAN, "the premise: it fell below the lower one, " + spearman);
        assertEquals(2, console.size(), console::toString);
        assertTrue(console.get(1).endsWith("below 0.85, so it no longer screens"), console::toString);
    }

    @Test
    void onlyResultsThatMeasuredLatencyOnNamedHardwareTeachAndAnUntrustedKindStopsTheScreen() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < LatencyPredictor.MIN_LEARNT + LatencyPredictor.MIN_PREDICTIONS; i++) {
            KernelProfile kernels = network(random);
            predictor.learn(kernels, measured(latency(kernels), "cpu-a"));
            predictor.learn(kernels, measured(latency(kernels), ""));
            predictor.learn(kernels, new TrialResult.Infeasible(CANDIDATE, "too large", Metrics.EMPTY,
                    measured(1, "cpu-b").execution()));
        }
        KernelProfile probe = network(random);
        assertTrue(predictor.predictedLatency(probe).isPresent());
        assertFalse(predictor.toJson().at("/hardware").has("cpu-b"), "an infeasible result measured nothing");
        predictor.learn(probe, measured(latency(probe), "cpu-b"));
        assertEquals(OptionalDouble.empty(), predictor.predictedLatency(probe),
                "a candidate may run on cpu-b, whose model is not trusted yet");
        predictor.learn(probe, new TrialResult.Infeasible(CANDIDATE, "latency_ms 3 is over constraints.max_latency_ms 2",
                Metrics.EMPTY.with(Metrics.LATENCY_MS, 3), measured(3, "cpu-c").execution()));
        assertEquals(1, predictor.toJson().at("/hardware/cpu-c/measured").asInt(), "refused after it was measured");
    }
}
