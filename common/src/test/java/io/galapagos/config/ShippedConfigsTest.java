package io.galapagos.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every search configuration shipped in {@code conf/} loads, and its local data files (or benchmark table) exist,
 * except those a Debian data set package installs under {@code /usr/share/datasets/} (the full Fashion-MNIST of
 * {@code conf/fashion-mnist.yaml}), which a machine may not have; without it such a config is a one-line error
 * naming the package (DataFilesTest).
 */
class ShippedConfigsTest {

    @Test
    void everyShippedConfigLoads() throws IOException {
        Path conf = Path.of("..", "conf").toAbsolutePath().normalize();
        List<Path> configs;
        try (Stream<Path> files = Files.list(conf)) {
            configs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(configs.isEmpty(), "no configs in " + conf);
        for (Path file : configs) {
            SearchConfig config = ConfigLoader.load(file, List.of()).config();
            List<String> files = config.trainer() instanceof Dl4jTrainerConfig dl4j
                    ? List.of(dl4j.data().trainImages(), dl4j.data().trainLabels(), dl4j.data().testImages(),
                    dl4j.data().testLabels())
                    : config.trainer() instanceof TabularTrainerConfig tabular ? List.of(tabular.table())
                    : List.of(); // synthetic: reads nothing
            for (String data : files) {
                assertTrue(data.contains(":") || data.startsWith("/usr/share/datasets/") || Files.isRegularFile(Path.of(data)),
                        file + " names " + data);
            }
        }
    }
}
