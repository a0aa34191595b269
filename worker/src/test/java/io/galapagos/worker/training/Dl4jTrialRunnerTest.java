package io.galapagos.worker.training;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.config.DataConfig;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunnerFactory;
import io.galapagos.worker.ExecutorIdentity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jTrialRunnerTest {

    private static final TrainingConfig TRAINING = new TrainingConfig(4, 60, 16, 0.01, 10, 5, Constraints.NONE);

    @TempDir
    static Path dir;
    private static DataConfig data;

    @BeforeAll
    static void writeData() throws IOException {
        data = SyntheticImages.write(dir, 300, 60, 3);
    }

    @Test
    void learnsASeparableSetAndMeasuresEverything() {
        TrialResult result = new Dl4jTrialRunner(data, TRAINING).run(candidate("conv3x3x4:relu/maxpool/dense16:relu"));
        TrialResult.Completed completed = assertInstanceOf(TrialResult.Completed.class, result, result.reason());
        Metrics m = completed.metrics();
        assertTrue(m.require(Metrics.VAL_ACCURACY) >= 0.95, "validation accuracy " + m.require(Metrics.VAL_ACCURACY));
        assertTrue(m.require(Metrics.TEST_ACCURACY) >= 0.9, "test accuracy " + m.require(Metrics.TEST_ACCURACY));
        // conv 3*3*1*4 + 4, dense 4*4*4 -> 16, output 16 -> 3
        assertEquals(40 + (64 * 16 + 16) + (16 * 3 + 3), m.require(Metrics.PARAMS));
        assertEquals(2 * (9 * 4 * 64 + 64 * 16 + 16 * 3), m.require(Metrics.FLOPS));
        assertEquals(4 * m.require(Metrics.PARAMS), m.require(Metrics.PARAM_BYTES));
        // the 8x8 image and the convolution's 8x8x4 output are live together: 64 + 256 values of 4 bytes
        assertEquals(4 * (64 + 256), m.require(Metrics.INFERENCE_PEAK_BYTES));
        assertTrue(m.require(Metrics.MEASURED_TRAIN_BYTES) > 0);
        assertEquals(4, m.require(Metrics.EPOCHS));
        assertTrue(m.require(Metrics.TRAIN_SECONDS) > 0);
        assertTrue(m.require(Metrics.LATENCY_MS) > 0);
        assertEquals(ExecutorIdentity.DRIVER, result.execution().executor());
        assertEquals(ProcessHandle.current().pid(), result.execution().pid());
    }

    @Test
    void aNetworkOverAnAnalyticBoundIsNotTrainedAndOneOverAMeasuredBoundKeepsItsMetrics() {
        // dense16 on 8x8: 64*16 + 16, output 16*3 + 3: 1,091 parameters
        TrialResult large = new Dl4jTrialRunner(data, bounded(Constraints.Limit.PARAMS, 1_090))
                .run(candidate("dense16:relu"));
        assertInstanceOf(TrialResult.Infeasible.class, large);
        assertEquals("params 1091 is over constraints.max_params 1090", large.reason());
        assertEquals(1_091, large.metrics().require(Metrics.PARAMS), "the figures explain the refusal");
        assertTrue(large.metrics().get(Metrics.TRAIN_SECONDS).isEmpty(), "refused before training");

        TrialResult slow = new Dl4jTrialRunner(data, bounded(Constraints.Limit.LATENCY_MS, 1e-9))
                .run(candidate("dense16:relu"));
        assertInstanceOf(TrialResult.Infeasible.class, slow);
        assertTrue(slow.reason().matches("latency_ms [0-9.]+ is over constraints.max_latency_ms 0.000000001"),
                slow.reason());
        assertTrue(slow.metrics().require(Metrics.VAL_ACCURACY) > 0, "trained and measured in full");
    }

    private static TrainingConfig bounded(Constraints.Limit limit, double maximum) {
        return new TrainingConfig(1, 60, 16, 0.01, 10, 3,
                new Constraints(List.of(new Constraints.Bound(limit, maximum)), true));
    }

    @Test
    void trainsACellOnItsConfiguredSkeleton() {
        TrainingConfig cells = new TrainingConfig(4, 60, 16, 0.01, 10, 1, Constraints.NONE, List.of(), new CellNetworkConfig(4, 1));
        Dl4jTrialRunner runner = new Dl4jTrialRunner(data, cells);
        TrialResult result = runner.run(cell("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|"
                + "avg_pool_3x3~2|"));
        TrialResult.Completed completed = assertInstanceOf(TrialResult.Completed.class, result, result.reason());
        assertTrue(completed.metrics().require(Metrics.VAL_ACCURACY) >= 0.9, completed.metrics().toString());
        // a cell whose output node no path reaches sees nothing of the image: chance at best (3 classes)
        TrialResult blind = runner.run(cell("|none~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|nor_conv_3x3~2|"));
        assertInstanceOf(TrialResult.Completed.class, blind, blind.reason());
        assertTrue(blind.metrics().require(Metrics.VAL_ACCURACY) <= 0.5, blind.metrics().toString());
        // four channels, not NB201's sixteen: the configured skeleton was built
        TrialResult wide = new Dl4jTrialRunner(data, new TrainingConfig(1, 60, 16, 0.01, 10, 1, Constraints.NONE))
                .run(cell("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|avg_pool_3x3~2|"));
        assertTrue(wide.metrics().require(Metrics.PARAMS) > 10 * completed.metrics().require(Metrics.PARAMS),
                wide.metrics() + " against " + completed.metrics());
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv3x3x16:relu/maxpool/dense32:relu",
            "conv3x3x8:relu:bn/conv3x3x8:relu/conv3x3x8:relu:add(0)/dense16:relu", "dense64:relu/dense64:relu:d0.5"})
    void theMeasuredTrainingMemoryIsWithinAFactorOfTwoOfTheEstimate(String architecture) {
        TrialResult result = new Dl4jTrialRunner(data, new TrainingConfig(1, 60, 64, 0.01, 10, 1, Constraints.NONE))
                .run(candidate(architecture));
        Metrics m = assertInstanceOf(TrialResult.Completed.class, result, result.reason()).metrics();
        double ratio = m.require(Metrics.MEASURED_TRAIN_BYTES) / m.require(Metrics.TRAIN_PEAK_BYTES);
        assertTrue(ratio >= 0.5 && ratio <= 2, "measured / estimated training memory " + ratio + ": " + m);
    }

    /** A workspace left on the task's thread (candidates measured on a supernet keep theirs) is not this training's. */
    @Test
    void theMeasuredTrainingMemoryLeavesOutWorkspacesAnEarlierUseOfTheThreadLeft() {
        Dl4jTrialRunner runner = new Dl4jTrialRunner(data, new TrainingConfig(1, 60, 32, 0.01, 10, 1, Constraints.NONE));
        Candidate candidate = candidate("dense16:relu");
        double alone = runner.run(candidate).metrics().require(Metrics.MEASURED_TRAIN_BYTES);
        WorkspaceConfiguration eightMiB = WorkspaceConfiguration.builder().initialSize(8L << 20)
                .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.NONE).build();
        try (MemoryWorkspace left = Nd4j.getWorkspaceManager().getAndActivateWorkspace(eightMiB, "LEFT_BY_A_SUPERNET")) {
            Nd4j.create(DataType.FLOAT, 1024);
        }
        assertTrue(Nd4j.getWorkspaceManager().checkIfWorkspaceExists("LEFT_BY_A_SUPERNET"), "the workspace stays");
        double after = runner.run(candidate).metrics().require(Metrics.MEASURED_TRAIN_BYTES);
        assertTrue(Math.abs(after - alone) < (1 << 20), "measured " + alone + " bytes alone and " + after
                + " after a stale 8 MiB workspace on the thread");
    }

    @Test
    void isReproducibleForTheSameCandidate() {
        Dl4jTrialRunner runner = new Dl4jTrialRunner(data, new TrainingConfig(1, 60, 32, 0.01, 10, 1, Constraints.NONE));
        Candidate candidate = candidate("dense8:tanh:d0.2");
        TrialResult first = runner.run(candidate);
        TrialResult second = runner.run(candidate);
        assertEquals(first.metrics().require(Metrics.VAL_ACCURACY), second.metrics().require(Metrics.VAL_ACCURACY));
        assertEquals(first.metrics().require(Metrics.TEST_ACCURACY), second.metrics().require(Metrics.TEST_ACCURACY));
    }

    @Test
    void servesConcurrentTrialsLikeTwoTasksOfOneExecutor() throws Exception {
        Dl4jTrialRunner runner = new Dl4jTrialRunner(data, new TrainingConfig(2, 60, 16, 0.01, 10, 3, Constraints.NONE));
        ExecutorService tasks = Executors.newFixedThreadPool(2);
        try {
            List<Future<TrialResult>> trials = List.of(
                    tasks.submit(() -> runner.run(candidate("conv3x3x4:relu:bn/maxpool/dense8:relu"))),
                    tasks.submit(() -> runner.run(candidate("dense16:swish/dense8:relu/dense8:relu:add(0)"))));
            for (Future<TrialResult> trial : trials) {
                TrialResult result = trial.get(60, TimeUnit.SECONDS);
                assertInstanceOf(TrialResult.Completed.class, result, result.reason());
                assertTrue(result.metrics().require(Metrics.VAL_ACCURACY) >= 0.9, result.metrics().toString());
            }
        } finally {
            tasks.shutdownNow();
        }
    }

    @Test
    void stopsWhenTheTimeBudgetIsSpent() {
        TrialResult result = new Dl4jTrialRunner(data, new TrainingConfig(100, 1e-6, 16, 0.01, 10, 1, Constraints.NONE))
                .run(candidate("dense8:relu"));
        assertInstanceOf(TrialResult.Completed.class, result, result.reason());
        // one mini-batch of the 15 per epoch (240 training examples)
        assertEquals(1 / 15.0, result.metrics().require(Metrics.EPOCHS), 1e-9);
    }

    @Test
    void reportsADivergingCandidateAsFailed() {
        TrialResult result = new Dl4jTrialRunner(data, new TrainingConfig(3, 60, 16, 9, 10, 1, Constraints.NONE))
                .run(candidate("dense64:sigmoid/dense64:sigmoid"));
        assertInstanceOf(TrialResult.Failed.class, result);
        assertTrue(result.reason().startsWith("diverged:"), result.reason());
        assertTrue(result.metrics().require(Metrics.EPOCHS) < 3);
    }

    @Test
    void reportsATooLargeNetworkAsInfeasibleWithoutAllocatingIt() {
        // 64 + 8000 * 8000 weights: over the 50 million parameter limit
        TrialResult result = new Dl4jTrialRunner(data, TRAINING).run(candidate("dense8000:relu/dense8000:relu"));
        assertInstanceOf(TrialResult.Infeasible.class, result);
        assertTrue(result.reason().startsWith("too large"), result.reason());
    }

    @Test
    void factoryIsSerialisableAndCreatesTheRunner() throws Exception {
        Dl4jRunnerFactory factory = new Dl4jRunnerFactory(data, TRAINING);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(factory);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            Object copy = in.readObject();
            assertEquals(factory, copy);
            assertInstanceOf(Dl4jTrialRunner.class, ((Dl4jRunnerFactory) copy).create());
        }
    }

    @Test
    void theLatencyOnlyFactoryTimesTheUntrainedNetworkAndShipsLikeTheTrainer() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new Dl4jRunnerFactory(data, TRAINING).latencyOnly());
        }
        TrialRunnerFactory timing;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            timing = (TrialRunnerFactory) in.readObject();
        }
        TrialResult result = timing.create().run(candidate("conv3x3x4:relu/maxpool/dense16:relu"));
        Metrics m = assertInstanceOf(TrialResult.Completed.class, result, result.reason()).metrics();
        assertTrue(m.require(Metrics.LATENCY_MS) > 0);
        assertEquals(40 + (64 * 16 + 16) + (16 * 3 + 3), m.require(Metrics.PARAMS));
        assertTrue(m.get(Metrics.VAL_ACCURACY).isEmpty() && m.get(Metrics.EPOCHS).isEmpty(), "never trained: " + m);
        assertFalse(result.execution().hardware().isEmpty(), "the hardware it was timed on");
        assertInstanceOf(TrialResult.Infeasible.class, timing.create().run(candidate("dense8000:relu/dense8000:relu")));
    }

    private static Candidate cell(String architecture) {
        return new Candidate(0, CellArchitecture.parse(architecture), Candidate.seedFor(42, 0));
    }

    private static Candidate candidate(String architecture) {
        return new Candidate(0, MacroArchitecture.parse(architecture), Candidate.seedFor(42, 0));
    }
}
