package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMAppState;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search submitted as users submit it to YARN: Spark's own {@code spark-submit} ({@code SparkSubmit}, client
 * mode, {@code --master yarn}) to a ResourceManager and a NodeManager in this JVM, whose containers (Spark's
 * application master and one executor) are JVMs of their own; Spark's jars from the nodes' disk
 * ({@code spark.yarn.jars=local:}), the application jar staged on HDFS, the output on HDFS. Trials are
 * synthetic (they sleep): what is checked is the way through YARN, not training.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class YarnSubmitIT {

    private static final int TRIALS = 6;
    /** System property naming Spark's YARN module jar (the failsafe configuration sets it). */
    private static final String SPARK_YARN_PROPERTY = "galapagos.spark.yarn";

    @TempDir
    java.nio.file.Path dir;

    @Test
    void aSearchSubmittedToYarnRunsItsTrialsInAYarnContainerAndWritesToHdfs() throws Exception {
        long started = System.nanoTime();
        try (MiniHadoop hadoop = MiniHadoop.start("YarnSubmitIT", true)) {
            double yarnSeconds = (System.nanoTime() - started) / 1e9;
            java.nio.file.Path jars = sparkJars();
            java.nio.file.Path config = Files.writeString(dir.resolve("yarn.yaml"), """
                    name: yarn
                    seed: 3
                    trials: %d
                    parallelism: 2
                    strategy: {kind: evolution, population: 4, sample_size: 2}
                    space:
                      min_blocks: 1
                      max_blocks: 3
                      layers: [conv, maxpool, dense]
                      kernel_sizes: [3]
                      filters: [4, 8]
                      dense_units: [16]
                      activations: [relu]
                      batch_norm: [false]
                      dropout: [0.0]
                      skip_modes: [add]
                    synthetic: {median_seconds: 0.2, sigma: 0}
                    """.formatted(TRIALS));
            Path output = new Path(hadoop.hdfsUri() + "/searches/yarn");
            String javaHome = System.getProperty("java.home");
            List<String> command = new ArrayList<>();
            command.add(java.nio.file.Path.of(javaHome, "bin", "java").toString());
            command.addAll(List.of(JavaModuleOptions.defaultModuleOptions().trim().split("\\s+")));
            command.addAll(List.of("-cp", jars.resolve("*") + File.pathSeparator + hadoop.confDir(),
                    "org.apache.spark.deploy.SparkSubmit", "--master", "yarn", "--deploy-mode", "client",
                    "--class", "io.galapagos.driver.cli.GalapagosCli",
                    "--conf", "spark.yarn.jars=local:" + jars.resolve("*"),
                    "--conf", "spark.yarn.stagingDir=" + hadoop.hdfsUri() + "/user/staging",
                    "--conf", "spark.yarn.am.memory=256m",
                    "--conf", "spark.executor.instances=1", "--conf", "spark.executor.cores=2",
                    "--conf", "spark.executor.memory=512m",
                    // the NodeManager was started without JAVA_HOME: tell the containers which Java to run
                    "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
                    "--conf", "spark.executorEnv.JAVA_HOME=" + javaHome,
                    GalapagosLauncher.repo().resolve("driver/target/galapagos-driver.jar").toString(),
                    "run", config.toString(), "--output", output.toString()));
            java.nio.file.Path log = dir.resolve("submit.log");
            ProcessBuilder submit = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            submit.environment().keySet().removeIf(name -> name.startsWith("SPARK_") || name.startsWith("HADOOP_"));
            submit.environment().put("HADOOP_CONF_DIR", hadoop.confDir().toString());
            long submitted = System.nanoTime();
            Process driver = submit.start();
            if (!driver.waitFor(240, TimeUnit.SECONDS)) {
                driver.destroyForcibly().waitFor();
            }
            double submitSeconds = (System.nanoTime() - submitted) / 1e9;
            String story = Files.readString(log);
            assertEquals(0, driver.exitValue(), story);

            RMApp app = finishedApplication(hadoop.yarn().getResourceManager().getRMContext().getRMApps().values());
            assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus(), app.getDiagnostics() + story);
            List<JsonNode> results = JournalRecords.of(hadoop.fs(), output, "result");
            assertEquals(TRIALS, results.size(), story);
            for (JsonNode r : results) {
                assertEquals("completed", r.get("status").asText(), r::toString);
                // a Spark executor id: not local mode's local-task-N, not in process
                assertTrue(r.get("executor").asText().matches("\\d+"), "not run on a YARN executor: " + r);
                assertNotEquals(driver.pid(), r.get("pid").asLong(), "trained in the driver JVM: " + r);
                assertNotEquals(ProcessHandle.current().pid(), r.get("pid").asLong(), "trained in the test JVM: " + r);
            }
            assertEquals("yarn", JournalRecords.of(hadoop.fs(), output, "study").get(0).get("master").asText());
            assertTrue(hadoop.fs().getFileStatus(new Path(output, "report.html")).getLen() > 0);
            assertTrue(story.contains(app.getApplicationId().toString()), "the log names another application: "
                    + app.getApplicationId() + "\n" + story);
            System.out.printf(Locale.ROOT, "YARN: HDFS and YARN up in %.1f s; spark-submit --master yarn of %d trials "
                            + "ran as %s in %.1f s (submit to exit), final status %s%n", yarnSeconds, TRIALS,
                    app.getApplicationId(), submitSeconds, app.getFinalApplicationStatus());
        }
    }

    /** The only application, once the ResourceManager has it finished (it learns so shortly after the driver ends). */
    private static RMApp finishedApplication(Collection<RMApp> apps) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            assertEquals(1, apps.size(), "applications: " + apps);
            RMApp app = apps.iterator().next();
            if (app.getState() == RMAppState.FINISHED) {
                return app;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the application did not finish: " + apps.iterator().next().getState());
    }

    /** Spark's jars as a YARN node has them: the driver's runtime classpath and Spark's YARN module. */
    private java.nio.file.Path sparkJars() throws Exception {
        java.nio.file.Path jars = Files.createDirectories(dir.resolve("jars"));
        java.nio.file.Path lib = java.nio.file.Path.of(System.getProperty(StandaloneCluster.LIB_PROPERTY));
        try (DirectoryStream<java.nio.file.Path> files = Files.newDirectoryStream(lib, "*.jar")) {
            for (java.nio.file.Path jar : files) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        java.nio.file.Path yarn = java.nio.file.Path.of(System.getProperty(SPARK_YARN_PROPERTY));
        Files.createSymbolicLink(jars.resolve(yarn.getFileName()), yarn);
        return jars;
    }
}
