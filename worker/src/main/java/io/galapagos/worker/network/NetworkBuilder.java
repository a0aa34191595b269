package io.galapagos.worker.network;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.space.Architecture;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.SequenceArchitecture;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.Supplier;

/**
 * Builds the DeepLearning4J {@link ComputationGraph} of an architecture: a {@link MacroArchitecture} as below, a
 * {@link CellArchitecture} on NAS-Bench-201's skeleton as {@link CellGraphPlanner} describes.
 *
 * <p>Macro layout. The input is flat rows of {@code convolutionalFlat(height, width, channels)}. Each block
 * reads the output of the block before it (the image for block 0), merged with the outputs of its skip
 * sources; dropout, when set, is a layer on that input; then the block's layer:
 * <ul>
 *   <li>convolution: stride 1, same padding, no bias when batch normalised;</li>
 *   <li>pooling (max or average): 2x2, stride 2, same padding, so the size becomes {@code ceil(x / 2)};</li>
 *   <li>dense: fully connected, flattening a spatial input; no bias when batch normalised;</li>
 *   <li>batch normalisation, when on, sits between the convolution or dense layer and its activation.</li>
 * </ul>
 * Skip sources are fitted to the block's main input first: a spatial source is average-pooled with
 * kernel and stride {@code 2^d} (same padding), which gives the size of {@code d} halvings; for ADD, a
 * source of other channels (or units) is projected by a 1x1 convolution (or a dense layer), identity,
 * no bias. ADD then sums element-wise; CONCAT concatenates channels (or features). After the last block,
 * a softmax output layer with multi-class cross-entropy (the negative log likelihood) gives the classes;
 * DL4J flattens a spatial last block itself. Adam with the given learning rate; He initialisation for
 * ReLU, leaky ReLU and swish, Glorot for tanh, sigmoid, projections and the output; the seed fixes it.
 *
 * <p>FLOPs per example of one forward pass: 2 per multiply-add of every convolution, dense layer, skip
 * projection and the output layer. Element-wise work (biases, batch normalisation, activations, pooling,
 * dropout, merges) is not counted; it is small beside the multiply-adds and varies by implementation.
 *
 * <p>Layers. On ND4J's CPU backend, convolutions and batch normalisation are {@link NativeConvolution} and
 * {@link NativeBatchNorm}: DL4J layers with the same parameters and results whose passes are native
 * (oneDNN) ops, about twice as fast to train; on other backends (CUDA), DL4J's own layers.
 *
 * <p>Limits, checked before anything is allocated: FLOPs per example (the count above), parameters (an analytic count, equal to what
 * DeepLearning4J allocates) and the estimate of training memory, {@link MemoryFootprint#trainPeakBytes()}. A
 * network over a limit, one that DeepLearning4J rejects, or one whose allocation runs out of memory is an
 * {@link InfeasibleNetworkException}.
 *
 * <p>Immutable and thread-safe; every build returns a new graph.
 */
public final class NetworkBuilder {

    /** A parameter limit far above what the search spaces here are meant to hold. */
    public static final long DEFAULT_MAX_PARAMS = 50_000_000L;

    private final long maxParams;
    private final long maxTrainingBytes;
    private final long maxFlops;
    private final CellNetworkConfig cellNetwork;
    private final boolean nativeLayers;

    /**
     * Cell architectures on NAS-Bench-201's own skeleton ({@link CellNetworkConfig#NB201}).
     *
     * @param maxParams        networks with more parameters are infeasible
     * @param maxTrainingBytes networks whose estimated training memory is larger are infeasible
     * @param maxFlops         networks with more FLOPs per example are infeasible
     */
    public NetworkBuilder(long maxParams, long maxTrainingBytes, long maxFlops) {
        this(maxParams, maxTrainingBytes, maxFlops, CellNetworkConfig.NB201);
    }

    /**
     * @param maxParams        networks with more parameters are infeasible
     * @param maxTrainingBytes networks whose estimated training memory is larger are infeasible
     * @param maxFlops         networks with more FLOPs per example are infeasible
     * @param cellNetwork      the skeleton cell architectures are built on
     */
    public NetworkBuilder(long maxParams, long maxTrainingBytes, long maxFlops, CellNetworkConfig cellNetwork) {
        this(maxParams, maxTrainingBytes, maxFlops, cellNetwork, cpuBackend());
    }

    /** @param nativeLayers whether to build with the native layers (see the class comment) */
    NetworkBuilder(long maxParams, long maxTrainingBytes, long maxFlops, CellNetworkConfig cellNetwork,
                   boolean nativeLayers) {
        if (cellNetwork == null) {
            throw new IllegalArgumentException("the cell network settings are required");
        }
        if (maxParams < 1 || maxTrainingBytes < 1 || maxFlops < 1) {
            throw new IllegalArgumentException("limits must be positive, got maxParams " + maxParams
                    + ", maxTrainingBytes " + maxTrainingBytes + " and maxFlops " + maxFlops);
        }
        this.maxParams = maxParams;
        this.maxTrainingBytes = maxTrainingBytes;
        this.maxFlops = maxFlops;
        this.cellNetwork = cellNetwork;
        this.nativeLayers = nativeLayers;
    }

    /** Whether ND4J runs on its CPU backend (loading ND4J if it was not yet). */
    static boolean cpuBackend() {
        return "CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    }

    /**
     * A new, initialised network for {@code architecture}.
     *
     * @param batchSize    the mini-batch size it will train with, for the memory estimate
     * @param learningRate Adam's learning rate
     * @param seed         seeds weight initialisation and dropout
     * @throws InfeasibleNetworkException over a limit, rejected by DeepLearning4J, or out of memory
     */
    public BuiltNetwork build(Architecture architecture, InputSpec input, int batchSize, double learningRate,
                              long seed) throws InfeasibleNetworkException {
        return built(() -> architecture instanceof CellArchitecture cell
                ? CellGraphPlanner.plan(cell, cellNetwork, input, learningRate, seed, nativeLayers)
                : MacroGraphPlanner.plan((MacroArchitecture) architecture, input, learningRate, seed, nativeLayers),
                batchSize);
    }

    /**
     * A new, initialised network for a sequence architecture ({@link SequenceGraphPlanner}), under the same limits.
     *
     * @param batchSize    the mini-batch size it will train with, for the memory estimate
     * @param learningRate Adam's learning rate
     * @param seed         seeds weight initialisation and dropout
     * @throws InfeasibleNetworkException over a limit, rejected by DeepLearning4J, or out of memory
     */
    public BuiltNetwork build(SequenceArchitecture architecture, TokenInput input, int batchSize, double learningRate,
                              long seed) throws InfeasibleNetworkException {
        SameDiffChatter.silence();
        return built(() -> SequenceGraphPlanner.plan(architecture, input, learningRate, seed), batchSize);
    }

    private BuiltNetwork built(Supplier<GraphLayers.Plan> planner, int batchSize) throws InfeasibleNetworkException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        GraphLayers.Plan plan;
        try {
            plan = planner.get();
        } catch (RuntimeException e) {
            throw new InfeasibleNetworkException("DL4J rejects the layout: " + e.getMessage(), e);
        }
        if (plan.flops() > maxFlops) {
            throw new InfeasibleNetworkException("too costly: " + plan.flops() + " FLOPs per example, the limit is "
                    + maxFlops);
        }
        if (plan.params() > maxParams) {
            throw new InfeasibleNetworkException("too large: " + plan.params() + " parameters, the limit is "
                    + maxParams);
        }
        MemoryFootprint memory = MemoryFootprint.of(plan, batchSize);
        if (memory.trainPeakBytes() > maxTrainingBytes) {
            throw new InfeasibleNetworkException("too large: training with batches of " + batchSize + " needs about "
                    + mib(memory.trainPeakBytes()) + " MiB, the limit is " + mib(maxTrainingBytes) + " MiB");
        }
        ComputationGraph graph = new ComputationGraph(plan.configuration());
        try {
            graph.init();
        } catch (RuntimeException | OutOfMemoryError e) {
            graph.close();
            throw new InfeasibleNetworkException("cannot allocate the network (" + plan.params() + " parameters): "
                    + e, e);
        }
        return new BuiltNetwork(graph, plan.flops(), memory);
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
