package io.galapagos.worker.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * Values loaded at most once per JVM and key, kept for the JVM's life: an executor trains many trials on the same
 * data, and Spark may run several of them at once in one JVM.
 *
 * <p>Thread-safe. The first caller for a key loads it on its own thread; callers arriving meanwhile wait for that
 * load instead of starting another. A failed load is not kept: every waiter gets the failure, and the next caller
 * tries again.
 */
public final class OncePerJvm<K, V> {

    /** Loads the value of a key. */
    public interface Loader<K, V> {
        V load(K key) throws IOException;
    }

    private final ConcurrentMap<K, CompletableFuture<V>> loaded = new ConcurrentHashMap<>();

    /**
     * The value of {@code key}, loaded by {@code loader} on first use.
     *
     * @throws InterruptedIOException the calling thread was interrupted while waiting for another thread's load (its
     *                                interrupt flag is set again)
     */
    public V get(K key, Loader<K, V> loader) throws IOException {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> existing = loaded.putIfAbsent(key, mine);
        if (existing == null) {
            try {
                mine.complete(loader.load(key));
            } catch (IOException | RuntimeException | Error e) {
                loaded.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            return mine.join();
        }
        return await(existing);
    }

    private static <V> V await(CompletableFuture<V> load) throws IOException {
        try {
            return load.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for another task to load the data");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            // a new exception, so that this thread's stack shows where it waited
            throw new IOException(cause.getMessage(), cause);
        }
    }
}
