package io.galapagos.worker.data;

import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {

    private static final int COUNT = 5;
    private static final int ROWS = 3;
    private static final int COLUMNS = 4;
    private static final int[] LABELS = {0, 3, 1, 3, 2};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsWhatWasWrittenFromAPathAndAFileUri(boolean gzip) throws IOException {
        byte[] pixels = pixels();
        Path images = IdxFiles.writeImages(dir.resolve("images"), COUNT, ROWS, COLUMNS, pixels, gzip);
        Path labels = IdxFiles.writeLabels(dir.resolve("labels"), LABELS, gzip);
        for (ImageDataset data : new ImageDataset[]{
                IdxReader.read(images.toString(), labels.toString()),
                IdxReader.read(images.toUri().toString(), labels.toUri().toString())}) {
            assertEquals(COUNT, data.size());
            assertEquals(ROWS, data.height());
            assertEquals(COLUMNS, data.width());
            assertEquals(1, data.channels());
            assertEquals(4, data.classes(), "largest label + 1");
            float[] row = new float[ROWS * COLUMNS];
            for (int i = 0; i < COUNT; i++) {
                assertEquals(LABELS[i], data.label(i));
                data.copyFeatures(i, row, 0);
                for (int p = 0; p < row.length; p++) {
                    assertEquals((pixels[i * row.length + p] & 0xff) / 255f, row[p], 0f);
                }
            }
        }
    }

    @Test
    void namesAMissingFile() throws IOException {
        Path labels = IdxFiles.writeLabels(dir.resolve("labels"), LABELS, false);
        String missing = dir.resolve("no-such-images.gz").toString();
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> IdxReader.read(missing, labels.toString()));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }

    @Test
    void namesAFileWithTheWrongMagicNumber() throws IOException {
        Path labels = IdxFiles.writeLabels(dir.resolve("labels"), LABELS, true);
        // a label file where the images should be
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(labels.toString(), labels.toString()));
        assertTrue(e.getMessage().startsWith(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("magic number 0x00000801, expected 0x00000803"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void namesATruncatedFile(boolean gzip) throws IOException {
        Path images = IdxFiles.writeImages(dir.resolve("images"), COUNT, ROWS, COLUMNS, pixels(), gzip);
        Path labels = IdxFiles.writeLabels(dir.resolve("labels"), LABELS, gzip);
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(whole, whole.length - 10));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(images.toString(), labels.toString()));
        assertTrue(e.getMessage().startsWith(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    /**
     * A corrupt header declaring two billion labels before 10 bytes: a truncated file, read without allocating the
     * 2 GB declared (which a smaller heap than the tests' would not hold: an OutOfMemoryError).
     */
    @Test
    void aHeaderDeclaringFarMoreThanTheFileHoldsIsATruncatedFile() throws IOException {
        Path labels = dir.resolve("labels");
        ByteBuffer file = ByteBuffer.allocate(8 + 10).putInt(IdxReader.LABELS_MAGIC).putInt(0x7ffffff0);
        Files.write(labels, file.array());
        Configuration hadoop = HadoopFileSystems.configuration();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        IOException e = assertThrows(IOException.class, () -> IdxReader.readLabels(labels.toString(), hadoop));
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes");
        assertTrue(e.getMessage().startsWith(labels + " is truncated: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("but the file ends after 10"), e.getMessage());
    }

    @Test
    void namesAFileTooShortForAHeader() throws IOException {
        Path labels = dir.resolve("labels");
        Files.write(labels, new byte[]{0, 0});
        IOException e = assertThrows(IOException.class, () -> IdxReader.readLabels(labels.toString(),
                HadoopFileSystems.configuration()));
        assertTrue(e.getMessage().startsWith(labels.toString()), e.getMessage());
    }

    /** What predict reads, which no data check has seen: an empty file is named, not a failure further on. */
    @Test
    void namesAnImageFileWithoutImages() throws IOException {
        Path none = IdxFiles.writeImages(dir.resolve("none"), 0, ROWS, COLUMNS, new byte[0], false);
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(none.toString()));
        assertEquals(none + " holds no images: the header declares 0 images of " + ROWS + "x" + COLUMNS, e.getMessage());
        Path flat = IdxFiles.writeImages(dir.resolve("flat"), COUNT, 0, COLUMNS, new byte[0], false);
        assertTrue(assertThrows(IOException.class, () -> IdxReader.readImages(flat.toString())).getMessage()
                .contains("holds no images"));
    }

    @Test
    void namesBothFilesWhenTheCountsDiffer() throws IOException {
        Path images = IdxFiles.writeImages(dir.resolve("images"), COUNT, ROWS, COLUMNS, pixels(), false);
        Path labels = IdxFiles.writeLabels(dir.resolve("labels"), Arrays.copyOf(LABELS, COUNT - 1), false);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(images.toString(), labels.toString()));
        assertTrue(e.getMessage().contains(images.toString()) && e.getMessage().contains(labels.toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains("5 images") && e.getMessage().contains("4 labels"), e.getMessage());
    }

    /** Values spread over 0..255, both ends included, so the unsigned scaling is checked. */
    private static byte[] pixels() {
        byte[] pixels = new byte[COUNT * ROWS * COLUMNS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 13 % 256);
        }
        pixels[0] = 0;
        pixels[1] = (byte) 255;
        return pixels;
    }
}
