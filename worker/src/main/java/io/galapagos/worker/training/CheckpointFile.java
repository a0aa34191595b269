package io.galapagos.worker.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The format of a level checkpoint: a DeepLearning4J model file as {@link ModelSerializer#writeModel} writes it
 * with its updater state (so {@code ModelSerializer.restoreComputationGraph} reads it too), plus one entry,
 * {@value #STATE}, holding the {@link CheckpointState}. Every entry is read whole before it is parsed, so that
 * the zip's CRC-32 has vouched for its bytes: a damaged file fails to read rather than yielding wrong weights or
 * an array of a garbage size. Stateless; thread-safe.
 */
final class CheckpointFile {

    /** The entry that holds the {@link CheckpointState}. */
    static final String STATE = "galapagos-checkpoint.properties";

    /**
     * What a checkpoint holds. Owns two native arrays: {@link #close()} it.
     *
     * @param state   what it is, and what continuing needs
     * @param params  the network's parameters, flattened as DL4J holds them
     * @param updater the updater's state, flattened likewise
     */
    record Contents(CheckpointState state, INDArray params, INDArray updater) implements AutoCloseable {
        @Override
        public void close() {
            params.close();
            updater.close();
        }
    }

    private CheckpointFile() {
    }

    /** Writes {@code graph}, with its updater state, and {@code state} to {@code out}, which it leaves open. */
    static void write(ComputationGraph graph, CheckpointState state, OutputStream out) throws IOException {
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, model, true);
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry(STATE));
        state.toProperties().store(zip, "Galapagos level checkpoint: see CheckpointState");
        zip.closeEntry();
        try (ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(model.toByteArray()))) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                entries.transferTo(zip);
                zip.closeEntry();
            }
        }
        zip.finish();
    }

    /** @throws IOException when the stream is not a whole, undamaged checkpoint of this format */
    static Contents read(InputStream in) throws IOException {
        CheckpointState state = null;
        byte[] params = null;
        byte[] updater = null;
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            switch (entry.getName()) {
                case STATE -> {
                    Properties properties = new Properties();
                    properties.load(new ByteArrayInputStream(zip.readAllBytes()));
                    state = CheckpointState.of(properties);
                }
                case ModelSerializer.COEFFICIENTS_BIN -> params = zip.readAllBytes();
                case ModelSerializer.UPDATER_BIN -> updater = zip.readAllBytes();
                default -> zip.readAllBytes(); // read to its end all the same, so that its CRC is checked
            }
        }
        if (state == null || params == null || updater == null) {
            throw new IOException("not a whole checkpoint: " + (state == null ? STATE
                    : params == null ? ModelSerializer.COEFFICIENTS_BIN : ModelSerializer.UPDATER_BIN) + " is missing");
        }
        INDArray weights = array(params);
        try {
            return new Contents(state, weights, array(updater));
        } catch (IOException | RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    private static INDArray array(byte[] bytes) throws IOException {
        try {
            return Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (RuntimeException e) {
            throw new IOException("unreadable array: " + e, e);
        }
    }
}
