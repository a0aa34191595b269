package io.galapagos.worker.supernet;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.config.OneShotConfig;
import io.galapagos.config.DataConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkBuilder;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * How a search's supernets are trained, shipped to the executors with the task: the data, the cell space
 * ({@code operations}), the skeleton, the split, the SPOS settings and the folder the supernet files go to.
 * Without a split ({@code splitEdge} -1) there is one supernet, the one-shot one; with one, few-shot NAS (Zhao et
 * al. 2021) trains one sub-supernet per operation of {@code splitEdge}, each over the cells whose edge carries it,
 * starting, as in the paper, from the weights of a one-shot supernet trained {@code warmupEpochs} first.
 * Immutable; serialisable.
 *
 * @param epochs       epochs of single-path training per supernet, on a cosine schedule from its rate
 * @param learningRate the rate of the one-shot supernet (the warm-up's, with a split)
 * @param splitLearningRate with a split, the rate of each sub-supernet; without one, {@code learningRate}
 * @param optimiser    what steps the shared weights; {@code momentum} is SGD's
 * @param warmupEpochs with a split, epochs of the one-shot supernet the sub-supernets start from; 0 for none (each
 *                     starts from scratch). Without a split, 0
 * @param fair         strictly fair sampling (FairNAS: {@link CellSampler#fair}) rather than single-path
 * @param operationWeights single-path sampling's relative weight of each operation, in {@code operations}' order
 *                     ({@link CellSampler#singlePath}); all equal with {@code fair}
 * @param folder       a Hadoop FileSystem URI every executor reaches, e.g. {@code <output>/supernets}
 */
public record SupernetSpec(DataConfig data, List<CellOperation> operations, CellNetworkConfig skeleton,
                           int splitEdge, int epochs, int warmupEpochs, double learningRate,
                           double splitLearningRate, OneShotConfig.Optimiser optimiser, double momentum,
                           double weightDecay, int batchSize, boolean fair,
                           List<Double> operationWeights, long seed,
                           String folder)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public SupernetSpec {
        operations = List.copyOf(operations);
        operationWeights = List.copyOf(operationWeights);
        if (data == null || skeleton == null || operations.isEmpty()) {
            throw new IllegalArgumentException("data, a skeleton and at least one operation are required");
        }
        if (splitEdge < -1 || splitEdge >= CellArchitecture.EDGES) {
            throw new IllegalArgumentException("split edge must be -1 (none) or 0 to " + (CellArchitecture.EDGES - 1)
                    + ", got " + splitEdge);
        }
        if (warmupEpochs < 0 || (splitEdge < 0 && warmupEpochs > 0)) {
            throw new IllegalArgumentException("warm-up epochs must be >= 0, and 0 without a split, got "
                    + warmupEpochs);
        }
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("need epochs >= 1 and batch size >= 1, got " + epochs + " and "
                    + batchSize);
        }
        if (operationWeights.size() != operations.size() || operationWeights.stream().anyMatch(w -> !(w > 0))
                || (fair && operationWeights.stream().distinct().count() > 1)) {
            throw new IllegalArgumentException("need one positive weight per operation, all equal with fair "
                    + "sampling, got " + operationWeights + " for " + operations);
        }
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException("a folder for the supernet files is required");
        }
        if (splitEdge < 0 && splitLearningRate != learningRate) {
            throw new IllegalArgumentException("without a split the split rate must be the rate, got "
                    + splitLearningRate + " and " + learningRate);
        }
        if (optimiser == null) {
            throw new IllegalArgumentException("an optimiser is required");
        }
        // refuses bad optimiser settings now, on the driver
        NamedOptimiser.of(optimiser, splitLearningRate, momentum, weightDecay);
        NamedOptimiser.of(optimiser, learningRate, momentum, weightDecay);
    }

    /**
     * The one-shot supernet the sub-supernets warm up from: this spec without its split, trained
     * {@code warmupEpochs}; its file is {@code one-shot.zip} in the same folder.
     *
     * @throws IllegalStateException when this spec has no warm-up
     */
    public SupernetSpec warmUp() {
        if (warmupEpochs == 0) {
            throw new IllegalStateException("this spec has no warm-up");
        }
        return new SupernetSpec(data, operations, skeleton, -1, warmupEpochs, 0, learningRate, learningRate, optimiser,
                momentum,
                weightDecay,
                batchSize, fair, operationWeights, seed, folder);
    }

    /**
     * The seed of epoch {@code epoch} of part {@code part}. Epochs count from the start of the part's whole
     * training, its warm-up's included, so that no sub-supernet replays an epoch of the warm-up it starts from
     * (part 0 of the split and the warm-up's one part would otherwise draw the same examples and cells);
     * {@link java.util.SplittableRandom} mixes nearby seeds apart.
     */
    public long epochSeed(int part, int epoch) {
        return seed + 1_000_003L * part + warmupEpochs + epoch;
    }

    /**
     * The path networks of this spec's supernets for images of {@code input}: on its skeleton, its batch size and
     * seed, limited by JavaCPP's off-heap memory only.
     */
    public PathNetworks paths(InputSpec input) {
        return new PathNetworks(new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, NetworkBuilder.offHeapLimit(),
                Constraints.NONE, skeleton), input, batchSize, seed);
    }

    /** A fresh optimiser of this spec's kind and settings at {@code rate}. */
    public NamedOptimiser optimiser(double rate) {
        return NamedOptimiser.of(optimiser, rate, momentum, weightDecay);
    }

    /** How many supernets: 1 without a split, else one per operation. */
    public int parts() {
        return splitEdge < 0 ? 1 : operations.size();
    }

    /** What part {@code part} is a supernet of, for images of {@code input}. */
    public SupernetIdentity identity(int part, InputSpec input) {
        checkPart(part);
        return new SupernetIdentity(operations, splitEdge, splitEdge < 0 ? null : operations.get(part), skeleton,
                input, optimiser, training(), trainingData());
    }

    /**
     * The data its supernets are trained on, as text: the training files, the share held out of them for validation,
     * and the limit (drawn at random). Not the test files, which no supernet sees.
     */
    String trainingData() {
        return String.format(Locale.ROOT, "%s, %s, validation_fraction %s%s", data.trainImages(), data.trainLabels(),
                data.validationFraction(), data.trainLimit() > 0 ? ", train_limit " + data.trainLimit()
                        + " drawn at random" : "");
    }

    /**
     * How this spec's supernets are trained, as text: the epochs (and the warm-up they follow), the rate, the
     * optimiser's settings, the batch size, the sampling and the seed. Every one of them shapes the weights.
     */
    public String training() {
        return String.format(Locale.ROOT, "%d epochs%s from rate %s, momentum %s, weight decay %s, batches of %d, %s, "
                        + "seed %d", epochs, warmupEpochs > 0 ? " after a " + warmupEpochs + "-epoch warm-up" : "",
                splitEdge < 0 ? learningRate : splitLearningRate, momentum, weightDecay, batchSize,
                fair ? "fair sampling" : "operations drawn by weights " + operationWeights, seed);
    }

    /** The name of part {@code part}'s file in {@link #folder}: {@code one-shot.zip} or {@code edge<e>-<op>.zip}. */
    public String fileName(int part) {
        checkPart(part);
        return splitEdge < 0 ? "one-shot.zip" : "edge" + splitEdge + "-" + operations.get(part).text() + ".zip";
    }

    /**
     * The part whose supernet covers {@code cell}: 0 without a split, else the index of the operation on the split
     * edge; -1 when the cell uses an operation outside this spec's space.
     */
    public int partOf(CellArchitecture cell) {
        if (!operations.containsAll(cell.edges())) {
            return -1;
        }
        return splitEdge < 0 ? 0 : operations.indexOf(cell.edges().get(splitEdge));
    }

    /** Draws the cells part {@code part} trains: one by the weights, or a strictly fair group, of its part. */
    public CellSampler sampler(int part) {
        checkPart(part);
        CellOperation fixed = splitEdge < 0 ? null : operations.get(part);
        return fair ? CellSampler.fair(operations, splitEdge, fixed)
                : CellSampler.singlePath(operations, operationWeights, splitEdge, fixed);
    }

    private void checkPart(int part) {
        if (part < 0 || part >= parts()) {
            throw new IllegalArgumentException("part must be 0 to " + (parts() - 1) + ", got " + part);
        }
    }
}
