package io.galapagos.worker.darts;

import io.galapagos.space.CellArchitecture;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.supernet.ArrayArchive;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One DARTS search's state after a whole epoch, in one file through the Hadoop FileSystem API
 * ({@link ArrayArchive}): the network weights and their SGD velocities, {@code alpha} and its Adam state, the epochs
 * done, and the last epoch's record, so that a driver killed after the file was written but before it journaled
 * that epoch gets the record back instead of training the epoch again. Stateless; thread-safe.
 */
public final class DartsCheckpoint {

    static final String HEADER = "darts.properties";
    private static final String WEIGHTS = "weights/";
    private static final String VELOCITIES = "velocities/";
    private static final String ALPHA = "alpha";
    private static final String ADAM_FIRST = "adam/first";
    private static final String ADAM_SECOND = "adam/second";
    private static final String LAST_MIXING = "last/mixing";

    private DartsCheckpoint() {
    }

    /** Writes {@code search}'s state after {@code last}, its epoch {@code last.epoch()}, to {@code file}. */
    public static void write(FileSystem fs, Path file, Map<String, String> identity, MixedCellSupernet supernet,
                             DartsSearch search, DartsSearch.Epoch last) throws IOException {
        Properties header = new Properties();
        header.putAll(identity);
        header.put("epochs", String.valueOf(last.epoch() + 1));
        AlphaAdam.State adam = search.alphaOptimiser().state();
        header.put("adam_steps", String.valueOf(adam.steps()));
        header.put("last.aux_skip", String.valueOf(last.auxiliarySkip()));
        header.put("last.train_loss", String.valueOf(last.trainLoss()));
        header.put("last.train_accuracy", String.valueOf(last.trainAccuracy()));
        header.put("last.held_out_loss", String.valueOf(last.heldOutLoss()));
        header.put("last.held_out_accuracy", String.valueOf(last.heldOutAccuracy()));
        header.put("last.derived", last.derived().text());
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        supernet.weights().forEach((name, w) -> arrays.put(WEIGHTS + name, w));
        search.weightOptimiser().state().forEach((name, v) -> arrays.put(VELOCITIES + name, v));
        arrays.put(ALPHA, supernet.alpha());
        if (adam.first() != null) {
            arrays.put(ADAM_FIRST, adam.first());
            arrays.put(ADAM_SECOND, adam.second());
        }
        arrays.put(LAST_MIXING, Nd4j.create(last.mixingWeights()));
        ArrayArchive.write(fs, file, HEADER, header, arrays);
    }

    /**
     * Restores {@code file}, a checkpoint of a search of {@code identity}, into {@code supernet} and {@code search}.
     *
     * @return the last epoch's record; empty when there is no file (nothing to restore)
     * @throws IOException naming the file: damaged, not a DARTS checkpoint, of another search, or not matching the
     *                     supernet's weights
     */
    public static Optional<DartsSearch.Epoch> restore(FileSystem fs, Path file, Map<String, String> identity,
                                                      MixedCellSupernet supernet, DartsSearch search)
            throws IOException {
        if (!ArrayArchive.exists(fs, file, HEADER)) {
            return Optional.empty();
        }
        ArrayArchive.Contents contents = ArrayArchive.read(fs, file, HEADER, identity, "a DARTS search");
        Properties header = contents.header();
        Map<String, INDArray> weights = contents.under(WEIGHTS);
        Map<String, INDArray> live = supernet.weights();
        if (!weights.keySet().equals(live.keySet()) || !contents.arrays().containsKey(ALPHA)) {
            throw new IOException(file + ": its weights are not this supernet's");
        }
        for (Map.Entry<String, INDArray> w : live.entrySet()) {
            INDArray saved = weights.get(w.getKey());
            if (!Arrays.equals(saved.shape(), w.getValue().shape())) {
                throw new IOException(file + ": weight " + w.getKey() + " has another shape than this supernet's");
            }
            w.getValue().assign(saved);
        }
        supernet.alpha().assign(contents.arrays().get(ALPHA));
        search.weightOptimiser().restore(contents.under(VELOCITIES));
        search.alphaOptimiser().restore(new AlphaAdam.State(contents.arrays().get(ADAM_FIRST),
                contents.arrays().get(ADAM_SECOND), ArrayArchive.integer(file, header, "adam_steps")));
        int epochs = ArrayArchive.integer(file, header, "epochs");
        try {
            return Optional.of(new DartsSearch.Epoch(epochs - 1, number(header, "last.aux_skip"),
                    number(header, "last.train_loss"), number(header, "last.train_accuracy"),
                    number(header, "last.held_out_loss"), number(header, "last.held_out_accuracy"),
                    contents.arrays().get(LAST_MIXING).toDoubleMatrix(),
                    CellArchitecture.parse(header.getProperty("last.derived"))));
        } catch (RuntimeException e) {
            throw new IOException(file + ": its last epoch's record is damaged (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads every checkpoint of {@code spec} that is already written, so that a resumed search refuses a damaged or
     * foreign one on the driver, before anything trains.
     *
     * @return the files found, all whole checkpoints of {@code spec}'s searches
     * @throws IOException naming the first file that is damaged or of another search
     */
    public static List<Path> verifyWritten(DartsSpec spec, Configuration conf) throws IOException {
        InputSpec input = InputSpec.of(DatasetCache.get(spec.data()).train());
        List<Path> found = new ArrayList<>();
        for (int index = 0; index < spec.seeds(); index++) {
            Path file = new Path(spec.folder(), spec.fileName(index));
            FileSystem fs = HadoopFileSystems.of(file, conf);
            if (ArrayArchive.exists(fs, file, HEADER)) {
                ArrayArchive.read(fs, file, HEADER, spec.identity(index, input), "a DARTS search");
                found.add(file);
            }
        }
        return found;
    }

    private static double number(Properties header, String key) {
        return Double.parseDouble(header.getProperty(key));
    }
}
