package io.galapagos.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container images without a container builder (none can pull their base images here; the README says what was
 * tried): the Dockerfiles' facts that Spark on Kubernetes relies on, then the image's file system as their install.sh
 * lays it out from the unpacked distribution, in a folder standing for the image's root. Through the entrypoint, in
 * that layout, Spark's own launcher starts the driver as a Kubernetes driver pod would (the {@code driver} command, the
 * application jar named by a {@code local://} URI as the README's submission does) and it runs a short quickstart in
 * local mode; a plain command runs as given. The {@code executor} command needs a
 * Kubernetes driver to call and is not run.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ContainerImageIT {

    private static final Path DOCKER = GalapagosLauncher.repo().resolve("deploy/docker");

    @TempDir
    static Path dir;
    private static Path root;

    @BeforeAll
    static void installLikeTheDockerfiles() throws Exception {
        Path dist = Distribution.unpack(dir.resolve("dist"));
        root = Files.createDirectories(dir.resolve("root"));
        ProcessBuilder install = new ProcessBuilder("bash", dist.resolve("deploy/docker/install.sh").toString(),
                dist.toString(), root.toString());
        Distribution.runToEnd(install, dir.resolve("install.log"), 120);
    }

    @Test
    void dockerfilesGiveSparkOnKubernetesWhatItExpects() throws IOException {
        assertImage("Dockerfile", "FROM eclipse-temurin:17-jre-");
        assertImage("Dockerfile.cuda", "FROM nvidia/cuda:11.6.");
        assertTrue(lines("Dockerfile.cuda").anyMatch(l -> l.contains("cudnn8") && l.startsWith("FROM ")),
                "ND4J's CUDA 11.6 backend wants cuDNN 8");
        assertTrue(lines("Dockerfile.cuda").anyMatch(l -> l.contains("openjdk-17-jre-headless")), "Java 17");
    }

    private static void assertImage(String dockerfile, String base) throws IOException {
        List<String> lines = lines(dockerfile).toList();
        assertTrue(lines.stream().filter(l -> l.startsWith("FROM ")).findFirst().orElseThrow().startsWith(base),
                dockerfile + " is built on " + base);
        for (String fact : List.of("USER 185", "ENTRYPOINT [\"/opt/entrypoint.sh\"]", "WORKDIR /opt/galapagos",
                "RUN --mount=type=bind,target=/dist /dist/deploy/docker/install.sh /dist /")) {
            assertTrue(lines.contains(fact), dockerfile + " lacks: " + fact);
        }
        for (String env : List.of("SPARK_HOME=/opt/spark", "SPARK_SCALA_VERSION=2.12", "GALAPAGOS_HOME=/opt/galapagos")) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(env)), dockerfile + " does not set " + env);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("useradd --uid 185")), dockerfile + " makes no user 185");
        // the default --output, runs/<name>-<time>, is relative to the working directory, which root owns
        assertTrue(lines.stream().anyMatch(l -> l.contains("chmod g+rwx /opt/galapagos/runs")),
                dockerfile + " leaves runs/ unwritable for user 185");
    }

    @Test
    void installedLayoutHoldsSparkWithItsKubernetesBackend() throws IOException {
        Path jars = root.resolve("opt/spark/jars");
        assertTrue(Files.isDirectory(root.resolve("opt/galapagos/lib/spark")), "lib/spark leads to SPARK_HOME/jars");
        assertEquals(jars.toRealPath(), root.resolve("opt/galapagos/lib/spark").toRealPath());
        assertTrue(Files.isRegularFile(root.resolve("opt/galapagos/lib/galapagos-driver.jar")));
        assertTrue(Files.isExecutable(root.resolve("opt/entrypoint.sh")));
        assertTrue(Files.isRegularFile(root.resolve("opt/spark/conf/log4j2.properties")));
        assertTrue(hasClass(jars, "org/apache/spark/scheduler/cluster/k8s/KubernetesExecutorBackend.class"),
                "the entrypoint's executor class is in SPARK_HOME/jars");
        assertTrue(hasClass(jars, "org/apache/spark/launcher/Main.class"), "Spark's launcher is in SPARK_HOME/jars");
    }

    /** The discovery script the deploy README names, given an nvidia-smi that lists two GPUs, or none. */
    @Test
    void theGpuDiscoveryScriptPrintsWhatSparkReads() throws Exception {
        Path script = root.resolve("opt/spark/bin/find-gpus.sh");
        assertTrue(Files.isExecutable(script), script.toString());
        Path fakeBin = Files.createDirectories(dir.resolve("fake-nvidia"));
        Path nvidiaSmi = fakeBin.resolve("nvidia-smi");
        Files.writeString(nvidiaSmi, "#!/bin/sh\nprintf '0\\n1\\n'\n");
        assertTrue(nvidiaSmi.toFile().setExecutable(true));
        ProcessBuilder twoGpus = new ProcessBuilder(script.toString());
        twoGpus.environment().put("PATH", fakeBin + ":/usr/bin:/bin");
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}",
                Distribution.runToEnd(twoGpus, dir.resolve("find-gpus.log"), 30).strip());
        Files.writeString(nvidiaSmi, "#!/bin/sh\nexit 0\n");
        Process none = twoGpus.redirectErrorStream(true).start();
        assertTrue(none.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, none.exitValue(), "no GPU listed is a failure Spark reports");
    }

    @Test
    void entrypointStartsTheDriverThroughSparksLauncher() throws Exception {
        Path output = dir.resolve("driver-out");
        List<String> command = new ArrayList<>(List.of(root.resolve("opt/entrypoint.sh").toString(), "driver",
                "--master", "local[2]", "--class", "io.galapagos.driver.cli.GalapagosCli",
                "local://" + root.resolve("opt/galapagos/lib/galapagos-driver.jar"),
                "run", "conf/quickstart.yaml", "--output", output.toString()));
        command.addAll(Distribution.shortQuickstart());
        ProcessBuilder driver = imageProcess(command);
        driver.environment().put("SPARK_DRIVER_BIND_ADDRESS", "127.0.0.1");
        Distribution.assertShortQuickstartRan(output, Distribution.runToEnd(driver, dir.resolve("driver.log"), 240));
    }

    @Test
    void entrypointRunsAnyOtherCommandAsGiven() throws Exception {
        ProcessBuilder validate = imageProcess(List.of(root.resolve("opt/entrypoint.sh").toString(),
                "bin/galapagos", "validate", "conf/quickstart.yaml"));
        String printed = Distribution.runToEnd(validate, dir.resolve("validate.log"), 120);
        assertTrue(printed.contains("quickstart"), printed);
    }

    /** A process in the installed layout with the image's environment and working directory. */
    private static ProcessBuilder imageProcess(List<String> command) throws IOException {
        ProcessBuilder process = new ProcessBuilder(command).directory(root.resolve("opt/galapagos").toFile());
        Distribution.bareEnvironment(process, dir.resolve("home"));
        process.environment().put("SPARK_HOME", root.resolve("opt/spark").toString());
        process.environment().put("SPARK_SCALA_VERSION", "2.12");
        process.environment().put("GALAPAGOS_HOME", root.resolve("opt/galapagos").toString());
        return process;
    }

    private static boolean hasClass(Path jars, String entry) throws IOException {
        try (Stream<Path> all = Files.list(jars)) {
            for (Path jar : all.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    if (file.getEntry(entry) != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Stream<String> lines(String dockerfile) throws IOException {
        return Files.readAllLines(DOCKER.resolve(dockerfile)).stream().map(String::strip);
    }
}
