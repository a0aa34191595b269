package io.galapagos.worker.supernet;

import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.network.InputSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A supernet's training state in one file through the Hadoop FileSystem API ({@link ArrayArchive}): its
 * {@link SupernetIdentity}, the epochs trained, the shared weights and the optimiser's state, so that a killed
 * training continues from its last checkpoint instead of starting again. Stateless; thread-safe.
 */
public final class SupernetCheckpoint {

    static final String HEADER = "supernet.properties";
    static final String WEIGHTS = "weights/";
    static final String OPTIMISER = "optimiser/";

    /**
     * What a checkpoint holds.
     *
     * @param epochs     whole epochs trained
     * @param weights    the shared weights
     * @param optimiser  the optimiser's state ({@link NamedOptimiser#restore})
     */
    public record Contents(int epochs, SharedWeights weights, Map<String, INDArray> optimiser) {
    }

    private SupernetCheckpoint() {
    }

    /** Writes the state of a supernet of {@code identity} after {@code epochs} epochs to {@code file}. */
    public static void write(FileSystem fs, Path file, SupernetIdentity identity, int epochs, SharedWeights weights,
                             NamedOptimiser optimiser) throws IOException {
        Properties header = new Properties();
        header.putAll(identity.fields());
        header.put("epochs", String.valueOf(epochs));
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        weights.names().forEach(name -> arrays.put(WEIGHTS + name, weights.live(name)));
        optimiser.state().forEach((key, s) -> arrays.put(OPTIMISER + key, s));
        ArrayArchive.write(fs, file, HEADER, header, arrays);
    }

    /**
     * Whether {@code file} exists, once a write a crash cut before its rename is finished
     * ({@link ArrayArchive#exists}).
     */
    public static boolean exists(FileSystem fs, Path file) throws IOException {
        return ArrayArchive.exists(fs, file, HEADER);
    }

    /**
     * Reads {@code file}, which must be a whole checkpoint of a supernet of {@code expected}.
     *
     * @throws IOException naming the file: missing, damaged, not a supernet checkpoint, or of another supernet
     *                     (naming the first field that differs)
     */
    public static Contents read(FileSystem fs, Path file, SupernetIdentity expected) throws IOException {
        ArrayArchive.Contents contents = ArrayArchive.read(fs, file, HEADER, expected.fields(), "a supernet");
        int epochs = ArrayArchive.integer(file, contents.header(), "epochs");
        return new Contents(epochs, SharedWeights.of(contents.under(WEIGHTS)), contents.under(OPTIMISER));
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
                if (exists(fs, file)) {
                    read(fs, file, s.identity(part, input));
                    found.add(file);
                }
            }
        }
        return found;
    }
}
