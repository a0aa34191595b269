package io.galapagos.worker.tabular;

import io.galapagos.benchmark.BenchmarkTable;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * Benchmark tables, each read at most once per JVM (by location) through the Hadoop FileSystem API, so a
 * table may live on any {@code file:}, {@code hdfs:} or {@code s3a:} URI or a local path; kept for the
 * JVM's life. Tables are small (NB201: 15,625 rows, about 2 MB).
 *
 * <p>Thread-safe, like {@code DatasetCache}: the first caller for a location reads it on its own thread;
 * callers arriving meanwhile wait for that read. A failed read is not kept: every waiter gets the failure,
 * and the next caller tries again.
 */
public final class TabularBenchmarks {

    private static final ConcurrentMap<String, CompletableFuture<TabularBenchmark>> LOADED = new ConcurrentHashMap<>();

    private TabularBenchmarks() {
    }

    /**
     * The table at {@code location}, read on first use.
     *
     * @throws IOException              the file is missing or unreadable (the message names it)
     * @throws IllegalArgumentException the file is not a benchmark table (the message names the line)
     */
    public static TabularBenchmark get(String location) throws IOException {
        CompletableFuture<TabularBenchmark> mine = new CompletableFuture<>();
        CompletableFuture<TabularBenchmark> existing = LOADED.putIfAbsent(location, mine);
        if (existing == null) {
            try {
                mine.complete(new TabularBenchmark(read(location)));
            } catch (IOException | RuntimeException | Error e) {
                LOADED.remove(location, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            return mine.join();
        }
        try {
            return existing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for another task to read " + location);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            if (cause instanceof IllegalArgumentException bad) {
                throw new IllegalArgumentException(bad.getMessage(), bad);
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }

    /** Reads a table without caching it. */
    public static BenchmarkTable read(String location) throws IOException {
        Path path = new Path(location);
        FileSystem fs = HadoopFileSystems.of(path, HadoopFileSystems.configuration());
        try (Reader in = new InputStreamReader(fs.open(path), StandardCharsets.UTF_8)) {
            return BenchmarkTable.read(in, location);
        }
    }
}
