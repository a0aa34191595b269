package io.galapagos.driver.job;

import io.galapagos.config.ConfigException;
import io.galapagos.config.DataConfig;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Corrupt, truncated and unreadable data files are one-line configuration errors naming the key and path. */
class DataFilesTest {

    private static final String SOURCE = "conf/x.yaml";
    private static final Configuration HADOOP = new Configuration();

    @TempDir
    Path dir;

    private Path trainImages;
    private Path trainLabels;
    private Path testImages;
    private Path testLabels;

    /** A good set: 5 training and 3 test images of 2x3, labels 0..2. */
    private void goodFiles(boolean gzip) throws IOException {
        trainImages = write("train-images", images(5, 2, 3, 5 * 6), gzip);
        trainLabels = write("train-labels", labels(5, 5), gzip);
        testImages = write("test-images", images(3, 2, 3, 3 * 6), gzip);
        testLabels = write("test-labels", labels(3, 3), gzip);
    }

    private DataConfig data() {
        return new DataConfig(trainImages.toString(), trainLabels.toString(), testImages.toString(),
                testLabels.toString(), 0.1, 0);
    }

    private void check() {
        DataFiles.check(SOURCE, data(), HADOOP);
    }

    private String error() {
        ConfigException e = assertThrows(ConfigException.class, this::check);
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void goodFilesPassPlainOrGzip() throws IOException {
        goodFiles(false);
        check();
        goodFiles(true);
        check();
    }

    @Test
    void theShippedFashionMnistSubsetPasses() {
        Path shipped = Path.of(System.getProperty("user.dir")).getParent().resolve("data/fashion-mnist");
        assumeTrue(Files.isDirectory(shipped), "no " + shipped);
        DataConfig config = new DataConfig(shipped.resolve("train-images-idx3-ubyte.gz").toString(),
                shipped.resolve("train-labels-idx1-ubyte.gz").toString(),
                shipped.resolve("t10k-images-idx3-ubyte.gz").toString(),
                shipped.resolve("t10k-labels-idx1-ubyte.gz").toString(), 0.1, 0);
        long start = System.nanoTime();
        DataFiles.check(SOURCE, config, HADOOP);
        long first = System.nanoTime();
        DataFiles.check(SOURCE, config, HADOOP);
        System.out.printf("DataFiles.check on the shipped Fashion-MNIST subset: %.0f ms first, %.0f ms again%n",
                (first - start) / 1e6, (System.nanoTime() - first) / 1e6);
    }

    @Test
    void aLabelFileNamedAsImagesIsNotAnImageFile() throws IOException {
        goodFiles(false);
        trainImages = write("oops", labels(5, 5), false);
        assertEquals(SOURCE + ": data.train_images: '" + trainImages
                + "' is not an IDX image (idx3-ubyte) file: magic number 0x00000801, expected 0x00000803", error());
    }

    @Test
    void aFileGzippedTwiceHasTheGzipMagicNumber() throws IOException {
        goodFiles(true);
        trainImages = Files.write(dir.resolve("twice.gz"), gzip(Files.readAllBytes(trainImages)));
        assertTrue(error().startsWith(SOURCE + ": data.train_images: '" + trainImages
                + "' is not an IDX image (idx3-ubyte) file: magic number 0x1f8b08"), error());
    }

    @Test
    void truncatedImages() throws IOException {
        goodFiles(false);
        byte[] full = images(14, 2, 3, 14 * 6);
        trainImages = Files.write(dir.resolve("short"), Arrays.copyOf(full, 16 + 9 * 6 + 4));
        trainLabels = write("labels-14", labels(14, 3), false);
        assertEquals(SOURCE + ": data.train_images: '" + trainImages
                + "' is truncated: declares 14 images of 2x3 but holds 9 and part of another", error());
    }

    @Test
    void truncatedLabels() throws IOException {
        goodFiles(false);
        testLabels = Files.write(dir.resolve("short"), Arrays.copyOf(labels(3, 3), 8 + 2));
        assertEquals(SOURCE + ": data.test_labels: '" + testLabels + "' is truncated: declares 3 labels but holds 2",
                error());
    }

    @Test
    void aTruncatedHeader() throws IOException {
        goodFiles(false);
        trainImages = Files.write(dir.resolve("header"), Arrays.copyOf(images(5, 2, 3, 30), 10));
        assertEquals(SOURCE + ": data.train_images: '" + trainImages
                + "' is truncated: its IDX header ends before the rows", error());
        trainImages = Files.write(dir.resolve("empty"), new byte[0]);
        assertEquals(SOURCE + ": data.train_images: '" + trainImages
                + "' is too short to be an IDX file (no 4-byte magic number)", error());
    }

    @Test
    void aGzipFileCutShort() throws IOException {
        goodFiles(true);
        byte[] whole = Files.readAllBytes(trainImages);
        trainImages = Files.write(dir.resolve("half.gz"), Arrays.copyOf(whole, whole.length / 2));
        assertTrue(error().startsWith(SOURCE + ": data.train_images: '" + trainImages + "' is truncated"), error());

        // all the data is there, but not the gzip trailer (CRC and length)
        trainImages = Files.write(dir.resolve("trailer.gz"), Arrays.copyOf(whole, whole.length - 6));
        assertEquals(SOURCE + ": data.train_images: '" + trainImages + "' is truncated: its gzip stream ends before"
                + " the gzip trailer (after all the data the header declares)", error());
    }

    @Test
    void gzipGarbage() throws IOException {
        goodFiles(false);
        trainImages = Files.write(dir.resolve("garbage.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8});
        assertTrue(error().startsWith(SOURCE + ": data.train_images: '" + trainImages
                + "' starts like gzip but its gzip header cannot be read: "), error());

        // a good gzip header, then bytes that do not inflate
        byte[] good = gzip(images(5, 2, 3, 30));
        byte[] bad = Arrays.copyOf(good, good.length);
        Arrays.fill(bad, 10, bad.length, (byte) 0xff);
        trainImages = Files.write(dir.resolve("corrupt.gz"), bad);
        assertTrue(error().startsWith(SOURCE + ": data.train_images: '" + trainImages
                + "' is corrupt: its gzip data cannot be decompressed"), error());

        // a flipped bit in the CRC: the data inflate, the trailer check fails at the end
        bad = Arrays.copyOf(good, good.length);
        bad[bad.length - 8] ^= 1;
        trainImages = Files.write(dir.resolve("crc.gz"), bad);
        assertTrue(error().startsWith(SOURCE + ": data.train_images: '" + trainImages
                + "' is corrupt: its gzip data cannot be decompressed past byte 30 of the IDX data"), error());
    }

    @Test
    void imageAndLabelCountsOfAPairMustAgree() throws IOException {
        goodFiles(false);
        trainLabels = write("four", labels(4, 3), false);
        assertEquals(SOURCE + ": data.train_labels: '" + trainLabels + "' holds 4 labels but data.train_images '"
                + trainImages + "' holds 5 images", error());
    }

    @Test
    void trainingAndTestImagesMustBeOfOneSize() throws IOException {
        goodFiles(false);
        testImages = write("big", images(3, 3, 3, 27), false);
        assertEquals(SOURCE + ": data.test_images: '" + testImages + "' holds images of 3x3 but data.train_images '"
                + trainImages + "' holds images of 2x3", error());
    }

    @Test
    void oneClassIsNotEnough() throws IOException {
        goodFiles(false);
        trainLabels = write("zeros", labels(5, 1), false);
        assertEquals(SOURCE + ": data.train_labels: '" + trainLabels + "' holds only the label 0: a classifier needs "
                + "training examples of at least 2 classes", error());
        // the test file's other classes do not help: the network would never see one in training
        trainLabels = write("sevens", shifted(labels(5, 1), 7), false);
        testLabels = write("ten-classes", labels(3, 3), false);
        assertEquals(SOURCE + ": data.train_labels: '" + trainLabels + "' holds only the label 7: a classifier needs "
                + "training examples of at least 2 classes", error());
    }

    @Test
    void oneTrainingExampleIsNotEnough() throws IOException {
        goodFiles(false);
        trainImages = write("one-image", images(1, 2, 3, 6), false);
        trainLabels = write("one-label", labels(1, 1), false);
        assertEquals(SOURCE + ": data.train_labels: '" + trainLabels + "' holds only the label 0: a classifier needs "
                + "training examples of at least 2 classes", error());
    }

    /** Label bytes plus {@code by}. */
    private static byte[] shifted(byte[] labelFile, int by) {
        byte[] shifted = labelFile.clone();
        for (int i = 8; i < shifted.length; i++) {
            shifted[i] += (byte) by;
        }
        return shifted;
    }

    @Test
    void implausibleHeaders() throws IOException {
        goodFiles(false);
        trainImages = write("negative", header(0x803, 5, -2, 3), false);
        assertEquals(SOURCE + ": data.train_images: '" + trainImages
                + "' has a corrupt IDX header: the rows is -2", error());
        trainImages = write("none", header(0x803, 0, 2, 3), false);
        assertEquals(SOURCE + ": data.train_images: '" + trainImages
                + "' holds no images: the header declares 0 images of 2x3", error());
        trainImages = write("huge", header(0x803, 1_000_000_000, 28, 28), false);
        assertEquals(SOURCE + ": data.train_images: '" + trainImages + "' declares 1000000000 images of 28x28,"
                + " too many to hold in one array (is the header corrupt?)", error());
    }

    @Test
    void aFolderIsNotAFile() throws IOException {
        goodFiles(false);
        testImages = Files.createDirectory(dir.resolve("folder"));
        assertEquals(SOURCE + ": data.test_images: '" + testImages + "' is not a file", error());
    }

    @Test
    void aMissingFile() throws IOException {
        goodFiles(false);
        testLabels = dir.resolve("missing");
        assertEquals(SOURCE + ": data.test_labels: '" + testLabels + "' does not exist", error());
    }

    @Test
    void aMissingFileWhereADebianDataSetPackageInstallsItNamesThePackage() {
        assertEquals("; it comes with Debian's package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)",
                DataFiles.debianHint("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"));
        assertEquals("; it comes with Debian's package dataset-mnist (apt-get install dataset-mnist)",
                DataFiles.debianHint("file:/usr/share/datasets/mnist/t10k-labels-idx1-ubyte.gz"));
        assertEquals("", DataFiles.debianHint("/usr/share/datasets"));
        assertEquals("", DataFiles.debianHint("/home/me/fashion-mnist/train-images-idx3-ubyte.gz"));
    }

    /**
     * Names that exist but hold no data: a named pipe (which, opened, would wait for a writer forever) and a
     * Unix domain socket (which no one, root included, can open) are refused before they are opened.
     */
    @Test
    void aNamedPipeOrASocketInPlaceOfTheFile() throws Exception {
        goodFiles(false);
        testImages = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", testImages.toString()).redirectErrorStream(true).start();
        assertEquals(0, mkfifo.waitFor(), new String(mkfifo.getInputStream().readAllBytes()));
        assertEquals(SOURCE + ": data.test_images: '" + testImages + "' is not a regular file (a named pipe, socket or"
                + " device), so it holds no data to read", assertTimeoutPreemptively(Duration.ofSeconds(20), this::error));

        goodFiles(false);
        trainLabels = dir.resolve("socket");
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(trainLabels));
            assertEquals(SOURCE + ": data.train_labels: '" + trainLabels + "' is not a regular file (a named pipe,"
                    + " socket or device), so it holds no data to read", error());
        }
    }

    @Test
    void aLinkToAMissingFile() throws IOException {
        goodFiles(false);
        Path target = dir.resolve("moved-away");
        trainImages = Files.createSymbolicLink(dir.resolve("link"), target);
        assertEquals(SOURCE + ": data.train_images: '" + trainImages + "' is a link to '" + target
                + "', which does not exist", error());
    }

    /** Skipped as root, who may read any file; the cases above are unreadable to root too. */
    @Test
    void aFileWithoutReadPermission() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
        goodFiles(false);
        Files.setPosixFilePermissions(trainLabels, PosixFilePermissions.fromString("---------"));
        assertTrue(error().startsWith(SOURCE + ": data.train_labels: '" + trainLabels + "' cannot be opened: "),
                error());
    }

    private Path write(String name, byte[] bytes, boolean gzip) throws IOException {
        return Files.write(dir.resolve(name + (gzip ? ".gz" : "")), gzip ? gzip(bytes) : bytes);
    }

    private static byte[] header(int magic, int... dimensions) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dimensions) {
            out.writeInt(d);
        }
        return bytes.toByteArray();
    }

    private static byte[] images(int count, int rows, int columns, int pixels) throws IOException {
        byte[] head = header(0x803, count, rows, columns);
        byte[] all = Arrays.copyOf(head, head.length + pixels);
        for (int i = 0; i < pixels; i++) {
            all[head.length + i] = (byte) (i * 37);
        }
        return all;
    }

    /** {@code count} labels cycling through 0 .. classes - 1. */
    private static byte[] labels(int count, int classes) throws IOException {
        byte[] head = header(0x801, count);
        byte[] all = Arrays.copyOf(head, head.length + count);
        for (int i = 0; i < count; i++) {
            all[head.length + i] = (byte) (i % classes);
        }
        return all;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
