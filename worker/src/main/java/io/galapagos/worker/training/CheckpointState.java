package io.galapagos.worker.training;

import java.io.IOException;
import java.util.Properties;

/**
 * What a level checkpoint records besides the network's weights and updater state: what it is a checkpoint
 * of, and what continuing its training exactly needs. Immutable.
 *
 * @param architecture the canonical text of the architecture trained
 * @param settings     the data and optimiser settings it was trained under ({@link LevelCheckpoints#settings}):
 *                     continuing under others would mix two trainings in one result
 * @param level        the fidelity level whose training it ends
 * @param seed         the seed of the trial that started the training: its initial weights and its example order,
 *                     which the continuation follows
 * @param epochs       whole epochs trained
 * @param iterations   the network's mini-batch count (Adam's bias correction depends on it)
 * @param epochCount   the network's epoch counter
 * @param firstLoss    the very first mini-batch's loss, which divergence is measured against
 * @param randomRoot   the training thread's ND4J random generator state (dropout masks), first half
 * @param randomNode   the same, second half
 */
record CheckpointState(String architecture, String settings, int level, long seed, int epochs, int iterations,
                       int epochCount, double firstLoss, long randomRoot, long randomNode) {

    /** The format of {@link #toProperties()}; a file of another format is not read. */
    static final int FORMAT = 1;

    CheckpointState {
        if (architecture == null || architecture.isBlank() || settings == null) {
            throw new IllegalArgumentException("a checkpoint names its architecture and training settings");
        }
        if (level < 0 || epochs < 1 || iterations < 0 || epochCount < 0) {
            throw new IllegalArgumentException("a checkpoint needs a level >= 0, epochs >= 1 and counters >= 0, got "
                    + "level " + level + ", " + epochs + " epochs, " + iterations + " iterations, epoch count "
                    + epochCount);
        }
        if (!Double.isFinite(firstLoss)) {
            throw new IllegalArgumentException("a checkpoint's first loss must be finite, got " + firstLoss);
        }
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("format", String.valueOf(FORMAT));
        p.setProperty("architecture", architecture);
        p.setProperty("settings", settings);
        p.setProperty("level", String.valueOf(level));
        p.setProperty("seed", String.valueOf(seed));
        p.setProperty("epochs", String.valueOf(epochs));
        p.setProperty("iterations", String.valueOf(iterations));
        p.setProperty("epoch_count", String.valueOf(epochCount));
        // Double.toString reads back to the same double
        p.setProperty("first_loss", Double.toString(firstLoss));
        p.setProperty("random_root", String.valueOf(randomRoot));
        p.setProperty("random_node", String.valueOf(randomNode));
        return p;
    }

    /** @throws IOException when a key is missing or malformed, or the format is not {@value #FORMAT} */
    static CheckpointState of(Properties p) throws IOException {
        try {
            int format = Integer.parseInt(required(p, "format"));
            if (format != FORMAT) {
                throw new IOException("checkpoint format " + format + ", expected " + FORMAT);
            }
            return new CheckpointState(required(p, "architecture"), required(p, "settings"),
                    Integer.parseInt(required(p, "level")), Long.parseLong(required(p, "seed")),
                    Integer.parseInt(required(p, "epochs")), Integer.parseInt(required(p, "iterations")),
                    Integer.parseInt(required(p, "epoch_count")), Double.parseDouble(required(p, "first_loss")),
                    Long.parseLong(required(p, "random_root")), Long.parseLong(required(p, "random_node")));
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed checkpoint state: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key) throws IOException {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IOException("checkpoint state lacks '" + key + "'");
        }
        return value;
    }
}
