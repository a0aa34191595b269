package io.galapagos.space;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The sequence space for text classification: an embedding (dimension from a set), 1 to N blocks, each a recurrent
 * layer (LSTM, bidirectional LSTM, simple RNN; units from a set), a 1-D convolution (kernel, filters, activation),
 * 1-D max pooling, multi-head self-attention or a transformer block (heads, feed-forward units), each with a dropout
 * rate and, where the block keeps the width, a residual connection; then a pooling head. Field names follow the YAML
 * keys. Every head count must divide every width the space can produce, so that attention fits wherever it is drawn.
 */
public record SequenceSearchSpace(int minBlocks, int maxBlocks, List<Integer> embeddingDims,
                                  Set<SequenceLayerType> layerTypes, List<Integer> units, List<Integer> kernelSizes,
                                  List<Integer> filters, List<Activation> activations, List<Integer> heads,
                                  List<Integer> feedForward, List<Double> dropoutRates, List<Boolean> residual,
                                  List<SequencePooling> pooling) implements SearchSpace {

    /** Upper bound on blocks: deeper stacks do not train in a search's budget on these machines. */
    public static final int MAX_BLOCKS = 12;

    public SequenceSearchSpace {
        Choices.blocks(minBlocks, maxBlocks, MAX_BLOCKS);
        layerTypes = layerTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(layerTypes));
        Choices.nonEmpty("blocks", layerTypes);
        embeddingDims = Choices.distinct("embedding_dims", embeddingDims);
        units = Choices.distinct("units", units);
        kernelSizes = Choices.distinct("kernel_sizes", kernelSizes);
        filters = Choices.distinct("filters", filters);
        activations = Choices.distinct("activations", activations);
        heads = Choices.distinct("heads", heads);
        feedForward = Choices.distinct("feed_forward", feedForward);
        dropoutRates = Choices.distinct("dropout", dropoutRates);
        residual = Choices.distinct("residual", residual);
        pooling = Choices.distinct("pooling", pooling);
        Choices.nonEmpty("embedding_dims", embeddingDims);
        Choices.nonEmpty("dropout", dropoutRates);
        Choices.nonEmpty("pooling", pooling);
        if (!residual.contains(false)) {
            throw new InvalidValueException("residual", residual, "must include false: residuals go only where a "
                    + "block keeps the width");
        }
        if (layerTypes.contains(SequenceLayerType.LSTM) || layerTypes.contains(SequenceLayerType.BILSTM)
                || layerTypes.contains(SequenceLayerType.RNN)) {
            Choices.nonEmpty("units", units);
        }
        if (layerTypes.contains(SequenceLayerType.CONV1D)) {
            Choices.nonEmpty("kernel_sizes", kernelSizes);
            Choices.nonEmpty("filters", filters);
            Choices.nonEmpty("activations", activations);
        }
        if (layerTypes.stream().anyMatch(SequenceLayerType::attends)) {
            Choices.nonEmpty("heads", heads);
        }
        if (layerTypes.contains(SequenceLayerType.TRANSFORMER)) {
            Choices.nonEmpty("feed_forward", feedForward);
        }
        range("embedding_dims", embeddingDims, 4096);
        range("units", units, 4096);
        range("filters", filters, 4096);
        range("heads", heads, 64);
        range("feed_forward", feedForward, 16384);
        for (int k : kernelSizes) {
            if (k < 1 || k % 2 == 0 || k > 15) {
                throw new InvalidValueException("kernel_sizes", k, "must be odd, between 1 and 15");
            }
        }
        for (double d : dropoutRates) {
            if (!(d >= 0 && d < 1)) {
                throw new InvalidValueException("dropout", d, "must be in [0, 1)");
            }
        }
        if (layerTypes.stream().anyMatch(SequenceLayerType::attends)) {
            Set<Integer> widths = widths(embeddingDims, layerTypes, units, filters);
            for (int h : heads) {
                for (int w : widths) {
                    if (w % h != 0) {
                        throw new InvalidValueException("heads", h, "must divide every width a block can read "
                                + "(embedding_dims, units, twice the units of bilstm, filters); it does not divide "
                                + w);
                    }
                }
            }
        }
    }

    private static Set<Integer> widths(List<Integer> embeddingDims, Set<SequenceLayerType> types, List<Integer> units,
                                       List<Integer> filters) {
        Set<Integer> widths = new TreeSet<>(embeddingDims);
        if (types.contains(SequenceLayerType.LSTM) || types.contains(SequenceLayerType.RNN)) {
            widths.addAll(units);
        }
        if (types.contains(SequenceLayerType.BILSTM)) {
            units.forEach(u -> widths.add(2 * u));
        }
        if (types.contains(SequenceLayerType.CONV1D)) {
            widths.addAll(filters);
        }
        return widths;
    }

    private static void range(String key, List<Integer> values, int max) {
        for (int v : values) {
            if (v < 1 || v > max) {
                throw new InvalidValueException(key, v, "must be between 1 and " + max);
            }
        }
    }

    private List<SequenceLayerType> types() {
        return layerTypes.stream().sorted().toList();
    }

    // ---------------------------------------------------------------- the layers a block may take

    /** Every layer the space allows, each once. */
    private List<SequenceLayer> layers() {
        List<SequenceLayer> all = new ArrayList<>();
        for (SequenceLayerType type : types()) {
            switch (type) {
                case LSTM, BILSTM, RNN -> units.forEach(u -> all.add(new SequenceLayer.Recurrent(type, u)));
                case CONV1D -> kernelSizes.forEach(k -> filters.forEach(f -> activations.forEach(
                        a -> all.add(new SequenceLayer.Conv1d(k, f, a)))));
                case MAX_POOL1D -> all.add(new SequenceLayer.MaxPool1d());
                case ATTENTION -> heads.forEach(h -> all.add(new SequenceLayer.Attention(h)));
                case TRANSFORMER -> heads.forEach(h -> feedForward.forEach(
                        f -> all.add(new SequenceLayer.Transformer(h, f))));
            }
        }
        return all;
    }

    /** The residual choices of {@code layer} reading vectors of {@code width}. */
    private List<Boolean> residualChoices(SequenceLayer layer, int width) {
        boolean fits = !(layer instanceof SequenceLayer.MaxPool1d) && layer.outputWidth(width) == width;
        return fits ? residual : List.of(false);
    }

    // ---------------------------------------------------------------- counting

    /** Counted block by block over the width each prefix of blocks ends at (residual choices depend on it). */
    @Override
    public BigInteger size() {
        List<SequenceLayer> layers = layers();
        BigInteger dropouts = BigInteger.valueOf(dropoutRates.size());
        Map<Integer, BigInteger> prefixes = new HashMap<>();
        embeddingDims.forEach(e -> prefixes.put(e, BigInteger.ONE));
        BigInteger total = BigInteger.ZERO;
        for (int n = 1; n <= maxBlocks; n++) {
            Map<Integer, BigInteger> next = new HashMap<>();
            for (Map.Entry<Integer, BigInteger> p : prefixes.entrySet()) {
                for (SequenceLayer layer : layers) {
                    BigInteger ways = p.getValue().multiply(dropouts)
                            .multiply(BigInteger.valueOf(residualChoices(layer, p.getKey()).size()));
                    next.merge(layer.outputWidth(p.getKey()), ways, BigInteger::add);
                }
            }
            prefixes.clear();
            prefixes.putAll(next);
            if (n >= minBlocks) {
                total = total.add(next.values().stream().reduce(BigInteger.ZERO, BigInteger::add));
            }
        }
        return total.multiply(BigInteger.valueOf(pooling.size()));
    }

    // ---------------------------------------------------------------- membership

    @Override
    public List<String> violations(Architecture architecture) {
        if (!(architecture instanceof SequenceArchitecture net)) {
            return List.of("not a sequence architecture: " + architecture.text());
        }
        List<String> problems = new ArrayList<>();
        int n = net.blocks().size();
        if (n < minBlocks || n > maxBlocks) {
            problems.add(n + " blocks, the space allows " + minBlocks + " to " + maxBlocks);
        }
        Choices.check(problems, "", "embedding dimension", net.embedding(), embeddingDims);
        Choices.check(problems, "", "pooling", net.pooling(), pooling);
        Set<SequenceLayer> allowed = new HashSet<>(layers());
        for (int i = 0; i < n; i++) {
            SequenceBlock b = net.blocks().get(i);
            String at = "block " + i + " (" + b.text() + "): ";
            if (!allowed.contains(b.layer())) {
                problems.add(at + layerProblem(b.layer()));
            }
            Choices.check(problems, at, "dropout", b.dropout(), dropoutRates);
            if (b.residual() && !residual.contains(true)) {
                problems.add(at + "the space has no residual connections");
            }
        }
        return problems;
    }

    private String layerProblem(SequenceLayer layer) {
        if (!layerTypes.contains(layer.type())) {
            return "block type " + layer.type().text() + " is not in the space " + types().stream()
                    .map(SequenceLayerType::text).toList();
        }
        List<String> problems = new ArrayList<>();
        if (layer instanceof SequenceLayer.Recurrent r) {
            Choices.check(problems, "", "units", r.units(), units);
        } else if (layer instanceof SequenceLayer.Conv1d c) {
            Choices.check(problems, "", "kernel size", c.kernel(), kernelSizes);
            Choices.check(problems, "", "filters", c.filters(), filters);
            Choices.check(problems, "", "activation", c.activation(), activations);
        } else if (layer instanceof SequenceLayer.Attention a) {
            Choices.check(problems, "", "heads", a.heads(), heads);
        } else if (layer instanceof SequenceLayer.Transformer t) {
            Choices.check(problems, "", "heads", t.heads(), heads);
            Choices.check(problems, "", "feed-forward units", t.feedForward(), feedForward);
        }
        return String.join("; ", problems);
    }

    @Override
    public SequenceArchitecture parse(String text) {
        SequenceArchitecture architecture = SequenceArchitecture.parse(text);
        List<String> problems = violations(architecture);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not in the search space: " + problems.get(0));
        }
        return architecture;
    }

    // ---------------------------------------------------------------- sampling and mutation

    @Override
    public SequenceArchitecture sample(RandomGenerator rng) {
        int embedding = Choices.pick(embeddingDims, rng);
        int n = minBlocks + rng.nextInt(maxBlocks - minBlocks + 1);
        List<SequenceBlock> blocks = new ArrayList<>(n);
        int width = embedding;
        for (int i = 0; i < n; i++) {
            SequenceBlock block = randomBlock(width, rng);
            blocks.add(block);
            width = block.layer().outputWidth(width);
        }
        return new SequenceArchitecture(embedding, blocks, Choices.pick(pooling, rng));
    }

    /** A block of a type drawn uniformly, then its settings, reading vectors of {@code width}. */
    private SequenceBlock randomBlock(int width, RandomGenerator rng) {
        SequenceLayerType type = Choices.pick(types(), rng);
        SequenceLayer layer = switch (type) {
            case LSTM, BILSTM, RNN -> new SequenceLayer.Recurrent(type, Choices.pick(units, rng));
            case CONV1D -> new SequenceLayer.Conv1d(Choices.pick(kernelSizes, rng), Choices.pick(filters, rng), Choices.pick(activations, rng));
            case MAX_POOL1D -> new SequenceLayer.MaxPool1d();
            case ATTENTION -> new SequenceLayer.Attention(Choices.pick(heads, rng));
            case TRANSFORMER -> new SequenceLayer.Transformer(Choices.pick(heads, rng), Choices.pick(feedForward, rng));
        };
        return new SequenceBlock(layer, Choices.pick(dropoutRates, rng), Choices.pick(residualChoices(layer, width), rng));
    }

    /**
     * One choice changed: the embedding, the pooling, one block's layer, dropout or residual, or a block inserted or
     * removed. Drawn until the child differs from the parent and is a member (a change of width can leave a later
     * residual without a match).
     */
    @Override
    public SequenceArchitecture mutate(Architecture parent, RandomGenerator rng) {
        return change((SequenceArchitecture) parent, rng)
                .orElseGet(() -> (SequenceArchitecture) Neighbours.another(this, parent, rng));
    }

    /** A random single-choice change of {@code net} that stays in the space; empty when none was drawn. */
    private Optional<SequenceArchitecture> change(SequenceArchitecture net, RandomGenerator rng) {
        return Neighbours.change(this, net, r -> {
            try {
                return mutation(net, r);
            } catch (IllegalArgumentException widthsDoNotFit) {
                return null;
            }
        }, rng);
    }

    private SequenceArchitecture mutation(SequenceArchitecture net, RandomGenerator rng) {
        List<SequenceBlock> blocks = new ArrayList<>(net.blocks());
        int i = rng.nextInt(blocks.size());
        SequenceBlock b = blocks.get(i);
        switch (rng.nextInt(7)) {
            case 0 -> {
                return new SequenceArchitecture(Choices.pick(embeddingDims, rng), blocks, net.pooling());
            }
            case 1 -> {
                return new SequenceArchitecture(net.embedding(), blocks, Choices.pick(pooling, rng));
            }
            case 2 -> blocks.set(i, randomBlock(net.inputWidth(i), rng));
            case 3 -> blocks.set(i, new SequenceBlock(b.layer(), Choices.pick(dropoutRates, rng), b.residual()));
            case 4 -> blocks.set(i, new SequenceBlock(b.layer(), b.dropout(), !b.residual()));
            case 5 -> {
                int at = rng.nextInt(blocks.size() + 1);
                blocks.add(at, randomBlock(net.inputWidth(at), rng));
            }
            default -> blocks.remove(i);
        }
        return new SequenceArchitecture(net.embedding(), blocks, net.pooling());
    }

    /**
     * The embedding and the pooling each from either parent, the blocks block-wise ({@link Crossover#blockwise}); a
     * residual whose block no longer keeps the width it reads is dropped, and a child whose attention heads do not
     * divide their width is drawn again.
     */
    @Override
    public SequenceArchitecture crossover(Architecture x, Architecture y, RandomGenerator rng) {
        SequenceArchitecture a = (SequenceArchitecture) x;
        SequenceArchitecture b = (SequenceArchitecture) y;
        return Crossover.member(this, a, b, rng, r -> {
            int embedding = (r.nextBoolean() ? a : b).embedding();
            SequencePooling head = (r.nextBoolean() ? a : b).pooling();
            List<SequenceBlock> blocks = new ArrayList<>(Crossover.blockwise(a.blocks(), b.blocks(), r));
            int width = embedding;
            for (int i = 0; i < blocks.size(); i++) {
                SequenceBlock block = blocks.get(i);
                if (block.residual() && block.layer().outputWidth(width) != width) {
                    blocks.set(i, new SequenceBlock(block.layer(), block.dropout(), false));
                }
                width = block.layer().outputWidth(width);
            }
            return new SequenceArchitecture(embedding, blocks, head);
        });
    }

    @Override
    public List<Architecture> neighbours(Architecture architecture, RandomGenerator rng, int limit) {
        return Neighbours.drawn(() -> change((SequenceArchitecture) architecture, rng), limit);
    }

    // ---------------------------------------------------------------- encoding

    /**
     * One-hot embedding dimension and pooling, then per block slot (up to {@code maxBlocks}): present, one-hot
     * type, units, kernel, filters, activation, heads and feed-forward units, the dropout rate, residual. Empty
     * slots are 0.
     */
    @Override
    public double[] encode(Architecture architecture) {
        SequenceArchitecture net = (SequenceArchitecture) architecture;
        double[] v = new double[encodingLength()];
        Choices.oneHot(v, 0, embeddingDims.indexOf(net.embedding()));
        Choices.oneHot(v, embeddingDims.size(), pooling.indexOf(net.pooling()));
        int slot = slotLength();
        for (int i = 0; i < net.blocks().size() && i < maxBlocks; i++) {
            SequenceBlock b = net.blocks().get(i);
            int at = embeddingDims.size() + pooling.size() + i * slot;
            v[at++] = 1;
            v[at + b.layer().type().ordinal()] = 1;
            at += SequenceLayerType.values().length;
            int kernelsAt = at + units.size();
            int filtersAt = kernelsAt + kernelSizes.size();
            int activationsAt = filtersAt + filters.size();
            int headsAt = activationsAt + activations.size();
            int feedForwardAt = headsAt + heads.size();
            SequenceLayer layer = b.layer();
            if (layer instanceof SequenceLayer.Recurrent r) {
                Choices.oneHot(v, at, units.indexOf(r.units()));
            } else if (layer instanceof SequenceLayer.Conv1d c) {
                Choices.oneHot(v, kernelsAt, kernelSizes.indexOf(c.kernel()));
                Choices.oneHot(v, filtersAt, filters.indexOf(c.filters()));
                Choices.oneHot(v, activationsAt, activations.indexOf(c.activation()));
            } else if (layer instanceof SequenceLayer.Attention a) {
                Choices.oneHot(v, headsAt, heads.indexOf(a.heads()));
            } else if (layer instanceof SequenceLayer.Transformer t) {
                Choices.oneHot(v, headsAt, heads.indexOf(t.heads()));
                Choices.oneHot(v, feedForwardAt, feedForward.indexOf(t.feedForward()));
            }
            at = feedForwardAt + feedForward.size();
            v[at++] = b.dropout();
            v[at] = b.residual() ? 1 : 0;
        }
        return v;
    }

    private int slotLength() {
        return 1 + SequenceLayerType.values().length + units.size() + kernelSizes.size() + filters.size()
                + activations.size() + heads.size() + feedForward.size() + 2;
    }

    @Override
    public int encodingLength() {
        return embeddingDims.size() + pooling.size() + maxBlocks * slotLength();
    }
}
