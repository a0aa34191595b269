package io.galapagos.worker.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

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
 * expected kind (magic number), truncated, or images and labels of different counts. Stateless;
 * thread-safe.
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
     * The examples of an image file and its label file, features scaled to [0, 1], with one channel and
     * as many classes as the largest label + 1.
     */
    public static ImageDataset read(String imagesLocation, String labelsLocation) throws IOException {
        int[] labels = readLabels(labelsLocation);
        try (DataInputStream in = open(imagesLocation)) {
            int count = header(in, imagesLocation, IMAGES_MAGIC, "image (idx3-ubyte)");
            int rows = dimension(in, imagesLocation, "rows");
            int columns = dimension(in, imagesLocation, "columns");
            if (count != labels.length) {
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

    static int[] readLabels(String location) throws IOException {
        try (DataInputStream in = open(location)) {
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
        InputStream raw;
        try {
            Path path = new Path(location);
            raw = path.getFileSystem(new Configuration()).open(path);
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
            throw new IOException(location + ": cannot read the gzip header: " + e.getMessage(), e);
        }
    }

    /** Checks the magic number and returns the first dimension, the item count. */
    private static int header(DataInputStream in, String location, int expectedMagic, String kind) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IOException(location + ": too short to be an IDX file (no 4-byte magic number)", e);
        }
        if (magic != expectedMagic) {
            throw new IOException(String.format("%s: not an IDX %s file: magic number 0x%08x, expected 0x%08x",
                    location, kind, magic, expectedMagic));
        }
        return dimension(in, location, "count");
    }

    private static int dimension(DataInputStream in, String location, String name) throws IOException {
        int value;
        try {
            value = in.readInt();
        } catch (EOFException e) {
            throw new IOException(location + ": truncated IDX header (the " + name + " is missing)", e);
        }
        if (value < 0) {
            throw new IOException(location + ": bad IDX header: " + name + " is " + value);
        }
        return value;
    }

    private static byte[] body(DataInputStream in, String location, int length, String declared) throws IOException {
        byte[] bytes = new byte[length];
        int read = 0;
        try {
            for (int n; read < length && (n = in.read(bytes, read, length - read)) >= 0; ) {
                read += n;
            }
        } catch (EOFException e) {
            // a gzip stream cut short ends this way rather than with -1; reported below with the count
        } catch (IOException e) {
            throw new IOException(location + ": read failed after " + read + " bytes of data: " + e.getMessage(), e);
        }
        if (read < length) {
            throw new IOException(location + ": truncated: the header declares " + declared + " (" + length
                    + " bytes) but the file ends after " + read);
        }
        return bytes;
    }
}
