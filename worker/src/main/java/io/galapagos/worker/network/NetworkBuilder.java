package io.galapagos.worker.network;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.Architecture;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.SequenceArchitecture;
import io.galapagos.trial.Metrics;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Optional;

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
 * <p>Limits, checked before anything is allocated: parameters (an analytic count, equal to what DeepLearning4J
 * allocates), the estimate of training memory ({@link MemoryFootprint#trainPeakBytes()}), and the analytic bounds of
 * the {@link Constraints} (FLOPs per example as counted above, parameters, the memory figures). A network over a
 * limit or a bound, one that DeepLearning4J rejects, or one whose allocation runs out of memory is an
 * {@link InfeasibleNetworkException}. {@link #cost} checks the same limits without allocating, for the driver to
 * screen candidates before dispatch.
 *
 * <p>Immutable and thread-safe; every build returns a new graph.
 */
public final class NetworkBuilder {

    /** A parameter limit far above what the search spaces here are meant to hold. */
    public static final long DEFAULT_MAX_PARAMS = 50_000_000L;

    private final long maxParams;
    private final long maxTrainingBytes;
    private final Constraints constraints;
    private final CellNetworkConfig cellNetwork;
    private final boolean nativeLayers;

    /**
     * Cell architectures on NAS-Bench-201's own skeleton ({@link CellNetworkConfig#NB201}).
     *
     * @param maxParams        networks with more parameters are infeasible
     * @param maxTrainingBytes networks whose estimated training memory is larger are infeasible
     * @param constraints      networks over one of its analytic bounds are infeasible
     */
    public NetworkBuilder(long maxParams, long maxTrainingBytes, Constraints constraints) {
        this(maxParams, maxTrainingBytes, constraints, CellNetworkConfig.NB201);
    }

    /**
     * @param maxParams        networks with more parameters are infeasible
     * @param maxTrainingBytes networks whose estimated training memory is larger are infeasible
     * @param constraints      networks over one of its analytic bounds are infeasible
     * @param cellNetwork      the skeleton cell architectures are built on
     */
    public NetworkBuilder(long maxParams, long maxTrainingBytes, Constraints constraints,
                          CellNetworkConfig cellNetwork) {
        this(maxParams, maxTrainingBytes, constraints, cellNetwork, cpuBackend());
    }

    /**
     * The driver's builder for costing {@code training}'s networks from their layout ({@link #cost}): its constraints
     * and skeleton, no training-memory limit (the executors' memory is theirs to know).
     */
    public static NetworkBuilder costing(TrainingConfig training) {
        return new NetworkBuilder(DEFAULT_MAX_PARAMS, Long.MAX_VALUE, training.constraints(), training.cellNetwork());
    }

    /**
     * Networks of DeepLearning4J's own layers only, on any backend, without limits beyond DeepLearning4J's: what an
     * exported model is made of, so that plain DeepLearning4J, without Galapagos's classes, restores it.
     */
    public static NetworkBuilder portable(CellNetworkConfig cellNetwork) {
        return new NetworkBuilder(DEFAULT_MAX_PARAMS, Long.MAX_VALUE, Constraints.NONE, cellNetwork, false);
    }

    /**
     * The off-heap memory this JVM may allocate (JavaCPP's {@code org.bytedeco.javacpp.maxbytes}), the training
     * limit of the networks built here; JavaCPP reads 0 as no limit at all.
     */
    public static long offHeapLimit() {
        long max = Pointer.maxBytes();
        return max > 0 ? max : Long.MAX_VALUE;
    }

    /** @param nativeLayers whether to build with the native layers (see the class comment) */
    NetworkBuilder(long maxParams, long maxTrainingBytes, Constraints constraints, CellNetworkConfig cellNetwork,
                   boolean nativeLayers) {
        if (cellNetwork == null || constraints == null) {
            throw new IllegalArgumentException("the cell network settings and the constraints are required");
        }
        if (maxParams < 1 || maxTrainingBytes < 1) {
            throw new IllegalArgumentException("limits must be positive, got maxParams " + maxParams
                    + " and maxTrainingBytes " + maxTrainingBytes);
        }
        this.maxParams = maxParams;
        this.maxTrainingBytes = maxTrainingBytes;
        this.constraints = constraints;
        this.cellNetwork = cellNetwork;
        this.nativeLayers = nativeLayers;
    }

    /** Whether ND4J runs on its CPU backend (loading ND4J if it was not yet). */
    static boolean cpuBackend() {
        return "CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    }

    /**
     * A new, initialised network for {@code architecture} reading {@code input}: images for macro and cell
     * architectures, tokens for sequence architectures.
     *
     * @param batchSize    the mini-batch size it will train with, for the memory estimate
     * @param learningRate Adam's learning rate
     * @param seed         seeds weight initialisation and dropout
     * @throws InfeasibleNetworkException over a limit, rejected by DeepLearning4J, out of memory, or an
     *                                    architecture that does not read this input
     */
    public BuiltNetwork build(Architecture architecture, NetworkInput input, int batchSize, double learningRate,
                              long seed) throws InfeasibleNetworkException {
        Checked checked = checked(architecture, input, batchSize, learningRate, seed);
        ComputationGraph graph = new ComputationGraph(checked.plan().configuration());
        try {
            graph.init();
        } catch (RuntimeException | OutOfMemoryError e) {
            graph.close();
            throw new InfeasibleNetworkException("cannot allocate the network (" + checked.plan().params()
                    + " parameters): " + e, e);
        }
        return new BuiltNetwork(graph, checked.plan().flops(), checked.memory());
    }

    /**
     * The figures of {@code architecture}'s network that its layout alone decides ({@link Metrics#PARAMS},
     * {@link Metrics#FLOPS}, {@link Metrics#PARAM_BYTES}, {@link Metrics#INFERENCE_PEAK_BYTES},
     * {@link Metrics#TRAIN_PEAK_BYTES} at {@code batchSize}), after the same checks as {@link #build}, without
     * allocating the network: milliseconds, and no native memory.
     *
     * @throws InfeasibleNetworkException over a limit or a bound (with these figures), rejected by DeepLearning4J,
     *                                    or an architecture that does not read this input
     */
    public Metrics cost(Architecture architecture, NetworkInput input, int batchSize)
            throws InfeasibleNetworkException {
        return checked(architecture, input, batchSize, 1e-3, 0).metrics();
    }

    /**
     * The kernels of {@code architecture}'s network reading {@code input} ({@link KernelProfile}), from its layout
     * alone, without checking any limit or allocating it.
     *
     * @throws InfeasibleNetworkException DeepLearning4J rejects the layout, or the architecture does not read this input
     */
    public KernelProfile kernels(Architecture architecture, NetworkInput input) throws InfeasibleNetworkException {
        try {
            return KernelProfile.of(plan(architecture, input, 1e-3, 0));
        } catch (RuntimeException e) {
            throw new InfeasibleNetworkException("DL4J rejects the layout: " + e.getMessage(), e);
        }
    }

    /** A plan within the limits, its memory at the batch size and its analytic figures. */
    private record Checked(GraphLayers.Plan plan, MemoryFootprint memory, Metrics metrics) {
    }

    private Checked checked(Architecture architecture, NetworkInput input, int batchSize, double learningRate,
                            long seed) throws InfeasibleNetworkException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        GraphLayers.Plan plan;
        try {
            plan = plan(architecture, input, learningRate, seed);
        } catch (RuntimeException e) {
            throw new InfeasibleNetworkException("DL4J rejects the layout: " + e.getMessage(), e);
        }
        MemoryFootprint memory = MemoryFootprint.of(plan, batchSize);
        Metrics metrics = figures(plan.params(), plan.flops(), memory);
        Optional<String> violation = constraints.violation(metrics);
        if (violation.isPresent()) {
            throw new InfeasibleNetworkException(violation.get(), metrics);
        }
        if (plan.params() > maxParams) {
            throw new InfeasibleNetworkException(InfeasibleNetworkException.TOO_LARGE + plan.params() + " parameters, the limit is "
                    + maxParams, metrics);
        }
        if (memory.trainPeakBytes() > maxTrainingBytes) {
            throw new InfeasibleNetworkException(InfeasibleNetworkException.TOO_LARGE + "training with batches of " + batchSize + " needs about "
                    + mib(memory.trainPeakBytes()) + " MiB, the limit is " + mib(maxTrainingBytes) + " MiB", metrics);
        }
        return new Checked(plan, memory, metrics);
    }

    private GraphLayers.Plan plan(Architecture architecture, NetworkInput input, double learningRate, long seed)
            throws InfeasibleNetworkException {
        if (input instanceof TokenInput tokens) {
            if (!(architecture instanceof SequenceArchitecture sequence)) {
                throw new InfeasibleNetworkException("text data needs a sequence architecture, not "
                        + architecture.text());
            }
            SameDiffChatter.silence();
            return SequenceGraphPlanner.plan(sequence, tokens, learningRate, seed);
        }
        InputSpec images = (InputSpec) input;
        if (architecture instanceof CellArchitecture cell) {
            return CellGraphPlanner.plan(cell, cellNetwork, images, learningRate, seed, nativeLayers);
        }
        if (architecture instanceof MacroArchitecture macro) {
            return MacroGraphPlanner.plan(macro, images, learningRate, seed, nativeLayers);
        }
        throw new InfeasibleNetworkException("image data needs a macro or cell architecture, not "
                + architecture.text());
    }

    /** The analytic figures of a network: parameters, FLOPs and the memory figures. */
    static Metrics figures(long params, long flops, MemoryFootprint memory) {
        return Metrics.EMPTY.with(Metrics.PARAMS, params).with(Metrics.FLOPS, flops)
                .with(Metrics.PARAM_BYTES, memory.paramBytes())
                .with(Metrics.INFERENCE_PEAK_BYTES, memory.inferencePeakBytes())
                .with(Metrics.TRAIN_PEAK_BYTES, memory.trainPeakBytes());
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
