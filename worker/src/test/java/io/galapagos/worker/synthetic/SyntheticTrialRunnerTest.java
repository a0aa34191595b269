package io.galapagos.worker.synthetic;

import io.galapagos.config.SyntheticTrainerConfig;
import io.galapagos.space.Activation;
import io.galapagos.space.Architecture;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.space.LayerType;
import io.galapagos.space.MacroSearchSpace;
import io.galapagos.space.SearchSpace;
import io.galapagos.space.SkipMode;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.worker.ExecutorIdentity;
import io.galapagos.worker.spark.GuardedTrialRun;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticTrialRunnerTest {

    private static final String CELL = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    private static final String ALL_CONV = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    private static final String NO_OP = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";

    private static SyntheticTrainerConfig config(double median, double sigma, double straggler, double factor,
                                                 double failure) {
        return new SyntheticTrainerConfig(median, sigma, straggler, factor, failure);
    }

    private static Candidate candidate(String arch, long seed) {
        return new Candidate(3, Architecture.parse(arch), seed);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    @Test
    void theSameSeedDrawsTheSameDurationAndFailure() {
        SyntheticTrainerConfig c = config(2, 0.8, 0.3, 5, 0.4);
        for (int i = 0; i < 100; i++) {
            long seed = Candidate.seedFor(11, i);
            assertEquals(SyntheticTrialRunner.draw(c, seed), SyntheticTrialRunner.draw(c, seed));
            assertEquals(SyntheticTrialRunner.duration(c, seed), SyntheticTrialRunner.duration(c, seed));
        }
        assertNotEquals(SyntheticTrialRunner.duration(c, 1), SyntheticTrialRunner.duration(c, 2));
    }

    @Test
    void durationsAreLognormalWithTheConfiguredMedianAndSigma() {
        SyntheticTrainerConfig c = config(1.5, 0.5, 0, 10, 0);
        List<Double> durations = new ArrayList<>();
        double sumLog = 0;
        double sumSquares = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double d = SyntheticTrialRunner.duration(c, Candidate.seedFor(5, i));
            assertTrue(d > 0, "positive: " + d);
            durations.add(d);
            double log = Math.log(d / 1.5);
            sumLog += log;
            sumSquares += log * log;
        }
        assertEquals(1.5, median(durations), 0.03);
        assertEquals(0, sumLog / n, 0.02);
        assertEquals(0.5, Math.sqrt(sumSquares / n - Math.pow(sumLog / n, 2)), 0.02);
        SyntheticTrainerConfig fixed = config(0.25, 0, 0, 10, 0);
        assertEquals(0.25, SyntheticTrialRunner.duration(fixed, 99), 1e-12);
        assertEquals(0, SyntheticTrialRunner.duration(config(0, 0.5, 0.5, 10, 0), 99));
    }

    @Test
    void stragglersComeWithTheConfiguredProbabilityAndFactor() {
        SyntheticTrainerConfig c = config(1, 0, 0.2, 10, 0);
        int stragglers = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            SyntheticTrialRunner.Draw draw = SyntheticTrialRunner.draw(c, Candidate.seedFor(8, i));
            assertEquals(draw.straggler() ? 10.0 : 1.0, draw.seconds(), 1e-12);
            stragglers += draw.straggler() ? 1 : 0;
        }
        assertEquals(0.2, (double) stragglers / n, 0.015);
        // changing the straggler probability leaves the other draws alone
        SyntheticTrainerConfig none = config(1, 0.5, 0, 10, 0.3);
        SyntheticTrainerConfig some = config(1, 0.5, 0.5, 10, 0.3);
        for (int i = 0; i < 100; i++) {
            SyntheticTrialRunner.Draw a = SyntheticTrialRunner.draw(none, i);
            SyntheticTrialRunner.Draw b = SyntheticTrialRunner.draw(some, i);
            assertEquals(a.failed(), b.failed());
            assertEquals(a.seconds() * (b.straggler() ? 10 : 1), b.seconds(), 1e-9);
        }
    }

    @Test
    void failuresComeWithTheConfiguredProbability() {
        SyntheticTrainerConfig c = config(0, 0.5, 0, 10, 0.1);
        int failed = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            failed += SyntheticTrialRunner.draw(c, Candidate.seedFor(9, i)).failed() ? 1 : 0;
        }
        assertEquals(0.1, (double) failed / n, 0.01);
        for (int i = 0; i < 100; i++) {
            assertFalse(SyntheticTrialRunner.draw(config(1, 0.5, 0, 10, 0), i).failed());
            assertTrue(SyntheticTrialRunner.draw(config(1, 0.5, 0, 10, 1), i).failed());
        }
        TrialResult result = new SyntheticTrialRunner(config(0, 0.5, 0, 10, 1)).run(candidate(CELL, 4));
        TrialResult.Failed f = assertInstanceOf(TrialResult.Failed.class, result);
        assertEquals("failed: synthetic failure", f.reason());
        assertEquals(0.0, f.metrics().require(SyntheticTrainerConfig.DURATION_SECONDS));
        assertEquals(candidate(CELL, 4), f.candidate());
    }

    @Test
    void completesWithTheScoreAndTheDrawnDuration() {
        SyntheticTrainerConfig c = config(0, 0.5, 0, 10, 0);
        TrialResult result = new SyntheticTrialRunner(c).run(candidate(CELL, 4));
        TrialResult.Completed done = assertInstanceOf(TrialResult.Completed.class, result);
        assertEquals(Map.of(SyntheticTrainerConfig.SCORE, SyntheticTrialRunner.score(Architecture.parse(CELL)),
                SyntheticTrainerConfig.DURATION_SECONDS, 0.0), done.metrics().values());
        assertEquals(ExecutorIdentity.DRIVER, done.execution().executor());
        assertEquals(ExecutorIdentity.host(), done.execution().host());
        assertEquals(ExecutorIdentity.pid(), done.execution().pid());
        assertEquals(candidate(CELL, 4), done.candidate());
        assertEquals(List.of(io.galapagos.trial.Objective.maximize("score")), c.objectives());
        assertEquals(List.of(), c.reported());
    }

    @Test
    void scoresAreDeterministicInRangeAndClimbable() {
        Architecture cell = Architecture.parse(CELL);
        assertEquals(SyntheticTrialRunner.score(cell), SyntheticTrialRunner.score(Architecture.parse(CELL)));
        double best = SyntheticTrialRunner.score(Architecture.parse(ALL_CONV));
        double worst = SyntheticTrialRunner.score(Architecture.parse(NO_OP));
        assertTrue(best > SyntheticTrialRunner.score(cell) && SyntheticTrialRunner.score(cell) > worst,
                best + " > " + SyntheticTrialRunner.score(cell) + " > " + worst);
        assertTrue(worst >= 0 && best < 1, worst + ", " + best);
        // replacing one edge by a 3x3 convolution always climbs
        assertTrue(SyntheticTrialRunner.score(Architecture.parse(CELL.replace("skip_connect~0", "nor_conv_3x3~0")))
                > SyntheticTrialRunner.score(cell));

        Architecture small = Architecture.parse("conv3x3x16:relu/dense64:relu");
        Architecture bigger = Architecture.parse("conv3x3x32:relu:bn/maxpool/conv3x3x64:relu:bn/maxpool/dense64:relu");
        assertTrue(SyntheticTrialRunner.score(bigger) > SyntheticTrialRunner.score(small));
        assertTrue(SyntheticTrialRunner.score(Architecture.parse("conv3x3x32:relu"))
                > SyntheticTrialRunner.score(Architecture.parse("conv3x3x8:relu")));
    }

    @Test
    void scoresDifferBetweenArchitecturesOfEitherSpace() {
        SearchSpace macro = new MacroSearchSpace(1, 6, EnumSet.allOf(LayerType.class), List.of(3, 5),
                List.of(8, 16, 32, 64), List.of(32, 128), List.of(Activation.RELU, Activation.TANH),
                List.of(false, true), List.of(0.0, 0.25), List.of(SkipMode.ADD, SkipMode.CONCAT));
        for (SearchSpace space : List.of(macro, CellSearchSpace.nb201())) {
            SplittableRandom rng = new SplittableRandom(17);
            Map<String, Double> scores = new HashMap<>();
            for (int i = 0; i < 2000; i++) {
                Architecture a = space.sample(rng);
                double s = SyntheticTrialRunner.score(a);
                assertTrue(s >= 0 && s < 1, a.text() + ": " + s);
                assertTrue(SyntheticTrialRunner.structure(a) >= 0 && SyntheticTrialRunner.structure(a) <= 1);
                scores.put(a.text(), s);
            }
            long distinct = scores.values().stream().distinct().count();
            assertEquals(scores.size(), distinct, "no ties between distinct architectures");
            double[] values = scores.values().stream().mapToDouble(Double::doubleValue).toArray();
            double spread = Arrays.stream(values).max().orElseThrow() - Arrays.stream(values).min().orElseThrow();
            assertTrue(spread > 0.3, "scores spread out: " + spread);
        }
    }

    @Test
    void aTrialTakesItsDrawnDuration() {
        TrialRunner runner = new SyntheticTrialRunner(config(0.05, 0, 0, 10, 0));
        // the first run in a JVM loads what recording its execution needs (Spark's SparkEnv, the host name): untimed
        new SyntheticTrialRunner(config(0, 0, 0, 10, 0)).run(candidate(CELL, 1));
        long start = System.nanoTime();
        TrialResult result = runner.run(candidate(CELL, 1));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 0.05 && seconds < 0.5, "took " + seconds + " s");
        assertEquals(0.05, result.metrics().require(SyntheticTrainerConfig.DURATION_SECONDS), 1e-12);
        assertTrue(result.execution().duration().toNanos() >= 45_000_000, result.execution().toString());

        TrialRunner quick = new SyntheticTrialRunner(config(0.001, 0, 0, 10, 0));
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < 50; i++) {
            long one = System.nanoTime();
            quick.run(candidate(CELL, i));
            long took = System.nanoTime() - one;
            assertTrue(took >= 1_000_000, "a 1 ms trial took at least 1 ms");
            fastest = Math.min(fastest, took);
        }
        // parked up to its deadline, an undisturbed 1 ms trial overshoots by little; a busy machine delays some wake-ups
        assertTrue(fastest < 5_000_000, "the fastest 1 ms trial took " + fastest / 1e6 + " ms");
    }

    @Test
    void anInterruptDuringTheWaitPropagates() throws InterruptedException {
        TrialRunner runner = new SyntheticTrialRunner(config(60, 0, 0, 10, 0));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            started.countDown();
            try {
                runner.run(candidate(CELL, 2));
            } catch (Throwable e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        long start = System.nanoTime();
        worker.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Thread.sleep(50);
        worker.interrupt();
        worker.join(10_000);
        assertFalse(worker.isAlive());
        assertTrue((System.nanoTime() - start) / 1e9 < 10, "the interrupt cut the 60 s wait short");
        assertInstanceOf(CancellationException.class, thrown.get());
        assertTrue(flagKept.get(), "the interrupt flag is restored");

        // the precise (parking) wait, and the executor's guard, which rethrows while cancelled
        TrialRunner quick = new SyntheticTrialRunner(config(0.001, 0, 0, 10, 0));
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class, () -> quick.run(candidate(CELL, 2)));
            assertTrue(Thread.currentThread().isInterrupted());
            assertThrows(CancellationException.class, () -> GuardedTrialRun.run(runner, candidate(CELL, 2), "3"));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theFactoryTravelsAndCreatesRunners() throws IOException, ClassNotFoundException {
        SyntheticRunnerFactory factory = new SyntheticRunnerFactory(config(0, 0.5, 0.1, 4, 0.2));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(factory);
        }
        Object back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        assertEquals(factory, back);
        TrialResult result = ((SyntheticRunnerFactory) back).create().run(candidate("conv3x3x16:relu", 7));
        assertEquals(result.status(), factory.create().run(candidate("conv3x3x16:relu", 7)).status());
        assertThrows(IllegalArgumentException.class, () -> new SyntheticRunnerFactory(null));
        assertTrue(result.metrics().values().containsKey(SyntheticTrainerConfig.DURATION_SECONDS));
        assertEquals(Metrics.class, result.metrics().getClass());
    }
}
