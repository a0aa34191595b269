package io.galapagos.worker.supernet;

import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The supernets an executor JVM has read, so that each is read once per JVM however many evaluation tasks use it.
 * A file is known by its path, identity, length and modification time: a supernet trained further is read again.
 * Thread-safe; the supernets it hands out are only lent frozen ({@link SharedWeights#lendFrozen}).
 */
final class LoadedSupernets {

    private static final Map<String, SharedWeights> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger READS = new AtomicInteger();

    private LoadedSupernets() {
    }

    /** The supernet in {@code file}, which must be of {@code identity}. */
    static SharedWeights get(Path file, SupernetIdentity identity) throws IOException {
        FileSystem fs = HadoopFileSystems.of(file, HadoopFileSystems.configuration());
        FileStatus status = fs.getFileStatus(file);
        String key = status.getPath() + "|" + identity.fields() + "|" + status.getLen() + "|"
                + status.getModificationTime();
        try {
            return LOADED.computeIfAbsent(key, k -> {
                try {
                    READS.incrementAndGet();
                    return SupernetCheckpoint.read(fs, file, identity).weights();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** How many supernet files this JVM has read. */
    static int reads() {
        return READS.get();
    }
}
