package io.galapagos.worker.supernet;

import io.galapagos.space.CellArchitecture;
import io.galapagos.worker.network.BuiltNetwork;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The path networks of a supernet: for a cell, the ordinary stand-alone network {@link NetworkBuilder} builds on
 * the configured skeleton, kept for reuse (the {@value #CACHED} most recently used), since building one costs
 * more than a training step. A path's own weights mean nothing: {@link SharedWeights#lend} sets them before every
 * use, and its DL4J updater is never used. A weight no path held before starts as the path network initialises
 * it from this cache's seed. Not thread-safe.
 */
public final class PathNetworks implements AutoCloseable {

    static final int CACHED = 32;

    private final NetworkBuilder builder;
    private final InputSpec input;
    private final int batchSize;
    private final long seed;
    private final Map<CellArchitecture, BuiltNetwork> paths = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param batchSize the mini-batch size, for the builder's memory estimate
     * @param seed      initialises weights no path held before (the supernet's initialisation)
     */
    public PathNetworks(NetworkBuilder builder, InputSpec input, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.builder = builder;
        this.input = input;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /**
     * The path network of {@code cell}: reused when recent, else built (dropping the least recently used).
     *
     * @throws InfeasibleNetworkException when the cell's network cannot be built (over the builder's limits)
     */
    public ComputationGraph of(CellArchitecture cell) throws InfeasibleNetworkException {
        return network(cell).graph();
    }

    /** The path network of {@code cell} with its analytic cost; as {@link #of}. */
    public BuiltNetwork network(CellArchitecture cell) throws InfeasibleNetworkException {
        BuiltNetwork path = paths.get(cell);
        if (path == null) {
            path = builder.build(cell, input, batchSize, 1e-3, seed);
            paths.put(cell, path);
            if (paths.size() > CACHED) {
                // dropped, not closed, as close() explains
                paths.remove(paths.keySet().iterator().next());
            }
        }
        return path;
    }

    /**
     * Drops every path network and runs one collection, which frees their arrays. Dropped, not closed: DL4J's
     * {@code ComputationGraph.close()} also destroys every workspace of the calling thread and runs
     * {@code System.gc()}, once per network, and a supernet drops a network nearly every SPOS step (eviction, left to
     * ND4J's collector) and up to {@value #CACHED} at the end of a part. The one collection here frees them at once
     * rather than when JavaCPP's memory limit forces collections during whatever this thread does next.
     */
    @Override
    public void close() {
        paths.clear();
        Nd4j.getMemoryManager().invokeGc();
    }
}
