package io.galapagos.driver.oneshot;

import io.galapagos.config.OneShotConfig;
import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.DataConfig;
import io.galapagos.config.SparkSettings;
import io.galapagos.driver.execution.SparkContexts;
import io.galapagos.space.CellOperation;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.supernet.NamedOptimiser;
import io.galapagos.worker.supernet.SupernetCheckpoint;
import io.galapagos.worker.supernet.SupernetPartOutcome;
import io.galapagos.worker.supernet.SharedWeights;
import io.galapagos.worker.supernet.SupernetSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Few-shot sub-supernets trained as one Spark task each on {@code local[2]}, on 300 images of the shipped
 * Fashion-MNIST subset: each part's checkpoint holds its own operation on the split edge and not the other's, and
 * running the job again trains only the epochs not yet done.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SupernetTrainingTest {

    private static final java.nio.file.Path DATA = java.nio.file.Path.of("..", "data", "fashion-mnist")
            .toAbsolutePath().normalize();
    private static JavaSparkContext sc;

    @TempDir
    java.nio.file.Path dir;

    @BeforeAll
    static void startSpark() {
        sc = SparkContexts.create(new SparkSettings("local[2]", Map.of(
                "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1")), "SupernetTrainingTest");
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    private SupernetSpec spec(int epochs) {
        return spec(epochs, 0, "supernets");
    }

    private SupernetSpec spec(int epochs, int warmupEpochs, String folder) {
        return spec(epochs, warmupEpochs, folder, 0.01);
    }

    private SupernetSpec spec(int epochs, int warmupEpochs, String folder, double splitLearningRate) {
        DataConfig data = new DataConfig(DATA.resolve("train-images-idx3-ubyte.gz").toString(),
                DATA.resolve("train-labels-idx1-ubyte.gz").toString(), DATA.resolve("t10k-images-idx3-ubyte.gz").toString(),
                DATA.resolve("t10k-labels-idx1-ubyte.gz").toString(), 0.2, 300);
        // split on edge 0 (node 1 <- node 0) between a skip connection and a 3x3 convolution: two sub-supernets
        return new SupernetSpec(data, List.of(CellOperation.SKIP_CONNECT, CellOperation.NOR_CONV_3X3),
                new CellNetworkConfig(2, 1), 0, epochs, warmupEpochs, 0.01, splitLearningRate,
                OneShotConfig.Optimiser.SGD, 0.9, 0, 32, false,
                List.of(1.0, 1.0), 5, dir.resolve(folder).toUri().toString());
    }

    @Test
    void subSupernetsTrainAsOneTaskEachAndContinueWhereTheyStopped() throws Exception {
        List<SupernetPartOutcome> first = SupernetTraining.run(sc, spec(1)).parts();
        assertEquals(List.of(0, 1), first.stream().map(SupernetPartOutcome::part).toList());
        for (SupernetPartOutcome outcome : first) {
            assertEquals(0, outcome.resumedEpochs());
            assertEquals(1, outcome.epochs());
            assertTrue(Double.isFinite(outcome.loss()) && outcome.loss() > 0, outcome.toString());
            assertTrue(outcome.executor().startsWith("local-task-"), outcome.executor());
        }

        FileSystem fs = FileSystem.getLocal(new Configuration());
        InputSpec input = new InputSpec(28, 28, 1, 10);
        SupernetSpec one = spec(1);
        SupernetSpec two = spec(2);
        // a search resumed asking for more epochs than its supernets' cosine was planned for is refused
        IOException longer = assertThrows(IOException.class, () -> SupernetCheckpoint.verifyWritten(two,
                new Configuration()));
        assertTrue(longer.getMessage().contains("a supernet of training 1 epochs from rate 0.01")
                && longer.getMessage().contains("not 2 epochs"), longer.getMessage());
        for (int part = 0; part < 2; part++) {
            Path file = new Path(two.folder(), two.fileName(part));
            SupernetCheckpoint.Contents contents = SupernetCheckpoint.read(fs, file, one.identity(part, input));
            assertEquals(1, contents.epochs());
            boolean convolution = contents.weights().names().stream().anyMatch(n -> n.contains("n1from0_nor_conv_3x3"));
            assertEquals(part == 1, convolution, "only the convolution's part holds edge 0's convolution");
            // what a 2-epoch training killed after its first epoch leaves
            NamedOptimiser optimiser = two.optimiser(two.splitLearningRate());
            optimiser.restore(contents.optimiser());
            SupernetCheckpoint.write(fs, file, two.identity(part, input), 1, contents.weights(), optimiser);
        }
        // (beside them, Hadoop's local file system keeps its own hidden .crc checksum files)
        assertEquals(List.of("edge0-nor_conv_3x3.zip", "edge0-skip_connect.zip"), Files.list(dir.resolve("supernets"))
                .map(p -> p.getFileName().toString()).filter(name -> !name.startsWith(".")).sorted().toList());

        List<SupernetPartOutcome> second = SupernetTraining.run(sc, two).parts();
        for (SupernetPartOutcome outcome : second) {
            assertEquals(1, outcome.resumedEpochs(), "continued from the checkpoint");
            assertEquals(2, outcome.epochs());
        }
        byte[] done = Files.readAllBytes(dir.resolve("supernets").resolve("edge0-skip_connect.zip"));
        List<SupernetPartOutcome> again = SupernetTraining.run(sc, two).parts();
        for (SupernetPartOutcome outcome : again) {
            assertEquals(2, outcome.resumedEpochs());
            assertTrue(Double.isNaN(outcome.loss()), "no epoch trained twice");
        }
        assertArrayEquals(done, Files.readAllBytes(dir.resolve("supernets").resolve("edge0-skip_connect.zip")),
                "a finished supernet's file is left as it was");
    }

    @Test
    void subSupernetsStartFromTheWarmedUpOneShotWeights() throws Exception {
        SupernetSpec spec = spec(1, 1, "warm");
        SupernetTraining.Trained trained = SupernetTraining.run(sc, spec);
        assertEquals(1, trained.warmUp().orElseThrow().epochs(), "the warm-up's own outcome");
        assertEquals(trained.warmUp().get().seconds() + trained.parts().get(0).seconds()
                + trained.parts().get(1).seconds(), trained.slotSeconds(), 1e-9);
        FileSystem fs = FileSystem.getLocal(new Configuration());
        InputSpec input = new InputSpec(28, 28, 1, 10);
        SupernetSpec warmUp = spec.warmUp();
        SupernetCheckpoint.Contents oneShot = SupernetCheckpoint.read(fs, new Path(warmUp.folder(), warmUp.fileName(0)),
                warmUp.identity(0, input));
        assertEquals(1, oneShot.epochs());
        SupernetCheckpoint.Contents skip = SupernetCheckpoint.read(fs, new Path(spec.folder(), spec.fileName(0)),
                spec.identity(0, input));
        assertEquals(1, skip.epochs(), "the part's own epochs, the warm-up's not counted");
        // the skip part inherited edge 0's convolution from the warm-up and, never sampling it, left it as it was;
        // the stem, which every path holds, trained on
        String convolution = "s0c0_n1from0_nor_conv_3x3_conv_W";
        assertEquals(oneShot.weights().get(convolution), skip.weights().get(convolution));
        assertTrue(!oneShot.weights().get("stem_conv_W").equals(skip.weights().get("stem_conv_W")),
                "the shared stem trained further in the part");
    }

    @Test
    void theWarmUpTrainsAtTheRateAndTheSubSupernetsAtTheSplitRate() throws Exception {
        SupernetSpec same = spec(1, 1, "same");
        SupernetSpec faster = spec(1, 1, "faster", 0.05);
        SupernetTraining.run(sc, same);
        SupernetTraining.run(sc, faster);
        FileSystem fs = FileSystem.getLocal(new Configuration());
        InputSpec input = new InputSpec(28, 28, 1, 10);
        String stem = "stem_conv_W";
        assertEquals(weights(fs, same.warmUp(), 0, input).get(stem), weights(fs, faster.warmUp(), 0, input).get(stem),
                "the warm-up is the same one-shot training whatever the split rate");
        for (int part = 0; part < 2; part++) {
            assertTrue(!weights(fs, same, part, input).get(stem).equals(weights(fs, faster, part, input).get(stem)),
                    "part " + part + " trained at its own rate");
        }
    }

    private static SharedWeights weights(FileSystem fs, SupernetSpec spec, int part, InputSpec input)
            throws java.io.IOException {
        return SupernetCheckpoint.read(fs, new Path(spec.folder(), spec.fileName(part)), spec.identity(part, input))
                .weights();
    }
}
