package io.galapagos.worker.data;

import io.galapagos.config.DataConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetCacheTest {

    @TempDir
    Path dir;

    @Test
    void concurrentCallersShareOneLoad() throws Exception {
        DataConfig config = write(dir, 40);
        int callers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<DataSplit>> loads = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                loads.add(pool.submit(() -> {
                    start.await();
                    return DatasetCache.get(config);
                }));
            }
            start.countDown();
            DataSplit first = loads.get(0).get(30, TimeUnit.SECONDS);
            for (Future<DataSplit> load : loads) {
                assertSame(first, load.get(30, TimeUnit.SECONDS));
            }
            assertSame(first, DatasetCache.get(config));
            assertEquals(32, first.train().size());
            assertEquals(8, first.validation().size());
            assertEquals(10, first.test().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedLoadIsRetriedByTheNextCaller() throws IOException {
        DataConfig config = new DataConfig(dir.resolve("train-images").toString(),
                dir.resolve("train-labels").toString(), dir.resolve("test-images").toString(),
                dir.resolve("test-labels").toString(), 0.2, 0);
        IOException e = assertThrows(IOException.class, () -> DatasetCache.get(config));
        assertTrue(e.getMessage().contains("not found: " + dir), e.getMessage());
        write(dir, 20);
        assertEquals(16, DatasetCache.get(config).train().size());
    }

    /** {@code n} training and 10 test images of 2x2 in {@code dir}, gzip, labels 0..2. */
    private static DataConfig write(Path dir, int n) throws IOException {
        Path trainImages = IdxFiles.writeImages(dir.resolve("train-images"), n, 2, 2, new byte[n * 4], true);
        Path trainLabels = IdxFiles.writeLabels(dir.resolve("train-labels"), labels(n), true);
        Path testImages = IdxFiles.writeImages(dir.resolve("test-images"), 10, 2, 2, new byte[40], true);
        Path testLabels = IdxFiles.writeLabels(dir.resolve("test-labels"), labels(10), true);
        return new DataConfig(trainImages.toString(), trainLabels.toString(), testImages.toString(),
                testLabels.toString(), 0.2, 0);
    }

    private static int[] labels(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return labels;
    }
}
