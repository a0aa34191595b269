package io.galapagos.worker.supernet;

import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The file format of training checkpoints that outlive an executor (supernets, DARTS searches), through the Hadoop
 * FileSystem API: a zip of a header of text fields and one entry per named array, written atomically. Every entry is
 * read whole, so the zip's CRC-32 vouches for its bytes, and the header counts the arrays, so a file cut short is
 * refused too, rather than yielding wrong or missing weights; a header whose identifying fields differ from the
 * expected ones is refused naming the first that differs. Errors are one line that names the file. Stateless; thread-safe.
 */
public final class ArrayArchive {

    /**
     * What a file holds.
     *
     * @param header its text fields
     * @param arrays its arrays by entry name
     */
    public record Contents(Properties header, Map<String, INDArray> arrays) {

        /** The arrays whose entry names start with {@code prefix}, by the rest of their names. */
        public Map<String, INDArray> under(String prefix) {
            Map<String, INDArray> found = new TreeMap<>();
            arrays.forEach((name, array) -> {
                if (name.startsWith(prefix)) {
                    found.put(name.substring(prefix.length()), array);
                }
            });
            return found;
        }
    }

    /**
     * The header field holding the number of arrays written. A zip read as a stream ends without an error where a
     * truncated file ends between entries, and the CRC-32 vouches only for the entries it holds: the count is what
     * tells a file cut short from a whole one.
     */
    static final String ARRAY_COUNT = "archive.arrays";

    private ArrayArchive() {
    }

    /** Writes {@code header} (as the entry {@code headerName}) and {@code arrays} to {@code file}, atomically. */
    public static void write(FileSystem fs, Path file, String headerName, Properties header,
                             Map<String, INDArray> arrays) throws IOException {
        Properties counted = new Properties();
        counted.putAll(header);
        counted.setProperty(ARRAY_COUNT, String.valueOf(arrays.size()));
        HadoopFileSystems.writeAtomically(fs, file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry(headerName));
            counted.store(zip, "Galapagos checkpoint");
            zip.closeEntry();
            for (Map.Entry<String, INDArray> array : arrays.entrySet()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream data = new DataOutputStream(bytes)) {
                    Nd4j.write(array.getValue(), data);
                }
                zip.putNextEntry(new ZipEntry(array.getKey()));
                zip.write(bytes.toByteArray());
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /**
     * Whether {@code file} exists, once a write that a crash cut between deleting the earlier file and renaming the new
     * one into place (on a file system whose rename does not replace a file) is finished: without it the checkpoint of
     * every epoch done so far would be gone. The newest temporary file of {@code file} that reads back whole (every
     * array its header counts) becomes {@code file}; one cut short is passed over.
     */
    public static boolean exists(FileSystem fs, Path file, String headerName) throws IOException {
        if (fs.exists(file)) {
            return true;
        }
        for (FileStatus left : HadoopFileSystems.leftTemporaries(fs, file)) {
            try {
                read(fs, left.getPath(), headerName, Map.of(), "a");
            } catch (IOException cutShort) {
                continue; // left as it is: it may be a write still going on
            }
            if (fs.rename(left.getPath(), file)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads {@code file}, whose header (the entry {@code headerName}) must hold {@code expected}'s fields.
     *
     * @param what what such a file is of, for messages ("a supernet")
     * @throws IOException naming the file: missing, damaged, without the header, or of another {@code what} (naming
     *                     the first field that differs)
     */
    public static Contents read(FileSystem fs, Path file, String headerName, Map<String, String> expected, String what)
            throws IOException {
        Properties header = null;
        Map<String, INDArray> arrays = new TreeMap<>();
        try (FSDataInputStream in = fs.open(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                byte[] bytes = zip.readAllBytes();
                if (entry.getName().equals(headerName)) {
                    header = new Properties();
                    header.load(new ByteArrayInputStream(bytes));
                } else {
                    arrays.put(entry.getName(), Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes))));
                }
            }
        } catch (FileNotFoundException e) {
            throw new IOException(file + ": no such file", e);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": damaged or unreadable (" + e.getMessage() + ")", e);
        }
        if (header == null) {
            throw new IOException(file + ": not " + what + " checkpoint (no " + headerName + ")");
        }
        if (header.getProperty(ARRAY_COUNT) == null) {
            throw new IOException(file + ": " + what + " checkpoint written by an earlier version of Galapagos, which "
                    + "did not count its arrays; delete it to train it again");
        }
        if (!String.valueOf(arrays.size()).equals(header.getProperty(ARRAY_COUNT))) {
            throw new IOException(file + ": damaged or unreadable (it ends after " + arrays.size() + " of "
                    + header.getProperty(ARRAY_COUNT) + " arrays)");
        }
        for (Map.Entry<String, String> field : expected.entrySet()) {
            String theirs = header.getProperty(field.getKey());
            if (theirs == null) {
                throw new IOException(file + ": " + what + " checkpoint written by an earlier version of Galapagos, "
                        + "which did not record its " + field.getKey() + "; delete it to train it again");
            }
            if (!field.getValue().equals(theirs)) {
                throw new IOException(file + ": " + what + " of " + field.getKey() + " " + theirs + ", not "
                        + field.getValue());
            }
        }
        return new Contents(header, arrays);
    }

    /** The whole number {@code key} of {@code header}. */
    public static int integer(Path file, Properties header, String key) throws IOException {
        try {
            return Integer.parseInt(header.getProperty(key, ""));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": no whole number of " + key + " in its header");
        }
    }
}
