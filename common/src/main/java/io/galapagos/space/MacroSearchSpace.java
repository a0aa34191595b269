package io.galapagos.space;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The macro space for image classification: 1 to N blocks, each a convolution (kernel and filters from
 * sets), max or average pooling, or a dense layer (units from a set), with an activation, optional batch
 * normalisation, a dropout rate and optional skips from earlier blocks of the same stage.
 * Field names follow the YAML keys; an empty {@code skipModes} turns skips off.
 */
public record MacroSearchSpace(int minBlocks, int maxBlocks, Set<LayerType> layerTypes,
                               List<Integer> kernelSizes, List<Integer> filters, List<Integer> denseUnits,
                               List<Activation> activations, List<Boolean> batchNorm,
                               List<Double> dropoutRates, List<SkipMode> skipModes) implements SearchSpace {

    /** Upper bound on blocks: skips make the space size grow as 2^(n^2), and deeper macro nets do not train here. */
    public static final int MAX_BLOCKS = 24;

    public MacroSearchSpace {
        Choices.blocks(minBlocks, maxBlocks, MAX_BLOCKS);
        layerTypes = layerTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(layerTypes));
        Choices.nonEmpty("layers", layerTypes);
        kernelSizes = Choices.distinct("kernel_sizes", kernelSizes);
        filters = Choices.distinct("filters", filters);
        denseUnits = Choices.distinct("dense_units", denseUnits);
        activations = Choices.distinct("activations", activations);
        batchNorm = Choices.distinct("batch_norm", batchNorm);
        dropoutRates = Choices.distinct("dropout", dropoutRates);
        skipModes = Choices.distinct("skip_modes", skipModes);
        if (layerTypes.contains(LayerType.CONV)) {
            Choices.nonEmpty("kernel_sizes", kernelSizes);
            Choices.nonEmpty("filters", filters);
        }
        if (layerTypes.contains(LayerType.DENSE)) {
            Choices.nonEmpty("dense_units", denseUnits);
        }
        if (layerTypes.contains(LayerType.CONV) || layerTypes.contains(LayerType.DENSE)) {
            Choices.nonEmpty("activations", activations);
            Choices.nonEmpty("batch_norm", batchNorm);
        }
        Choices.nonEmpty("dropout", dropoutRates);
        for (int k : kernelSizes) {
            if (k < 1 || k % 2 == 0 || k > 11) {
                throw new InvalidValueException("kernel_sizes", k, "must be odd, between 1 and 11");
            }
        }
        for (int f : filters) {
            if (f < 1 || f > 4096) {
                throw new InvalidValueException("filters", f, "must be between 1 and 4096");
            }
        }
        for (int u : denseUnits) {
            if (u < 1 || u > 65536) {
                throw new InvalidValueException("dense_units", u, "must be between 1 and 65536");
            }
        }
        for (double d : dropoutRates) {
            if (!(d >= 0 && d < 1)) {
                throw new InvalidValueException("dropout", d, "must be in [0, 1)");
            }
        }
    }

    private boolean allows(boolean spatialStage) {
        return layerTypes.stream().anyMatch(t -> t.spatial() == spatialStage);
    }

    // ---------------------------------------------------------------- counting

    @Override
    public BigInteger size() {
        BigInteger feature = BigInteger.valueOf(blockChoices(true));
        BigInteger head = BigInteger.valueOf(blockChoices(false));
        BigInteger total = BigInteger.ZERO;
        for (int n = minBlocks; n <= maxBlocks; n++) {
            for (int m = 0; m <= n; m++) {
                total = total.add(stageCount(feature, m).multiply(stageCount(head, n - m)));
            }
        }
        return total;
    }

    /** Distinct stages of {@code length} blocks with {@code choices} options per block, skips included. */
    private BigInteger stageCount(BigInteger choices, int length) {
        BigInteger count = BigInteger.ONE;
        for (int i = 0; i < length; i++) {
            count = count.multiply(choices).multiply(skipOptions(i));
        }
        return count;
    }

    /** Skip options of the i-th block of a stage: none, or a non-empty subset of blocks 0..i-2 and a mode. */
    private BigInteger skipOptions(int indexInStage) {
        int eligible = Math.max(0, indexInStage - 1);
        return BigInteger.ONE.add(BigInteger.TWO.pow(eligible).subtract(BigInteger.ONE)
                .multiply(BigInteger.valueOf(skipModes.size())));
    }

    private long blockChoices(boolean spatialStage) {
        long withActivation = (long) activations.size() * batchNorm.size() * dropoutRates.size();
        long n = 0;
        for (LayerType type : layerTypes) {
            if (type.spatial() != spatialStage) {
                continue;
            }
            n += switch (type) {
                case CONV -> (long) kernelSizes.size() * filters.size() * withActivation;
                case MAX_POOL, AVG_POOL -> dropoutRates.size();
                case DENSE -> denseUnits.size() * withActivation;
            };
        }
        return n;
    }

    // ---------------------------------------------------------------- membership

    @Override
    public List<String> violations(Architecture architecture) {
        List<String> problems = new ArrayList<>();
        if (!(architecture instanceof MacroArchitecture macro)) {
            problems.add("not a macro architecture: " + architecture.text());
            return problems;
        }
        int n = macro.blocks().size();
        if (n < minBlocks || n > maxBlocks) {
            problems.add(n + " blocks, the space allows " + minBlocks + " to " + maxBlocks);
        }
        for (int i = 0; i < n; i++) {
            Block b = macro.blocks().get(i);
            String at = "block " + i + " (" + b.text() + "): ";
            LayerType type = LayerType.of(b.layer());
            if (!layerTypes.contains(type)) {
                problems.add(at + "layer type " + type.text() + " is not in the space");
            }
            if (b.layer() instanceof Layer.Conv conv) {
                Choices.check(problems, at, "kernel size", conv.kernel(), kernelSizes);
                Choices.check(problems, at, "filters", conv.filters(), filters);
            } else if (b.layer() instanceof Layer.Dense dense) {
                Choices.check(problems, at, "dense units", dense.units(), denseUnits);
            }
            if (b.activation() != null) {
                Choices.check(problems, at, "activation", b.activation(), activations);
                Choices.check(problems, at, "batch_norm", b.batchNorm(), batchNorm);
            }
            Choices.check(problems, at, "dropout", b.dropout(), dropoutRates);
            if (b.skipMode() != null) {
                Choices.check(problems, at, "skip mode", b.skipMode(), skipModes);
            }
        }
        return problems;
    }

    @Override
    public MacroArchitecture parse(String text) {
        MacroArchitecture architecture = MacroArchitecture.parse(text);
        List<String> problems = violations(architecture);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not in the search space: " + problems.get(0));
        }
        return architecture;
    }

    // ---------------------------------------------------------------- sampling

    @Override
    public MacroArchitecture sample(RandomGenerator rng) {
        int n = minBlocks + rng.nextInt(maxBlocks - minBlocks + 1);
        int featureLength;
        if (!allows(false)) {
            featureLength = n;
        } else if (!allows(true)) {
            featureLength = 0;
        } else {
            featureLength = rng.nextInt(n + 1);
        }
        List<Block> blocks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean spatial = i < featureLength;
            int stageStart = spatial ? 0 : featureLength;
            blocks.add(randomBlock(spatial, rng).withSkips(randomSkips(stageStart, i, rng), Choices.pick(skipModes, rng)));
        }
        return new MacroArchitecture(blocks);
    }

    /** No skips half the time, otherwise each eligible source with probability one half (at least one). */
    private List<Integer> randomSkips(int stageStart, int index, RandomGenerator rng) {
        int eligible = index - 1 - stageStart;
        if (skipModes.isEmpty() || eligible < 1 || rng.nextBoolean()) {
            return List.of();
        }
        List<Integer> skips = new ArrayList<>();
        while (skips.isEmpty()) {
            for (int j = stageStart; j <= index - 2; j++) {
                if (rng.nextBoolean()) {
                    skips.add(j);
                }
            }
        }
        return skips;
    }

    private Block randomBlock(boolean spatial, RandomGenerator rng) {
        List<LayerType> types = layerTypes.stream().filter(t -> t.spatial() == spatial).sorted().toList();
        LayerType type = Choices.pick(types, rng);
        double dropout = Choices.pick(dropoutRates, rng);
        return switch (type) {
            case MAX_POOL -> Block.of(new Layer.Pool(PoolKind.MAX), null, false, dropout);
            case AVG_POOL -> Block.of(new Layer.Pool(PoolKind.AVG), null, false, dropout);
            case CONV -> Block.of(new Layer.Conv(Choices.pick(kernelSizes, rng), Choices.pick(filters, rng)),
                    Choices.pick(activations, rng), Choices.pick(batchNorm, rng), dropout);
            case DENSE -> Block.of(new Layer.Dense(Choices.pick(denseUnits, rng)),
                    Choices.pick(activations, rng), Choices.pick(batchNorm, rng), dropout);
        };
    }

    // ---------------------------------------------------------------- mutation

    @Override
    public MacroArchitecture mutate(Architecture parent, RandomGenerator rng) {
        return change((MacroArchitecture) parent, rng)
                .orElseGet(() -> (MacroArchitecture) Neighbours.another(this, parent, rng));
    }

    /** A random single-choice change of {@code parent} that stays in the space; empty when none was drawn. */
    private Optional<MacroArchitecture> change(MacroArchitecture parent, RandomGenerator rng) {
        return Neighbours.change(this, parent, r -> MacroMutation.apply(this, parent, r), rng);
    }

    /**
     * The feature stage and the head stage each recombined block-wise ({@link Crossover#blockwise}), so a block
     * keeps its index within its stage and its skip sources, which come before it in the same stage, exist in the
     * child; the head's skips are re-indexed to where the child's head starts.
     */
    @Override
    public MacroArchitecture crossover(Architecture x, Architecture y, RandomGenerator rng) {
        MacroArchitecture a = (MacroArchitecture) x;
        MacroArchitecture b = (MacroArchitecture) y;
        return Crossover.member(this, a, b, rng, r -> {
            List<Block> blocks = new ArrayList<>(Crossover.blockwise(a.blocks().subList(0, a.featureBlocks()),
                    b.blocks().subList(0, b.featureBlocks()), r));
            int headStart = blocks.size();
            for (Block block : Crossover.blockwise(head(a), head(b), r)) {
                blocks.add(block.withSkips(block.skips().stream().map(s -> s + headStart).toList(), block.skipMode()));
            }
            return new MacroArchitecture(blocks);
        });
    }

    /** The head stage's blocks with their skips counted from the head's first block. */
    private static List<Block> head(MacroArchitecture net) {
        int start = net.featureBlocks();
        return net.blocks().subList(start, net.blocks().size()).stream()
                .map(block -> block.withSkips(block.skips().stream().map(s -> s - start).toList(), block.skipMode()))
                .toList();
    }

    @Override
    public List<Architecture> neighbours(Architecture architecture, RandomGenerator rng, int limit) {
        return Neighbours.drawn(() -> change((MacroArchitecture) architecture, rng), limit);
    }

    /**
     * Per block slot (up to {@code maxBlocks}): present, one-hot layer type, one-hot kernel, filters and
     * units, one-hot activation, batch norm, dropout, number of skips, one-hot skip mode. Empty slots are 0.
     */
    @Override
    public double[] encode(Architecture architecture) {
        MacroArchitecture macro = (MacroArchitecture) architecture;
        double[] v = new double[encodingLength()];
        int slot = slotLength();
        for (int i = 0; i < macro.blocks().size() && i < maxBlocks; i++) {
            Block b = macro.blocks().get(i);
            int at = i * slot;
            v[at++] = 1;
            v[at + LayerType.of(b.layer()).ordinal()] = 1;
            at += LayerType.values().length;
            if (b.layer() instanceof Layer.Conv conv) {
                Choices.oneHot(v, at, kernelSizes.indexOf(conv.kernel()));
                Choices.oneHot(v, at + kernelSizes.size(), filters.indexOf(conv.filters()));
            } else if (b.layer() instanceof Layer.Dense dense) {
                Choices.oneHot(v, at + kernelSizes.size() + filters.size(), denseUnits.indexOf(dense.units()));
            }
            at += kernelSizes.size() + filters.size() + denseUnits.size();
            if (b.activation() != null) {
                Choices.oneHot(v, at, activations.indexOf(b.activation()));
            }
            at += activations.size();
            v[at++] = b.batchNorm() ? 1 : 0;
            v[at++] = b.dropout();
            v[at++] = b.skips().size();
            if (b.skipMode() != null) {
                Choices.oneHot(v, at, skipModes.indexOf(b.skipMode()));
            }
        }
        return v;
    }

    private int slotLength() {
        return 1 + LayerType.values().length + kernelSizes.size() + filters.size() + denseUnits.size()
                + activations.size() + 3 + skipModes.size();
    }

    @Override
    public int encodingLength() {
        return maxBlocks * slotLength();
    }

    Block randomBlockFor(boolean spatial, RandomGenerator rng) {
        return randomBlock(spatial, rng);
    }

    boolean allowsStage(boolean spatial) {
        return allows(spatial);
    }
}
