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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * {@link SparkTrialExecutor#slots()} follows the live executors of a standalone cluster: it counts the first
 * Worker's executor, grows when a second Worker joins and the application gets an executor there, and
 * shrinks when a Worker dies (SIGKILL to it and its executors, as when a machine is lost). The application
 * sets no {@code spark.cores.max}, so it takes every core the cluster offers, as it comes.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class SlotAccountingIT {

    /** How long slots() may lag behind an executor joining (executor JVM start included) or leaving. */
    private static final Duration FOLLOW = Duration.ofSeconds(45);
    private static final int CORES = 2;

    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.builder().name("SlotAccountingIT").workerCores(CORES).workerMemory("1g").start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void slotsFollowExecutorsAsWorkersJoinAndDie() throws Exception {
        SparkSettings settings = new SparkSettings(cluster.masterUrl(), Map.of(
                "spark.executor.cores", String.valueOf(CORES),
                "spark.executor.memory", "512m",
                "spark.executor.extraClassPath", testClasses().toString(),
                "spark.driver.host", StandaloneCluster.HOST,
                "spark.driver.bindAddress", StandaloneCluster.HOST));
        JavaSparkContext sc = SparkContexts.create(settings, "SlotAccountingIT");
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, new WhereAmIRunnerFactory(200),
                Duration.ofSeconds(60))) {
            assertEquals(CORES, executor.slots(), "one Worker's executor\n" + cluster.logTails());

            cluster.addWorker();
            List<Integer> seen = awaitSlots(executor, n -> n == 2 * CORES);
            assertEquals(2 * CORES, last(seen), "a second Worker's executor joined; slots() said " + seen
                    + "\n" + cluster.logTails());

            cluster.killWorker(0);
            seen = awaitSlots(executor, n -> n == CORES);
            assertEquals(CORES, last(seen), "the first Worker died; slots() said " + seen + "\n" + cluster.logTails());

            TrialResult result = executor.submit(new Candidate(0, Architecture.parse("conv3x3x16:relu/dense10:relu"),
                    Candidate.seedFor(5, 0))).get(60, TimeUnit.SECONDS);
            assertInstanceOf(TrialResult.Completed.class, result, "the surviving executor still runs trials");
        } finally {
            sc.stop();
        }
    }

    /** Polls slots() until {@code done} holds or {@link #FOLLOW} passes; returns the distinct counts seen. */
    private static List<Integer> awaitSlots(SparkTrialExecutor executor, IntPredicate done) throws InterruptedException {
        List<Integer> seen = new ArrayList<>();
        long deadline = System.nanoTime() + FOLLOW.toNanos();
        while (true) {
            int slots = executor.slots();
            if (seen.isEmpty() || last(seen) != slots) {
                seen.add(slots);
            }
            if (done.test(slots) || System.nanoTime() > deadline) {
                return seen;
            }
            Thread.sleep(200);
        }
    }

    private static int last(List<Integer> values) {
        return values.get(values.size() - 1);
    }

    /** The folder this class was loaded from: the executors' extra classpath. */
    private static Path testClasses() throws URISyntaxException {
        return Paths.get(WhereAmIRunnerFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
