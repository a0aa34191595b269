package io.galapagos.worker.darts;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.DataConfig;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.worker.data.DataSplit;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.training.NativeThreads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A DARTS search as Spark tasks run it, one epoch a task on 120 images of the shipped Fashion-MNIST subset: the
 * checkpoint between two tasks loses nothing (two epochs in two tasks, a warm-up and a search epoch, end exactly
 * where two epochs in one process do), an epoch the checkpoint holds is answered from it, and a checkpoint of another
 * search is refused.
 */
class DartsEpochTrainingTest {

    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();
    private static final DataConfig DATA_CONFIG = new DataConfig(DATA.resolve("train-images-idx3-ubyte.gz").toString(),
            DATA.resolve("train-labels-idx1-ubyte.gz").toString(), DATA.resolve("t10k-images-idx3-ubyte.gz").toString(),
            DATA.resolve("t10k-labels-idx1-ubyte.gz").toString(), 0.25, 120);
    private static final CellNetworkConfig SKELETON = new CellNetworkConfig(2, 1, CellNetworkConfig.Reduction.POOL);

    @TempDir
    Path dir;

    @BeforeAll
    static void oneNativeThread() {
        NativeThreads.limit(1);
    }

    private DartsSpec spec(boolean auxiliarySkip, int warmup, Path folder) {
        return new DartsSpec(DATA_CONFIG, CellSearchSpace.nb201().operations(), SKELETON,
                new DartsSearch.Settings(2, warmup, 32, 0.05, 0.9, 3e-4, 3e-3, 1e-3, auxiliarySkip), 2, 7,
                folder.toString());
    }

    @Test
    void twoEpochsInTwoTasksEndWhereTwoEpochsInOneProcessDo() throws Exception {
        DartsSpec spec = spec(true, 1, dir.resolve("darts"));
        DartsEpochOutcome first = DartsEpochTraining.run(spec, 1, 0, "test");
        DartsEpochOutcome second = DartsEpochTraining.run(spec, 1, 1, "test");
        assertTrue(first.trained() && second.trained());
        assertEquals(1.0, first.epoch().auxiliarySkip());
        assertEquals(0.5, second.epoch().auxiliarySkip());
        DataSplit split = DatasetCache.get(DATA_CONFIG);
        MixedCellSupernet supernet = MixedCellSupernet.build(spec.operations(), SKELETON, InputSpec.of(split.train()),
                spec.searchSeed(1));
        // the warm-up leaves alpha as initialised; then it learns
        double[][] initial = supernet.mixingWeights().toDoubleMatrix();
        for (int edge = 0; edge < initial.length; edge++) {
            assertArrayEquals(initial[edge], first.epoch().mixingWeights()[edge], 1e-12);
            for (int op = 0; op < initial[edge].length; op++) {
                assertTrue(Math.abs(initial[edge][op] - second.epoch().mixingWeights()[edge][op]) > 1e-6,
                        "alpha moved in the second epoch on edge " + edge);
            }
        }

        // alpha learns from the training split's second half, never from the validation split
        DartsSearch search = new DartsSearch(supernet, spec.settings());
        SearchHalves halves = SearchHalves.of(split.train());
        DartsSearch.Epoch direct = null;
        for (int epoch = 0; epoch < 2; epoch++) {
            direct = search.epoch(epoch, halves.weights(), halves.alpha(),
                    new SplittableRandom(spec.searchSeed(1) * 1_000_003L + epoch));
        }
        assertEquals(direct.trainLoss(), second.epoch().trainLoss(), 1e-9);
        assertEquals(direct.heldOutLoss(), second.epoch().heldOutLoss(), 1e-9);
        for (int edge = 0; edge < direct.mixingWeights().length; edge++) {
            assertArrayEquals(direct.mixingWeights()[edge], second.epoch().mixingWeights()[edge], 1e-9);
        }
        assertEquals(direct.derived(), second.epoch().derived());
    }

    @Test
    void anEpochTheCheckpointHoldsIsAnsweredFromItAndALaterOneIsRefused() throws Exception {
        DartsSpec spec = spec(false, 0, dir.resolve("darts"));
        DartsEpochOutcome trained = DartsEpochTraining.run(spec, 0, 0, "test");
        DartsEpochOutcome again = DartsEpochTraining.run(spec, 0, 0, "elsewhere");
        assertFalse(again.trained());
        assertEquals(0, again.seconds());
        assertEquals(trained.epoch().trainLoss(), again.epoch().trainLoss());
        assertEquals(trained.epoch().derived(), again.epoch().derived());
        assertArrayEquals(trained.epoch().mixingWeights()[3], again.epoch().mixingWeights()[3], 1e-6);
        IOException ahead = assertThrows(IOException.class, () -> DartsEpochTraining.run(spec, 1, 1, "test"));
        assertTrue(ahead.getMessage().contains("seed-1.zip: holds 0 epochs"), ahead.getMessage());
    }

    @Test
    void aCheckpointOfAnotherSearchIsRefusedNamingTheField() throws Exception {
        Path folder = dir.resolve("darts");
        DartsEpochTraining.run(spec(false, 0, folder), 0, 0, "test");
        IOException e = assertThrows(IOException.class, () -> DartsEpochTraining.run(spec(true, 0, folder), 0, 1,
                "test"));
        assertTrue(e.getMessage().startsWith(folder.resolve("seed-0.zip") + ": a DARTS search of settings"),
                e.getMessage());
        DartsSpec first = spec(false, 0, folder);
        DataConfig otherSplit = new DataConfig(DATA_CONFIG.trainImages(), DATA_CONFIG.trainLabels(),
                DATA_CONFIG.testImages(), DATA_CONFIG.testLabels(), 0.2, DATA_CONFIG.trainLimit());
        DartsSpec resplit = new DartsSpec(otherSplit, first.operations(), first.skeleton(), first.settings(),
                first.seeds(), first.seed(), first.folder());
        IOException split = assertThrows(IOException.class, () -> DartsEpochTraining.run(resplit, 0, 1, "test"));
        assertTrue(split.getMessage().startsWith(folder.resolve("seed-0.zip") + ": a DARTS search of data"),
                split.getMessage());
        Files.write(folder.resolve("seed-0.zip"), new byte[]{1, 2, 3});
        IOException damaged = assertThrows(IOException.class, () -> DartsEpochTraining.run(spec(false, 0, folder), 0, 1,
                "test"));
        assertTrue(damaged.getMessage().contains("seed-0.zip"), damaged.getMessage());
    }

    /**
     * On a file system whose rename does not replace a file (an object store's), a driver or executor killed after the
     * checkpoint's earlier file was deleted and before the new one was renamed into place left only the temporary file:
     * the next epoch takes it, not a newer one a later crash cut short, and ends where an uninterrupted search does. It
     * failed with "holds 0 epochs", and the search could not resume.
     */
    @Test
    void aCheckpointWhoseRenameACrashCutIsTakenFromItsTemporaryFile() throws Exception {
        DartsSpec spec = spec(false, 0, dir.resolve("cut"));
        DartsEpochTraining.run(spec, 0, 0, "test");
        Path file = dir.resolve("cut").resolve("seed-0.zip");
        Path whole = file.resolveSibling(".seed-0.zip.1b5e0c4e.tmp");
        Files.move(file, whole);
        byte[] bytes = Files.readAllBytes(whole);
        Path cutShort = file.resolveSibling(".seed-0.zip.7d2f9a10.tmp");
        Files.write(cutShort, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.setLastModifiedTime(cutShort, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(whole).toMillis() + 60_000));

        DartsEpochOutcome second = DartsEpochTraining.run(spec, 0, 1, "test");
        assertTrue(second.trained());
        DartsSpec uninterrupted = spec(false, 0, dir.resolve("whole"));
        DartsEpochTraining.run(uninterrupted, 0, 0, "test");
        assertEquals(DartsEpochTraining.run(uninterrupted, 0, 1, "test").epoch(), second.epoch());
    }
}
