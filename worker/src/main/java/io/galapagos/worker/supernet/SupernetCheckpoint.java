package io.galapagos.worker.supernet;

import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.network.InputSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A supernet's training state in one file through the Hadoop FileSystem API: its {@link SupernetIdentity}, the
 * epochs trained, the shared weights and the optimiser's velocities, so that a killed training continues from its
 * last checkpoint instead of starting again. A zip of one entry per array, written atomically; every entry is
 * read whole, so the zip's CRC-32 vouches for its bytes and a damaged file is refused rather than yielding wrong
 * weights. Errors are one line that names the file. Stateless; thread-safe.
 */
public final class SupernetCheckpoint {

    static final String HEADER = "supernet.properties";
    static final String WEIGHTS = "weights/";
    static final String VELOCITIES = "velocities/";

    /**
     * What a checkpoint holds.
     *
     * @param epochs     whole epochs trained
     * @param weights    the shared weights
     * @param velocities the optimiser's velocities by weight name ({@link NamedSgd#restore})
     */
    public record Contents(int epochs, SharedWeights weights, Map<String, INDArray> velocities) {
    }

    private SupernetCheckpoint() {
    }

    /** Writes the state of a supernet of {@code identity} after {@code epochs} epochs to {@code file}. */
    public static void write(FileSystem fs, Path file, SupernetIdentity identity, int epochs, SharedWeights weights,
                             NamedSgd optimiser) throws IOException {
        HadoopFileSystems.writeAtomically(fs, file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            Properties header = new Properties();
            header.putAll(identity.fields());
            header.put("epochs", String.valueOf(epochs));
            zip.putNextEntry(new ZipEntry(HEADER));
            header.store(zip, "Galapagos supernet checkpoint");
            zip.closeEntry();
            for (String name : weights.names()) {
                putArray(zip, WEIGHTS + name, weights.live(name));
            }
            for (Map.Entry<String, INDArray> velocity : optimiser.velocities().entrySet()) {
                putArray(zip, VELOCITIES + velocity.getKey(), velocity.getValue());
            }
            zip.finish();
        });
    }

    /**
     * Reads {@code file}, which must be a whole checkpoint of a supernet of {@code expected}.
     *
     * @throws IOException naming the file: missing, damaged, not a supernet checkpoint, or of another supernet
     *                     (naming the first field that differs)
     */
    public static Contents read(FileSystem fs, Path file, SupernetIdentity expected) throws IOException {
        Properties header = null;
        Map<String, INDArray> weights = new TreeMap<>();
        Map<String, INDArray> velocities = new TreeMap<>();
        try (FSDataInputStream in = fs.open(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                byte[] bytes = zip.readAllBytes();
                String name = entry.getName();
                if (name.equals(HEADER)) {
                    header = new Properties();
                    header.load(new ByteArrayInputStream(bytes));
                } else if (name.startsWith(WEIGHTS)) {
                    weights.put(name.substring(WEIGHTS.length()), array(bytes));
                } else if (name.startsWith(VELOCITIES)) {
                    velocities.put(name.substring(VELOCITIES.length()), array(bytes));
                }
            }
        } catch (FileNotFoundException e) {
            throw new IOException(file + ": no such file", e);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": damaged or unreadable (" + e.getMessage() + ")", e);
        }
        if (header == null) {
            throw new IOException(file + ": not a supernet checkpoint (no " + HEADER + ")");
        }
        for (Map.Entry<String, String> field : expected.fields().entrySet()) {
            String theirs = header.getProperty(field.getKey());
            if (!field.getValue().equals(theirs)) {
                throw new IOException(file + ": a supernet of " + field.getKey() + " " + theirs + ", not "
                        + field.getValue());
            }
        }
        int epochs;
        try {
            epochs = Integer.parseInt(header.getProperty("epochs", ""));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": no whole number of epochs in " + HEADER);
        }
        return new Contents(epochs, SharedWeights.of(weights), velocities);
    }

    /**
     * Reads every supernet file of {@code spec} (its warm-up's included) that is already written, so that a resumed
     * search refuses a damaged or foreign one on the driver, before anything trains.
     *
     * @return the files found, all whole supernets of {@code spec}
     * @throws IOException naming the first file that is damaged or of another supernet
     */
    public static List<Path> verifyWritten(SupernetSpec spec, Configuration conf) throws IOException {
        InputSpec input = InputSpec.of(DatasetCache.get(spec.data()).train());
        List<SupernetSpec> specs = spec.warmupEpochs() > 0 ? List.of(spec.warmUp(), spec) : List.of(spec);
        List<Path> found = new ArrayList<>();
        for (SupernetSpec s : specs) {
            for (int part = 0; part < s.parts(); part++) {
                Path file = new Path(s.folder(), s.fileName(part));
                FileSystem fs = HadoopFileSystems.of(file, conf);
                if (fs.exists(file)) {
                    read(fs, file, s.identity(part, input));
                    found.add(file);
                }
            }
        }
        return found;
    }

    private static void putArray(ZipOutputStream zip, String name, INDArray array) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(array, out);
        }
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes.toByteArray());
        zip.closeEntry();
    }

    private static INDArray array(byte[] bytes) throws IOException {
        return Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }
}
