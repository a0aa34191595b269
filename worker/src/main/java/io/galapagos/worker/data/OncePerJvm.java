package io.galapagos.worker.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.CancellationException;
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
 * tries again; but a load given up because its caller was cancelled (its Spark task killed at a deadline, its thread
 * interrupted) says nothing of the data, so a waiter that was not cancelled loads it itself instead of failing too.
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
        while (true) {
            CompletableFuture<V> mine = new CompletableFuture<>();
            CompletableFuture<V> existing = loaded.putIfAbsent(key, mine);
            if (existing == null) {
                try {
                    mine.complete(loader.load(key));
                } catch (IOException | RuntimeException | Error e) {
                    loaded.remove(key, mine);
                    mine.completeExceptionally(cancelled(e) ? new Abandoned(e) : e);
                    throw e;
                }
                return mine.join();
            }
            try {
                return await(existing);
            } catch (Abandoned e) {
                // the loader was cancelled, this caller was not: load again
            }
        }
    }

    /**
     * Whether a load failed because its thread was interrupted: the ways Hadoop's and NIO's reads report it. A socket
     * timeout is an {@link InterruptedIOException} too, but a failure of the data's store that every waiter shares.
     */
    private static boolean cancelled(Throwable e) {
        return Thread.currentThread().isInterrupted() || e instanceof ClosedByInterruptException
                || e instanceof CancellationException
                || e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException);
    }

    /** A load given up because its caller was cancelled. */
    private static final class Abandoned extends RuntimeException {
        Abandoned(Throwable cause) {
            super(cause);
        }
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
            if (cause instanceof Abandoned abandoned) {
                throw abandoned;
            }
            if (cause instanceof IllegalArgumentException bad) {
                // a file that is not what it should be: bad input for every caller alike
                throw new IllegalArgumentException(bad.getMessage(), bad);
            }
            // a new exception, so that this thread's stack shows where it waited
            throw new IOException(cause.getMessage(), cause);
        }
    }
}
