package io.galapagos.driver.job;

import io.galapagos.config.ConfigException;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.SearchConfig;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Constraints no network of the space can meet are refused with the other input checks, before anything starts. */
class ConstraintReachTest {

    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private SearchConfig config(String constraints) {
        String yaml = """
                name: reach
                seed: 5
                trials: 10
                strategy: {kind: random}
                space: {min_blocks: 1, max_blocks: 2, layers: [dense], dense_units: [8, 64],
                        activations: [relu], batch_norm: [false], dropout: [0.0]}
                data:
                  train_images: %1$s/train-images-idx3-ubyte.gz
                  train_labels: %1$s/train-labels-idx1-ubyte.gz
                  test_images: %1$s/t10k-images-idx3-ubyte.gz
                  test_labels: %1$s/t10k-labels-idx1-ubyte.gz
                constraints: %2$s
                """.formatted(DATA, constraints);
        return ConfigLoader.parse("reach.yaml", yaml, dir, List.of()).config();
    }

    @Test
    void aBoundBelowEveryNetworkOfTheSpaceIsRefusedWithTheLeastFigure() {
        // the least network, one dense layer of 8 on 784 pixels and the classifier: 784 x 8 + 8 + 8 x 10 + 10
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainerInputs.check("reach.yaml", config("{max_params: 100}"), new Configuration()));
        assertEquals("reach.yaml: constraints.max_params: 100 is below every one of 500 architectures drawn from the "
                + "space (the least had 6370): no candidate could be trained; is it in the key's unit?", e.getMessage());
    }

    /** 2 x (784 x 8 + 8 x 10) multiply-adds at the least network: 0.012704 MFLOPs. */
    @Test
    void theBoundOutOfReachIsNamedBesideOneThatHolds() {
        ConfigException e = assertThrows(ConfigException.class, () -> TrainerInputs.check("reach.yaml",
                config("{max_params: 1000000, max_mflops: 0.001}"), new Configuration()));
        assertEquals("reach.yaml: constraints.max_mflops: 0.001 is below every one of 500 architectures drawn from the "
                + "space (the least had 0.012704): no candidate could be trained; is it in the key's unit?",
                e.getMessage());
    }

    @Test
    void boundsSomeNetworkMeetsPass() {
        TrainerInputs.check("reach.yaml", config("{max_params: 20000}"), new Configuration());
    }
}
