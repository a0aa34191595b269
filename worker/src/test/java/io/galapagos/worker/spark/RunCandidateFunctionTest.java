package io.galapagos.worker.spark;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.ExecutorIdentity;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The function alone, and in local-mode Spark jobs under {@code spark.kryo.registrationRequired=true}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunCandidateFunctionTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        SparkConf conf = GalapagosKryoRegistratorTest.strictKryo()
                .setMaster("local[2]")
                .setAppName("RunCandidateFunctionTest")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        sc = new JavaSparkContext(conf);
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void runsTheCandidateAndRecordsWhereItRan() throws Exception {
        RunCandidateFunction function = new RunCandidateFunction(new TestTrials.EchoRunnerFactory());
        TrialResult result = function.call(TestTrials.candidate(5));
        assertInstanceOf(TrialResult.Completed.class, result);
        assertEquals(0.05, result.metrics().require("val_accuracy"));
        assertEquals(ProcessHandle.current().pid(), result.execution().pid());
        assertEquals(ExecutorIdentity.host(), result.execution().host());
    }

    @Test
    void aThrowingRunnerGivesAFailedResult() throws Exception {
        RunCandidateFunction function = new RunCandidateFunction(new TestTrials.ThrowingRunnerFactory());
        TrialResult result = function.call(TestTrials.candidate(2));
        TrialResult.Failed failed = assertInstanceOf(TrialResult.Failed.class, result);
        assertTrue(failed.reason().contains("boom in trial-0002"), failed.reason());
        assertEquals(TestTrials.candidate(2), failed.candidate());
    }

    @Test
    void survivesJavaSerialisation() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new RunCandidateFunction(new TestTrials.EchoRunnerFactory()));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            RunCandidateFunction back = (RunCandidateFunction) in.readObject();
            assertInstanceOf(TrialResult.Completed.class, back.call(TestTrials.candidate(1)));
        }
    }

    @Test
    void oneCandidateJobAsTheExecutorRunsIt() {
        Candidate candidate = TestTrials.candidate(7);
        List<TrialResult> results = sc.parallelize(List.of(candidate), 1)
                .map(new RunCandidateFunction(new TestTrials.EchoRunnerFactory()))
                .collect();
        assertEquals(1, results.size());
        TrialResult result = results.get(0);
        assertEquals(candidate, result.candidate());
        assertTrue(result.execution().executor().startsWith(ExecutorIdentity.LOCAL_TASK),
                "local mode names the Spark task that ran it: " + result.execution().executor());
        assertEquals(0.07, result.metrics().require("val_accuracy"));
    }

    @Test
    void aTaskWithoutGpuResourcesRecordsNoGpus() {
        List<String> seen = sc.parallelize(List.of(1), 1).map(new ObserveTaskGpus()).collect();
        assertEquals(List.of(String.valueOf(java.util.Optional.of(List.of()))), seen, "in a task, no GPU resources");
        TrialResult result = sc.parallelize(List.of(TestTrials.candidate(8)), 1)
                .map(new RunCandidateFunction(new TestTrials.ThrowingRunnerFactory()))
                .collect().get(0);
        assertEquals(List.of(), result.execution().gpus());
    }

    /** What {@link TaskGpus} sees inside a task, as text (strict Kryo knows no Optional). */
    private static final class ObserveTaskGpus implements org.apache.spark.api.java.function.Function<Integer, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String call(Integer ignored) {
            return String.valueOf(TaskGpus.ofCurrentTask());
        }
    }

    @Test
    void manyCandidatesOverTwoPartitions() {
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            candidates.add(TestTrials.candidate(i));
        }
        List<TrialResult> results = sc.parallelize(candidates, 2)
                .map(new RunCandidateFunction(new TestTrials.EchoRunnerFactory()))
                .collect();
        assertEquals(10, results.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(candidates.get(i), results.get(i).candidate());
            assertEquals(i / 100.0, results.get(i).metrics().require("val_accuracy"));
        }
    }

    @Test
    void failedResultsComeBackThroughSpark() {
        List<TrialResult> results = sc.parallelize(List.of(TestTrials.candidate(4)), 1)
                .map(new RunCandidateFunction(new TestTrials.ThrowingRunnerFactory()))
                .collect();
        assertInstanceOf(TrialResult.Failed.class, results.get(0));
    }
}
