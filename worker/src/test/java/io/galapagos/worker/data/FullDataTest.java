package io.galapagos.worker.data;

import io.galapagos.config.DataConfig;
import io.galapagos.worker.HadoopFileSystems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FullDataTest {

    @TempDir
    Path dir;

    @Test
    void aLimitedFileSortedByClassGivesTheTrialsExamplesInTheFilesOrder() throws IOException {
        int n = 120;
        byte[] pixels = new byte[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = (byte) i;
            labels[i] = i * 3 / n;
        }
        DataConfig config = new DataConfig(
                IdxFiles.writeImages(dir.resolve("train-images"), n, 1, 1, pixels, false).toString(),
                IdxFiles.writeLabels(dir.resolve("train-labels"), labels, false).toString(),
                IdxFiles.writeImages(dir.resolve("test-images"), 3, 1, 1, new byte[3], false).toString(),
                IdxFiles.writeLabels(dir.resolve("test-labels"), new int[] {0, 1, 2}, false).toString(),
                0.2, 30);

        FullData data = FullData.load(config, HadoopFileSystems.configuration());

        List<Integer> full = ids(data.train());
        assertEquals(30, full.size());
        assertEquals(full.stream().sorted().toList(), full, "in the file's order");
        List<Integer> trials = ids(data.trials().train());
        trials.addAll(ids(data.trials().validation()));
        assertEquals(full, trials.stream().sorted().toList(), "the examples the trials trained and validated on");
        assertTrue(full.get(full.size() - 1) >= 80, "drawn from the whole file, not its first 30: " + full);
        assertEquals(3, data.train().classes());
    }

    /** The pixel values, which are the examples' indices in the file (the IDX reader scales them to [0, 1]). */
    private static List<Integer> ids(ImageDataset data) {
        List<Integer> ids = new ArrayList<>();
        float[] pixel = new float[1];
        for (int i = 0; i < data.size(); i++) {
            data.copyFeatures(i, pixel, 0);
            ids.add(Math.round(pixel[0] * 255));
        }
        return ids;
    }
}
