package io.galapagos.driver.execution;

import io.galapagos.config.SparkSettings;
import io.galapagos.driver.strategy.RandomSearch;
import io.galapagos.driver.study.Study;
import io.galapagos.driver.study.StudyListener;
import io.galapagos.space.TestSpaces;
import io.galapagos.trial.TrialResult;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark stopped under running trials, as when the driver is killed ({@code SIGTERM} runs Spark's shutdown hook,
 * which stops the context before the study ends): the study stops and records nothing for those trials, so
 * that resume runs them again, instead of journalling them as failed ("could not submit its Spark job").
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SparkStopTest {

    @Test
    void stoppingSparkStopsTheStudyWithoutRecordingTheRunningTrials() throws Exception {
        JavaSparkContext sc = SparkContexts.create(new SparkSettings("local[2]", Map.of(
                "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1")), "SparkStopTest");
        List<TrialResult> recorded = new CopyOnWriteArrayList<>();
        StudyListener journal = new StudyListener() {
            @Override
            public void finished(TrialResult result, int count, int total) {
                recorded.add(result);
            }
        };
        ExecutionTestTrials.reset(2);
        Thread killer = new Thread(() -> {
            try {
                if (ExecutionTestTrials.started.await(60, TimeUnit.SECONDS)) {
                    sc.stop();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.start();
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, ExecutionTestTrials.SleepingFactory.blocking())) {
            Study study = new Study(new RandomSearch(TestSpaces.rich(), 1), executor, 6, 2, 5, List.of(journal));
            ExecutorStoppedException stopped = assertThrows(ExecutorStoppedException.class, study::run);
            assertTrue(stopped.getMessage().matches("trial-000[01] did not finish: Spark was stopped .*"),
                    stopped.getMessage());
        } finally {
            killer.join();
            sc.stop();
        }
        assertEquals(List.of(), recorded, "no result recorded for trials Spark never finished");
    }
}
