package io.galapagos.worker.tabular;

import io.galapagos.benchmark.BenchmarkTable;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.OncePerJvm;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Benchmark tables, each read at most once per JVM (by location) through the Hadoop FileSystem API, so a
 * table may live on any {@code file:}, {@code hdfs:} or {@code s3a:} URI or a local path; kept for the
 * JVM's life. Tables are small (NB201: 15,625 rows, about 2 MB).
 *
 * <p>Thread-safe; read as {@link OncePerJvm} loads: once, by the first caller, the others waiting for it.
 */
public final class TabularBenchmarks {

    private static final OncePerJvm<String, TabularBenchmark> LOADED = new OncePerJvm<>();

    private TabularBenchmarks() {
    }

    /**
     * The table at {@code location}, read on first use.
     *
     * @throws IOException              the file is missing or unreadable (the message names it)
     * @throws IllegalArgumentException the file is not a benchmark table (the message names the line)
     */
    public static TabularBenchmark get(String location) throws IOException {
        return LOADED.get(location, l -> new TabularBenchmark(read(l)));
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
