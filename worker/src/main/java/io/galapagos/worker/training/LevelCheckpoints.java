package io.galapagos.worker.training;

import io.galapagos.config.TrainingConfig;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The state of trainings at fidelity levels below the last, kept in a folder on any Hadoop FileSystem so that
 * a promoted candidate continues its lower level's training instead of starting again (ASHA-style promotion).
 * The checkpoint of an architecture at level {@code k} is {@code <folder>/<key>-L<k>.zip}, where the key is the
 * first 16 hex digits of the SHA-256 of the architecture's canonical text ({@link #fileName}); the file's
 * {@link CheckpointState} names the architecture in full, so that a collision is never mistaken for a match.
 * (architecture, level) names one training within a search, but for Hyperband in a nearly exhausted space, which
 * can run an architecture twice at one level: both write the one file, each whole, and the last written is kept.
 *
 * <p>Files are written atomically (a unique temporary name, then a rename), so a reader sees a whole file or
 * none. A missing, damaged or mismatched checkpoint (another format, other data or optimiser settings, no fewer
 * epochs than asked, arrays of other sizes) never fails a trial: it is passed over, logged unless simply absent,
 * and the next lower level tried, down to training from scratch. Writing never fails one either: a checkpoint
 * that cannot be written is logged, and its promotion will train from scratch. Thread-safe: it holds only
 * settings and a Hadoop configuration it only reads.
 */
final class LevelCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(LevelCheckpoints.class);

    private final Path folder;
    private final String settings;
    /** Made where the runner is, on the executor: a fresh one reads the node's Hadoop configuration files. */
    private final Configuration hadoop = HadoopFileSystems.configuration();

    /**
     * @param folder   the folder's URI or path; created on the first write
     * @param data     the data the trainings read
     * @param training the settings they train under
     */
    LevelCheckpoints(String folder, TrainingData<?> data, TrainingConfig training) {
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException("a checkpoint folder is required");
        }
        this.folder = new Path(folder);
        this.settings = settings(data, training);
    }

    /**
     * What decides the state a number of epochs of training yields, besides the architecture and the seed: the
     * data and the optimiser settings. The time cap, the epochs of each level, latency and FLOPs limits do not
     * change a whole epoch's result, so a resumed search may change them and still continue; under a cosine
     * schedule the full training's epochs set every mini-batch's learning rate, so they count.
     */
    static String settings(TrainingData<?> data, TrainingConfig training) {
        String settings = data + "; batch_size=" + training.batchSize() + "; learning_rate=" + training.learningRate();
        return training.schedule() == TrainingConfig.LearningRateSchedule.CONSTANT ? settings
                : settings + "; lr_schedule=" + training.schedule().text() + " over " + training.epochs() + " epochs";
    }

    /** The file name of {@code architecture}'s checkpoint at {@code level}: {@code <key>-L<level>.zip}. */
    static String fileName(String architecture, int level) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(architecture.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 16) + "-L" + level + ".zip";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * Saves {@code graph} (weights and updater state), trained for {@code epochs} whole epochs in the order of
     * {@code seed}, as {@code architecture}'s checkpoint at {@code level}. Call it on the thread that trained the
     * graph, right after training: the thread's random generator state (dropout) is part of the checkpoint.
     *
     * @param firstLoss the loss of the training's first mini-batch
     */
    void save(String architecture, int level, ComputationGraph graph, long seed, int epochs, double firstLoss) {
        Random random = Nd4j.getRandom();
        CheckpointState state = new CheckpointState(architecture, settings, level, seed, epochs,
                graph.getConfiguration().getIterationCount(), graph.getConfiguration().getEpochCount(), firstLoss,
                random.rootState(), random.nodeState());
        Path target = new Path(folder, fileName(architecture, level));
        try {
            HadoopFileSystems.writeAtomically(fileSystem(), target, out -> CheckpointFile.write(graph, state, out));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not write the level-{} checkpoint of {} to {} ({}); its promotion will train from "
                    + "scratch", level, architecture, target, e.toString());
        }
    }

    /**
     * Restores into {@code graph} (just built, untrained) the highest usable checkpoint of {@code architecture}
     * below {@code level} with fewer than {@code epochs} epochs, and says where training starts: after its
     * epochs, in its seed's order; or, when there is none, from scratch in {@code seed}'s order. Call it on the
     * thread that will train the graph: the checkpoint's random generator state is restored into that thread's.
     */
    Trainer.Start restore(String architecture, int level, int epochs, ComputationGraph graph, long seed) {
        for (int lower = level - 1; lower >= 0; lower--) {
            Optional<CheckpointFile.Contents> usable = read(architecture, lower, epochs, graph);
            if (usable.isPresent()) {
                // past the checks, nothing is passed over: a failure here (a half-restored network) fails the trial
                try (CheckpointFile.Contents contents = usable.get()) {
                    CheckpointState state = contents.state();
                    graph.setParams(contents.params());
                    graph.getUpdater().setStateViewArray(contents.updater());
                    graph.getConfiguration().setIterationCount(state.iterations());
                    graph.getConfiguration().setEpochCount(state.epochCount());
                    Nd4j.getRandom().setStates(state.randomRoot(), state.randomNode());
                    return new Trainer.Start(state.seed(), state.epochs(), state.firstLoss());
                }
            }
        }
        return Trainer.Start.fresh(seed);
    }

    /** The checkpoint of {@code architecture} at {@code level} if it is whole and fits; empty otherwise. */
    private Optional<CheckpointFile.Contents> read(String architecture, int level, int epochs, ComputationGraph graph) {
        Path file = new Path(folder, fileName(architecture, level));
        CheckpointFile.Contents contents;
        try (FSDataInputStream in = fileSystem().open(file)) {
            contents = CheckpointFile.read(in);
        } catch (FileNotFoundException absent) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Not continuing from checkpoint {}: unreadable ({})", file, e.toString());
            return Optional.empty();
        }
        String mismatch = mismatch(contents, architecture, level, epochs, graph);
        if (mismatch != null) {
            contents.close();
            LOG.warn("Not continuing from checkpoint {}: {}", file, mismatch);
            return Optional.empty();
        }
        return Optional.of(contents);
    }

    /** Why {@code contents} cannot continue this training, or null when it can. */
    private String mismatch(CheckpointFile.Contents contents, String architecture, int level, int epochs,
                            ComputationGraph graph) {
        CheckpointState state = contents.state();
        if (!state.architecture().equals(architecture) || state.level() != level) {
            return "it holds " + state.architecture() + " at level " + state.level();
        }
        if (!state.settings().equals(settings)) {
            return "it was trained under other settings (" + state.settings() + ")";
        }
        if (state.epochs() >= epochs) {
            return "it holds " + state.epochs() + " epochs, and " + epochs + " are asked";
        }
        INDArray updater = graph.getUpdater().getStateViewArray();
        if (contents.params().length() != graph.numParams() || updater == null
                || contents.updater().length() != updater.length()) {
            return "its arrays do not fit the network (" + contents.params().length() + " parameters and "
                    + contents.updater().length() + " updater values for " + graph.numParams() + " and "
                    + (updater == null ? 0 : updater.length()) + ")";
        }
        return null;
    }

    private FileSystem fileSystem() throws IOException {
        FileSystem fs = folder.getFileSystem(hadoop);
        // no .crc side files beside the checkpoints on a local disk (the zip checks its own entries)
        fs.setWriteChecksum(false);
        return fs;
    }

    @Override
    public String toString() {
        return "LevelCheckpoints[" + folder + "]";
    }
}
