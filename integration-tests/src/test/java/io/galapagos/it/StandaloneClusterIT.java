package io.galapagos.it;

import io.galapagos.config.SparkSettings;
import io.galapagos.driver.execution.SparkContexts;
import io.galapagos.driver.execution.SparkTrialExecutor;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Trials through {@link SparkTrialExecutor} on a standalone cluster whose Worker runs two one-core executor
 * JVMs, with Kryo registration required: every trial runs in an executor process, and both executors work.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StandaloneClusterIT {

    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.builder().name("StandaloneClusterIT").start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void trialsRunInBothExecutorJvmsAndNotInTheDriver() throws Exception {
        SparkSettings settings = new SparkSettings(cluster.masterUrl(), Map.of(
                "spark.executor.cores", "1",
                "spark.cores.max", "2",
                "spark.executor.memory", "1g",
                "spark.executor.extraClassPath", testClasses().toString(),
                "spark.driver.host", StandaloneCluster.HOST,
                "spark.driver.bindAddress", StandaloneCluster.HOST));
        JavaSparkContext sc = SparkContexts.create(settings, "StandaloneClusterIT");
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, new WhereAmIRunnerFactory(1500),
                Duration.ofSeconds(60))) {
            assertEquals(2, executor.slots(), "two one-core executors\n" + cluster.logTails());
            List<CompletableFuture<TrialResult>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(executor.submit(new Candidate(i, Architecture.parse("conv3x3x16:relu/maxpool/dense10:relu"),
                        Candidate.seedFor(1, i))));
            }
            long self = ProcessHandle.current().pid();
            Set<String> executors = new HashSet<>();
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < futures.size(); i++) {
                TrialResult result = futures.get(i).get(90, TimeUnit.SECONDS);
                assertInstanceOf(TrialResult.Completed.class, result, result::toString);
                assertEquals(i, result.candidate().number());
                assertNotEquals("driver", result.execution().executor(), result::toString);
                assertNotEquals(self, result.execution().pid(), "ran in the test JVM: " + result);
                assertEquals(result.execution().pid(), (long) result.metrics().require("runner_pid"),
                        "the recorded pid is the runner's");
                executors.add(result.execution().executor());
                pids.add(result.execution().pid());
            }
            assertEquals(2, executors.size(), "both executors ran trials: " + executors);
            assertEquals(2, pids.size(), "in two executor JVMs: " + pids);
            Set<Long> executorJvms = new HashSet<>();
            cluster.executorProcesses().forEach(p -> executorJvms.add(p.pid()));
            assertEquals(executorJvms, pids, "the trials ran in the executor JVMs the Worker started");
        } finally {
            sc.stop();
        }
    }

    /** The folder this class was loaded from: the executors' extra classpath. */
    private static Path testClasses() throws URISyntaxException {
        return Paths.get(WhereAmIRunnerFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
