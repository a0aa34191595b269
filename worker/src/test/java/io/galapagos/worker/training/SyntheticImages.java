package io.galapagos.worker.training;

import io.galapagos.config.DataConfig;
import io.galapagos.worker.data.IdxFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A small, easily separable image set written as gzip IDX files: 8x8 images of 3 classes, each class a
 * bright 3x3 patch in its own place over faint noise.
 */
final class SyntheticImages {

    static final int SIZE = 8;
    static final int CLASSES = 3;

    private SyntheticImages() {
    }

    static DataConfig write(Path dir, int train, int test, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        write(dir, "train", train, random);
        write(dir, "test", test, random);
        return new DataConfig(dir.resolve("train-images.gz").toString(), dir.resolve("train-labels.gz").toString(),
                dir.resolve("test-images.gz").toUri().toString(), dir.resolve("test-labels.gz").toUri().toString(),
                0.2, 0);
    }

    private static void write(Path dir, String part, int n, SplittableRandom random) throws IOException {
        byte[] pixels = new byte[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = i % CLASSES;
            labels[i] = label;
            for (int p = 0; p < SIZE * SIZE; p++) {
                int row = p / SIZE;
                int column = p % SIZE;
                boolean patch = row >= 1 && row < 4 && column >= 1 + 2 * label && column < 4 + 2 * label;
                pixels[i * SIZE * SIZE + p] = (byte) (patch ? 200 + random.nextInt(56) : random.nextInt(80));
            }
        }
        IdxFiles.writeImages(dir.resolve(part + "-images.gz"), n, SIZE, SIZE, pixels, true);
        IdxFiles.writeLabels(dir.resolve(part + "-labels.gz"), labels, true);
    }
}
