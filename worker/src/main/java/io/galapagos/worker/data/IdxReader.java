package io.galapagos.worker.data;

import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.LongFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a pair of IDX files, unsigned-byte images ({@code idx3-ubyte}) and labels ({@code idx1-ubyte}), the
 * format of MNIST and Fashion-MNIST, into an {@link ImageDataset}. Each file may be plain or gzip; gzip is
 * recognised by its magic bytes, not by the file name.
 *
 * <p>Locations are Hadoop paths ({@code file:}, {@code hdfs:}, {@code s3a:} URIs); a path without a
 * scheme resolves against the default file system of a fresh Hadoop {@link Configuration}, which is the
 * local one unless a {@code core-site.xml} on the class path says otherwise.
 *
 * <p>Every problem is an {@link IOException} whose message names the file: missing, not IDX of the
 * expected kind (magic number), truncated, or images and labels of different counts; a problem with a
 * file's content is an {@link IdxFormatException}. {@link #checkImages} and {@link #checkLabels} read a file
 * through without keeping it, to check it before a search starts. Stateless; thread-safe.
 */
public final class IdxReader {

    /** Unsigned bytes (0x08), three dimensions: count, rows, columns. */
    static final int IMAGES_MAGIC = 0x00000803;
    /** Unsigned bytes (0x08), one dimension: count. */
    static final int LABELS_MAGIC = 0x00000801;

    private static final int GZIP_MAGIC = 0x1f8b;
    private static final int BUFFER = 1 << 16;

    private IdxReader() {
    }

    /**
     * What a file holds that is wrong for its role, with the problem in words that follow the location
     * ({@code "is truncated: ..."}), so that a caller can quote the location its own way.
     */
    public static final class IdxFormatException extends IOException {

        private final String problem;

        IdxFormatException(String location, String problem, Throwable cause) {
            super(location + " " + problem, cause);
            this.problem = problem;
        }

        /** The problem without the location, starting with a verb: "is not an IDX ...", "is truncated: ...". */
        public String problem() {
            return problem;
        }
    }

    /**
     * What a checked IDX file holds: the item count, and for images their rows and columns (0 for labels),
     * for labels the largest label (-1 for images) and how many distinct labels there are (0 for images).
     */
    public record Contents(int count, int rows, int columns, int maxLabel, int distinctLabels) {
    }

    /**
     * Reads an image file ({@code idx3-ubyte}, plain or gzip) through to its end without keeping it, and
     * checks that it declares at least one image of at least 1x1 pixels, that the images fit in one array
     * (as {@link #read} needs), and that the file holds every byte it declares (for gzip, also that the stream
     * ends with its trailer).
     *
     * @throws IdxFormatException when the content is wrong; another {@link IOException} when the file cannot
     *                            be opened or read ({@link FileNotFoundException} when missing or forbidden)
     */
    public static Contents checkImages(String location, Configuration hadoop) throws IOException {
        try (DataInputStream in = open(location, hadoop)) {
            int count = header(in, location, IMAGES_MAGIC, "image (idx3-ubyte)");
            int rows = dimension(in, location, "rows");
            int columns = dimension(in, location, "columns");
            requireImages(location, count, rows, columns);
            long values = (long) count * rows * columns;
            if (values > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException(location, "declares " + count + " images of " + rows + "x" + columns
                        + ", too many to hold in one array (is the header corrupt?)", null);
            }
            long rowSize = (long) rows * columns;
            drain(in, location, values, null, held -> "declares " + count + " images of " + rows + "x" + columns
                    + " but holds " + held / rowSize + (held % rowSize == 0 ? "" : " and part of another"));
            return new Contents(count, rows, columns, -1, 0);
        }
    }

    private static void requireImages(String location, int count, int rows, int columns) throws IdxFormatException {
        if (count == 0 || rows == 0 || columns == 0) {
            throw new IdxFormatException(location, "holds no images: the header declares " + count + " images of "
                    + rows + "x" + columns, null);
        }
    }

    /** The image count and size an image file's header declares ({@code maxLabel} -1), reading nothing more. */
    public static Contents imagesHeader(String location, Configuration hadoop) throws IOException {
        try (DataInputStream in = open(location, hadoop)) {
            int count = header(in, location, IMAGES_MAGIC, "image (idx3-ubyte)");
            return new Contents(count, dimension(in, location, "rows"), dimension(in, location, "columns"), -1, 0);
        }
    }

    /** As {@link #checkImages}, for a label file ({@code idx1-ubyte}); also finds the largest label. */
    public static Contents checkLabels(String location, Configuration hadoop) throws IOException {
        try (DataInputStream in = open(location, hadoop)) {
            int count = header(in, location, LABELS_MAGIC, "label (idx1-ubyte)");
            if (count == 0) {
                throw new IdxFormatException(location, "holds no labels: the header declares 0", null);
            }
            boolean[] seen = new boolean[256];
            drain(in, location, count, seen, held -> "declares " + count + " labels but holds " + held);
            int maxLabel = -1;
            int distinct = 0;
            for (int label = 0; label < seen.length; label++) {
                if (seen[label]) {
                    maxLabel = label;
                    distinct++;
                }
            }
            return new Contents(count, 0, 0, maxLabel, distinct);
        }
    }

    /**
     * The examples of an image file and its label file, features scaled to [0, 1], with one channel and
     * as many classes as the largest label + 1.
     */
    public static ImageDataset read(String imagesLocation, String labelsLocation) throws IOException {
        return read(imagesLocation, labelsLocation, HadoopFileSystems.configuration());
    }

    /** As {@link #read(String, String)}, through the file systems {@code hadoop} configures. */
    public static ImageDataset read(String imagesLocation, String labelsLocation, Configuration hadoop)
            throws IOException {
        return images(imagesLocation, readLabels(labelsLocation, hadoop), labelsLocation, hadoop);
    }

    /** The images of an image file alone, scaled as {@link #read} scales them, each labelled 0: for predicting. */
    public static ImageDataset readImages(String imagesLocation) throws IOException {
        return images(imagesLocation, null, null, HadoopFileSystems.configuration());
    }

    /** {@code labels} null: as many zeros as the file has images. */
    private static ImageDataset images(String imagesLocation, int[] labels, String labelsLocation,
                                       Configuration hadoop) throws IOException {
        try (DataInputStream in = open(imagesLocation, hadoop)) {
            int count = header(in, imagesLocation, IMAGES_MAGIC, "image (idx3-ubyte)");
            int rows = dimension(in, imagesLocation, "rows");
            int columns = dimension(in, imagesLocation, "columns");
            // predict reads a file no check has seen
            requireImages(imagesLocation, count, rows, columns);
            if (labels == null) {
                labels = new int[count];
            } else if (count != labels.length) {
                throw new IOException(imagesLocation + " holds " + count + " images but " + labelsLocation
                        + " holds " + labels.length + " labels");
            }
            long values = (long) count * rows * columns;
            if (values > Integer.MAX_VALUE - 8) {
                throw new IOException(imagesLocation + ": " + count + " images of " + rows + "x" + columns
                        + " are too many to hold in one array");
            }
            byte[] pixels = body(in, imagesLocation, (int) values, count + " images of " + rows + "x" + columns);
            float[] features = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                features[i] = (pixels[i] & 0xff) / 255f;
            }
            return new ImageDataset(features, labels, rows, columns, 1, ImageDataset.maxLabel(labels) + 1);
        }
    }

    static int[] readLabels(String location, Configuration hadoop) throws IOException {
        try (DataInputStream in = open(location, hadoop)) {
            int count = header(in, location, LABELS_MAGIC, "label (idx1-ubyte)");
            byte[] bytes = body(in, location, count, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xff;
            }
            return labels;
        }
    }

    private static DataInputStream open(String location) throws IOException {
        return open(location, HadoopFileSystems.configuration());
    }

    private static DataInputStream open(String location, Configuration hadoop) throws IOException {
        InputStream raw;
        try {
            Path path = new Path(location);
            raw = HadoopFileSystems.of(path, hadoop).open(path);
        } catch (FileNotFoundException e) {
            FileNotFoundException missing = new FileNotFoundException("IDX file not found: " + location);
            missing.initCause(e);
            throw missing;
        } catch (IllegalArgumentException e) {
            throw new IOException("not a usable path: '" + location + "': " + e.getMessage(), e);
        }
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
            buffered.mark(2);
            int magic = (buffered.read() << 8) | buffered.read();
            buffered.reset();
            InputStream content = magic == GZIP_MAGIC
                    ? new BufferedInputStream(new GZIPInputStream(buffered, BUFFER), BUFFER) : buffered;
            return new DataInputStream(content);
        } catch (IOException e) {
            raw.close();
            throw new IdxFormatException(location, "starts like gzip but its gzip header cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** Checks the magic number and returns the first dimension, the item count. */
    private static int header(DataInputStream in, String location, int expectedMagic, String kind) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(location, "is too short to be an IDX file (no 4-byte magic number)", e);
        } catch (ZipException e) {
            throw corruptGzip(location, "", e);
        }
        if (magic != expectedMagic) {
            throw new IdxFormatException(location, String.format(
                    "is not an IDX %s file: magic number 0x%08x, expected 0x%08x", kind, magic, expectedMagic), null);
        }
        return dimension(in, location, "count");
    }

    private static int dimension(DataInputStream in, String location, String name) throws IOException {
        int value;
        try {
            value = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(location, "is truncated: its IDX header ends before the " + name, e);
        } catch (ZipException e) {
            throw corruptGzip(location, "", e);
        }
        if (value < 0) {
            throw new IdxFormatException(location, "has a corrupt IDX header: the " + name + " is " + value, null);
        }
        return value;
    }

    /**
     * Reads to the end of the stream, which must hold at least {@code declared} bytes ({@code shortfall} says
     * what it holds instead, from the bytes held) and, when gzip, end with its trailer. Marks in {@code seen}, when
     * given, the values (unsigned) among the first {@code declared} bytes.
     */
    private static void drain(DataInputStream in, String location, long declared, boolean[] seen,
                              LongFunction<String> shortfall) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long held = 0;
        boolean cutShort = false;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (seen != null && held < declared) {
                    for (int i = 0, end = (int) Math.min(n, declared - held); i < end; i++) {
                        seen[buffer[i] & 0xff] = true;
                    }
                }
                held += n;
            }
        } catch (EOFException e) {
            cutShort = true; // a gzip stream cut short ends this way rather than with -1
        } catch (IOException e) {
            throw readFailure(location, held, e);
        }
        if (held < declared) {
            throw new IdxFormatException(location, "is truncated: " + shortfall.apply(held), null);
        }
        if (cutShort) {
            throw new IdxFormatException(location, "is truncated: its gzip stream ends before the gzip trailer"
                    + " (after all the data the header declares)", null);
        }
    }

    /** Corrupt gzip data is the file's problem; any other failure is reported as a failed read. */
    private static IOException readFailure(String location, long read, IOException e) {
        if (e instanceof ZipException zip) {
            return corruptGzip(location, " past byte " + read + " of the IDX data", zip);
        }
        return new IOException(location + ": read failed after " + read + " bytes of data: " + e.getMessage(), e);
    }

    private static IdxFormatException corruptGzip(String location, String where, ZipException e) {
        return new IdxFormatException(location, "is corrupt: its gzip data cannot be decompressed" + where + ": "
                + e.getMessage(), e);
    }

    private static byte[] body(DataInputStream in, String location, int length, String declared) throws IOException {
        // grown as the data arrives, up to the declared length: a corrupt header declaring gigabytes before a few bytes
        // of data is a truncated file, not an OutOfMemoryError
        byte[] bytes = new byte[Math.min(length, BUFFER)];
        int read = 0;
        try {
            for (int n; read < length; read += n) {
                if (read == bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
                }
                n = in.read(bytes, read, bytes.length - read);
                if (n < 0) {
                    break;
                }
            }
        } catch (EOFException e) {
            // a gzip stream cut short ends this way rather than with -1; reported below with the count
        } catch (IOException e) {
            throw readFailure(location, read, e);
        }
        if (read < length) {
            throw new IdxFormatException(location, "is truncated: the header declares " + declared + " (" + length
                    + " bytes) but the file ends after " + read, null);
        }
        return bytes;
    }
}
