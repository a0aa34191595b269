package io.galapagos.worker.supernet;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.config.OneShotConfig;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.training.NativeThreads;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A supernet's training state written and read back through the Hadoop FileSystem API, for each optimiser, and what
 * is refused.
 */
class SupernetCheckpointTest {

    private static final InputSpec INPUT = new InputSpec(8, 8, 1, 3);
    private static final CellNetworkConfig SKELETON = new CellNetworkConfig(4, 1);
    private static final String TRAINING = "1 epochs from rate 0.01";
    private static final String DATA = "train-images, 15% held out";
    private static final SupernetIdentity ONE_SHOT = new SupernetIdentity(List.of(CellOperation.values()), -1, null,
            SKELETON, INPUT, OneShotConfig.Optimiser.SGD, TRAINING, DATA);

    @TempDir
    java.nio.file.Path dir;

    @BeforeAll
    static void oneNativeThread() {
        NativeThreads.limit(1);
    }

    private static ImageDataset images() {
        SplittableRandom random = new SplittableRandom(1);
        float[] pixels = new float[96 * 64];
        int[] labels = new int[96];
        for (int i = 0; i < 96; i++) {
            labels[i] = i % 3;
            for (int p = 0; p < 64; p++) {
                boolean patch = p / 8 < 3 && p % 8 >= 2 * labels[i] && p % 8 < 2 * labels[i] + 3;
                pixels[i * 64 + p] = (patch ? 0.8f : 0f) + 0.2f * (float) random.nextDouble();
            }
        }
        return ImageDataset.copyOf(pixels, labels, 8, 8, 1, 3);
    }

    /** Trains epochs {@code from} to {@code to} (exclusive), epoch e in the order of generator seed e. */
    private static void train(SharedWeights weights, NamedOptimiser optimiser, int from, int to) throws Exception {
        try (PathNetworks paths = new PathNetworks(new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30,
                Constraints.NONE, SKELETON), INPUT, 16, 3)) {
            SposTrainer trainer = new SposTrainer(paths, weights, optimiser, CellSampler.uniform(List.of(CellOperation.values()), -1, null), 16);
            for (int epoch = from; epoch < to; epoch++) {
                trainer.epoch(images(), new SplittableRandom(epoch), share -> 1);
            }
        }
    }

    /** Where the last zip signature {@code PK c d} before {@code before} starts, or -1. */
    private static int lastSignature(byte[] bytes, int c, int d, int before) {
        for (int i = before - 4; i >= 0; i--) {
            if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == c && bytes[i + 3] == d) {
                return i;
            }
        }
        return -1;
    }

    private static int littleEndianShort(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
    }

    private Path file() {
        return new Path(dir.resolve("supernets").resolve("one-shot.zip").toUri());
    }

    private static FileSystem fs() throws IOException {
        return FileSystem.getLocal(new Configuration());
    }

    @ParameterizedTest
    @EnumSource(OneShotConfig.Optimiser.class)
    void aTrainingContinuedFromItsCheckpointEndsWhereAnUninterruptedOneDoes(OneShotConfig.Optimiser kind)
            throws Exception {
        SupernetIdentity identity = new SupernetIdentity(ONE_SHOT.operations(), -1, null, SKELETON, INPUT, kind,
                TRAINING, DATA);
        SharedWeights uninterrupted = new SharedWeights();
        train(uninterrupted, NamedOptimiser.of(kind, 0.01, 0.9, 0), 0, 2);

        SharedWeights first = new SharedWeights();
        NamedOptimiser optimiser = NamedOptimiser.of(kind, 0.01, 0.9, 0);
        train(first, optimiser, 0, 1);
        SupernetCheckpoint.write(fs(), file(), identity, 1, first, optimiser);
        SupernetCheckpoint.Contents contents = SupernetCheckpoint.read(fs(), file(), identity);
        assertEquals(1, contents.epochs());
        NamedOptimiser continued = NamedOptimiser.of(kind, 0.01, 0.9, 0);
        continued.restore(contents.optimiser());
        train(contents.weights(), continued, 1, 2);

        assertEquals(uninterrupted.names(), contents.weights().names());
        for (String name : uninterrupted.names()) {
            assertEquals(uninterrupted.get(name), contents.weights().get(name), name);
        }
    }

    @Test
    void aDamagedFileOrOneOfAnotherSupernetIsRefusedNamingTheFile() throws Exception {
        SharedWeights weights = new SharedWeights();
        NamedOptimiser optimiser = new NamedSgd(0.01, 0.9, 0);
        train(weights, optimiser, 0, 1);
        SupernetCheckpoint.write(fs(), file(), ONE_SHOT, 1, weights, optimiser);

        SupernetIdentity wider = new SupernetIdentity(ONE_SHOT.operations(), -1, null, new CellNetworkConfig(8, 1),
                INPUT, ONE_SHOT.optimiser(), TRAINING, DATA);
        assertEquals(file() + ": a supernet of cell_channels 4, not 8",
                assertThrows(IOException.class, () -> SupernetCheckpoint.read(fs(), file(), wider)).getMessage());
        SupernetIdentity pooled = new SupernetIdentity(ONE_SHOT.operations(), -1, null, new CellNetworkConfig(
                SKELETON.channels(), SKELETON.cellsPerStage(), CellNetworkConfig.Reduction.POOL), INPUT,
                ONE_SHOT.optimiser(), TRAINING, DATA);
        assertEquals(file() + ": a supernet of cell_reduction residual, not pool",
                assertThrows(IOException.class, () -> SupernetCheckpoint.read(fs(), file(), pooled)).getMessage());
        SupernetIdentity part = new SupernetIdentity(ONE_SHOT.operations(), 2, CellOperation.NOR_CONV_3X3, SKELETON,
                INPUT, ONE_SHOT.optimiser(), TRAINING, DATA);
        assertEquals(file() + ": a supernet of part all, not edge 2 = nor_conv_3x3",
                assertThrows(IOException.class, () -> SupernetCheckpoint.read(fs(), file(), part)).getMessage());
        SupernetIdentity adam = new SupernetIdentity(ONE_SHOT.operations(), -1, null, SKELETON, INPUT,
                OneShotConfig.Optimiser.ADAM, TRAINING, DATA);
        assertEquals(file() + ": a supernet of optimiser sgd, not adam",
                assertThrows(IOException.class, () -> SupernetCheckpoint.read(fs(), file(), adam)).getMessage());
        SupernetIdentity longer = new SupernetIdentity(ONE_SHOT.operations(), -1, null, SKELETON, INPUT,
                ONE_SHOT.optimiser(), "2 epochs from rate 0.01", DATA);
        assertEquals(file() + ": a supernet of training 1 epochs from rate 0.01, not 2 epochs from rate 0.01",
                assertThrows(IOException.class, () -> SupernetCheckpoint.read(fs(), file(), longer)).getMessage());
        SupernetIdentity otherSplit = new SupernetIdentity(ONE_SHOT.operations(), -1, null, SKELETON, INPUT,
                ONE_SHOT.optimiser(), TRAINING, "train-images, 30% held out");
        assertEquals(file() + ": a supernet of data train-images, 15% held out, not train-images, 30% held out",
                assertThrows(IOException.class, () -> SupernetCheckpoint.read(fs(), file(), otherSplit)).getMessage());

        // a byte of the last array's compressed data, which the zip's own CRC guards on any file system: a byte of a
        // local header (an entry's time) would pass unseen where no .crc file is written (another test, or
        // LevelCheckpoints, may have turned them off on the JVM's shared local file system)
        java.nio.file.Path local = java.nio.file.Path.of(file().toUri());
        byte[] bytes = Files.readAllBytes(local);
        int entry = lastSignature(bytes, 3, 4, bytes.length);
        int data = entry + 30 + littleEndianShort(bytes, entry + 26) + littleEndianShort(bytes, entry + 28);
        int end = lastSignature(bytes, 7, 8, bytes.length);
        assertTrue(entry > 0 && data < end, "the last entry's data lies between " + data + " and " + end);
        bytes[(data + end) / 2] ^= 0x5a;
        Files.write(local, bytes);
        String damaged = assertThrows(IOException.class, () -> SupernetCheckpoint.read(fs(), file(), ONE_SHOT))
                .getMessage();
        assertTrue(damaged.startsWith(file() + ": damaged or unreadable ("), damaged);
        assertEquals(1, damaged.lines().count());

        Path absent = new Path(file().getParent(), "absent.zip");
        assertEquals(absent + ": no such file",
                assertThrows(IOException.class, () -> SupernetCheckpoint.read(fs(), absent, ONE_SHOT)).getMessage());
    }

    /**
     * A zip read as a stream ends quietly where a file cut short ends between two entries. On file systems that
     * keep no checksum file beside a file ({@code s3a:}, {@code abfs:}; the raw local one stands for them here),
     * only the header's count of arrays tells such a file from a whole one.
     */
    @Test
    void aFileCutShortBetweenTwoArraysIsRefusedWhereNoChecksumFileGuardsIt() throws Exception {
        FileSystem raw = FileSystem.getLocal(new Configuration()).getRaw();
        SharedWeights weights = new SharedWeights();
        NamedOptimiser optimiser = new NamedSgd(0.01, 0.9, 0);
        train(weights, optimiser, 0, 1);
        SupernetCheckpoint.write(raw, file(), ONE_SHOT, 1, weights, optimiser);
        assertEquals(weights.names(), SupernetCheckpoint.read(raw, file(), ONE_SHOT).weights().names());

        java.nio.file.Path local = java.nio.file.Path.of(file().toUri());
        byte[] bytes = Files.readAllBytes(local);
        int lastEntry = -1;
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 3 && bytes[i + 3] == 4) {
                lastEntry = i;
            }
        }
        assertTrue(lastEntry > 0, "a zip entry after the header");
        Files.write(local, java.util.Arrays.copyOf(bytes, lastEntry));
        String cut = assertThrows(IOException.class, () -> SupernetCheckpoint.read(raw, file(), ONE_SHOT)).getMessage();
        assertTrue(cut.startsWith(file() + ": damaged or unreadable (it ends after "), cut);
    }
}
