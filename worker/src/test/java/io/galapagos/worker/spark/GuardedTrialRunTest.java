package io.galapagos.worker.spark;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.worker.ExecutorIdentity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** In-process runs (no Spark task): where they ran, and no GPUs invented. */
class GuardedTrialRunTest {

    @Test
    void inProcessResultsRecordNoGpus() {
        TrialResult result = GuardedTrialRun.run(new TestTrials.EchoRunnerFactory().create(), TestTrials.candidate(3),
                ExecutorIdentity.DRIVER);
        assertInstanceOf(TrialResult.Completed.class, result);
        assertEquals(List.of(), result.execution().gpus());
        assertEquals(ExecutorIdentity.DRIVER, result.execution().executor());
        assertEquals(ExecutorIdentity.pid(), result.execution().pid());
    }

    @Test
    void failedInProcessResultsRecordNoGpus() {
        TrialResult result = GuardedTrialRun.run(new TestTrials.ThrowingRunnerFactory().create(),
                TestTrials.candidate(4), ExecutorIdentity.DRIVER);
        TrialResult.Failed failed = assertInstanceOf(TrialResult.Failed.class, result);
        assertEquals(List.of(), failed.execution().gpus());
        assertEquals(Execution.NO_SLOT, failed.execution().slot());
    }

    @Test
    void outsideASparkTaskTheGpusTheRunnerRecordedAreKept() {
        TrialRunner runner = new GpuRecordingRunner();
        TrialResult result = GuardedTrialRun.run(runner, TestTrials.candidate(5), "3");
        assertEquals(List.of("1"), result.execution().gpus());
        assertEquals("3", result.execution().executor());
    }

    /** Records GPU "1" itself, as a runner that knows its device might. */
    private static final class GpuRecordingRunner implements TrialRunner {
        @Override
        public TrialResult run(Candidate candidate) {
            Instant now = Instant.now();
            return new TrialResult.Completed(candidate, new Metrics(Map.of(Metrics.VAL_ACCURACY, 0.5)),
                    new Execution("x", "y", -1, Execution.NO_SLOT, List.of("1"), now, now));
        }
    }
}
