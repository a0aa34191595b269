package io.galapagos.driver.execution;

import io.galapagos.config.Constraints;
import io.galapagos.config.DataConfig;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.Activation;
import io.galapagos.space.LayerType;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.MacroSearchSpace;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.network.NetworkInput;
import io.galapagos.worker.training.ImageTrainingData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latency screen over the shipped Fashion-MNIST subset's shape, with an executor whose latencies follow the
 * parameters: once the model has learnt from enough results, or from a profile of the space, a candidate it puts over
 * the bound never reaches the executor.
 */
class ScreeningTrialExecutorTest {

    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();
    private static final ImageTrainingData IMAGES = new ImageTrainingData(new DataConfig(
            DATA + "/train-images-idx3-ubyte.gz", DATA + "/train-labels-idx1-ubyte.gz",
            DATA + "/t10k-images-idx3-ubyte.gz", DATA + "/t10k-labels-idx1-ubyte.gz", 0.1, 0));
    private static final TrainingConfig TRAINING = new TrainingConfig(1, 60, 32, 1e-3, 10, 1, new Constraints(
            List.of(new Constraints.Bound(Constraints.Limit.LATENCY_MS, 1.0)), true));

    /** Answers at once, measuring 0.05 ms and 1 ms per 100,000 parameters, on one kind of hardware. */
    private static final class MeasuringExecutor implements TrialExecutor {
        final List<Candidate> received = new ArrayList<>();
        private final NetworkBuilder builder = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, Long.MAX_VALUE,
                Constraints.NONE);
        private final NetworkInput input;

        MeasuringExecutor() throws Exception {
            input = IMAGES.input(HadoopFileSystems.configuration());
        }

        @Override
        public int slots() {
            return 1;
        }

        @Override
        public CompletableFuture<TrialResult> submit(Candidate candidate) {
            received.add(candidate);
            try {
                Metrics figures = builder.cost(candidate.architecture(), input, 32);
                double latency = 0.05 + figures.require(Metrics.PARAMS) / 1e5;
                Execution execution = new Execution("1", "host", 1, -1, List.of(), Instant.EPOCH, Instant.EPOCH,
                        "test cpu, 1 thread, CPU backend");
                return CompletableFuture.completedFuture(new TrialResult.Completed(candidate,
                        figures.with(Metrics.LATENCY_MS, latency), execution));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
        }
    }

    /** A study cancels what it holds at a trial's deadline; behind the screen, the trial itself must be cancelled. */
    @Test
    void cancellingAScreenedTrialCancelsTheTrialBehindIt() throws Exception {
        CompletableFuture<TrialResult> running = new CompletableFuture<>();
        TrialExecutor hanging = new TrialExecutor() {
            @Override
            public int slots() {
                return 1;
            }

            @Override
            public CompletableFuture<TrialResult> submit(Candidate candidate) {
                return running;
            }

            @Override
            public void close() {
            }
        };
        ScreeningTrialExecutor screen = new ScreeningTrialExecutor(hanging, IMAGES, HadoopFileSystems.configuration(), TRAINING, List.of(), line -> { });
        CompletableFuture<TrialResult> handed = screen.submit(new Candidate(0, MacroArchitecture.parse("dense8:relu"), 1));
        handed.cancel(true);
        assertTrue(running.isCancelled(), "the trial behind the screen was cancelled");
    }

    @Test
    void aCandidateTheTrustedModelPutsOverTheBoundNeverReachesTheExecutor() throws Exception {
        MeasuringExecutor executor = new MeasuringExecutor();
        List<String> console = new ArrayList<>();
        ScreeningTrialExecutor screen = new ScreeningTrialExecutor(executor, IMAGES, HadoopFileSystems.configuration(), TRAINING, List.of(), console::add);
        // one and two dense layers of 1 to 20 units: 795 to 15,958 parameters on 784 pixels, 0.06 to 0.21 ms
        int number = 0;
        for (int units = 1; units <= 20; units++) {
            for (String architecture : List.of("dense" + units + ":relu", "dense" + units + ":relu/dense8:relu")) {
                TrialResult result = screen.submit(new Candidate(number++, MacroArchitecture.parse(architecture), 1))
                        .get();
                assertInstanceOf(TrialResult.Completed.class, result);
            }
        }
        assertEquals(1, console.size(), "the model is trusted: " + console);
        // dense256: 203,530 parameters, 2.1 ms
        TrialResult slow = screen.submit(new Candidate(number, MacroArchitecture.parse("dense256:relu"), 1)).get();
        assertInstanceOf(TrialResult.Infeasible.class, slow);
        assertEquals(ScreeningTrialExecutor.SCREEN, slow.execution().executor());
        assertTrue(slow.reason().matches("latency_ms predicted at [0-9.]+ by the latency model is over "
                + "constraints.max_latency_ms 1"), slow.reason());
        assertTrue(slow.metrics().require(Metrics.PREDICTED_LATENCY_MS) > 1);
        assertEquals(40, executor.received.size(), "the executor never saw it");
        // dense40: 31,810 parameters, 0.37 ms: dispatched
        assertInstanceOf(TrialResult.Completed.class,
                screen.submit(new Candidate(number + 1, MacroArchitecture.parse("dense40:relu"), 1)).get());
        assertTrue(screen.latencyModel().orElseThrow().at("/hardware/test cpu, 1 thread, CPU backend/screening")
                .asBoolean());
    }

    @Test
    void aProfiledModelScreensTheFirstCandidateAndTheProfileKeepsToTheAnalyticBounds() throws Exception {
        // 250,000 parameters at most: dense256 (203,530, 2.1 ms) is within, dense256/dense256 (269,322) is not
        TrainingConfig bounded = new TrainingConfig(1, 60, 32, 1e-3, 10, 1, new Constraints(List.of(
                new Constraints.Bound(Constraints.Limit.LATENCY_MS, 1.0),
                new Constraints.Bound(Constraints.Limit.PARAM_BYTES, 1e6)), true));
        MacroSearchSpace dense = new MacroSearchSpace(1, 2, EnumSet.of(LayerType.DENSE), List.of(), List.of(),
                List.of(1, 2, 4, 8, 16, 32, 256), List.of(Activation.RELU), List.of(false), List.of(0.0), List.of());
        MeasuringExecutor executor = new MeasuringExecutor();
        MeasuringExecutor profiler = new MeasuringExecutor();
        List<String> console = new ArrayList<>();
        ScreeningTrialExecutor screen = new ScreeningTrialExecutor(executor, IMAGES, HadoopFileSystems.configuration(), bounded, List.of(), console::add);

        assertEquals(40, screen.profile(dense, new SplittableRandom(4), 40, profiler, 1));
        assertEquals(40, profiler.received.stream().map(c -> c.architecture().text()).distinct().count(),
                "40 distinct networks");
        assertTrue(profiler.received.stream().noneMatch(c -> c.architecture().text().equals("dense256:relu/dense256:relu")),
                "none over the parameter bound");
        assertEquals(1, console.size(), "trusted before the first candidate: " + console);
        TrialResult slow = screen.submit(new Candidate(0, MacroArchitecture.parse("dense256:relu"), 1)).get();
        assertInstanceOf(TrialResult.Infeasible.class, slow);
        assertEquals(ScreeningTrialExecutor.SCREEN, slow.execution().executor());
        assertEquals(0, executor.received.size());

        // the space has 55 networks within the bound: a profile of 100 times each of them once
        MeasuringExecutor everything = new MeasuringExecutor();
        new ScreeningTrialExecutor(new MeasuringExecutor(), IMAGES, HadoopFileSystems.configuration(), bounded, List.of(), line -> { })
                .profile(dense, new SplittableRandom(5), 100, everything, 2);
        assertEquals(55, everything.received.stream().map(c -> c.architecture().text()).distinct().count());
        assertEquals(55, everything.received.size());
    }
}
