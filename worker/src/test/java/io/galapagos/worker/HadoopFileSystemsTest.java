package io.galapagos.worker;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Atomic writes through the Hadoop FileSystem API, on the checksummed local file system and the raw one; Hadoop's
 * settings as Spark gives them.
 */
class HadoopFileSystemsTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void aWriteReplacesTheEarlierFileAndAFailedOneLeavesItAsItWasWithNoTemporaryFile() throws Exception {
        for (FileSystem fs : new FileSystem[]{FileSystem.getLocal(new Configuration()),
                FileSystem.getLocal(new Configuration()).getRaw()}) {
            java.nio.file.Path folder = Files.createDirectories(dir.resolve(fs.getClass().getSimpleName()));
            Path target = new Path(folder.resolve("best.json").toUri());
            HadoopFileSystems.writeAtomically(fs, target, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
            HadoopFileSystems.writeAtomically(fs, target, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
            assertEquals("second", Files.readString(folder.resolve("best.json")));

            IOException e = assertThrows(IOException.class, () -> HadoopFileSystems.writeAtomically(fs, target, out -> {
                out.write("half".getBytes(StandardCharsets.UTF_8));
                throw new IOException("disk full");
            }));
            assertEquals("disk full", e.getMessage());
            assertEquals("second", Files.readString(folder.resolve("best.json")));
            try (Stream<java.nio.file.Path> files = Files.list(folder)) {
                assertEquals("[best.json]", files.map(p -> p.getFileName().toString())
                        .filter(name -> !name.endsWith(".crc")).sorted().toList().toString(), fs.getClass().getName());
            }
        }
    }

    /** An s3a endpoint given to spark-submit, or in a configuration's spark.conf, reaches Galapagos's own reads. */
    @Test
    void sparksHadoopEntriesReachTheConfiguration() {
        String property = "spark.hadoop.galapagos.test.endpoint";
        System.setProperty(property, "http://minio:9000");
        try {
            Configuration configured = HadoopFileSystems.configuration(
                    java.util.Map.of("spark.hadoop.galapagos.test.region", "eu-west-1", property, "http://s3:9000"));
            assertEquals("eu-west-1", configured.get("galapagos.test.region"));
            assertEquals("http://s3:9000", configured.get("galapagos.test.endpoint"), "the configuration's own wins");
            // spark-submit's --conf are system properties until Spark is up; then Spark's configuration holds them
            Assumptions.assumeTrue(org.apache.spark.SparkEnv.get() == null, "a Spark context of another test is up");
            assertEquals("http://minio:9000", HadoopFileSystems.configuration().get("galapagos.test.endpoint"));
        } finally {
            System.clearProperty(property);
        }
    }
}
