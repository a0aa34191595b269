package io.galapagos.space;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Single-choice edits of a macro architecture: one field of one block, the layer type of one block,
 * one block more or less, or one skip edge (or the skip mode) of one block. An edit may leave the
 * space; {@link MacroSearchSpace#mutate} retries until it does not.
 */
final class MacroMutation {

    private enum Kind { FIELD, LAYER_TYPE, ADD_BLOCK, REMOVE_BLOCK, SKIP }

    private MacroMutation() {
    }

    /** One random edit of {@code parent}, or {@code null} when the drawn edit does not apply. */
    static MacroArchitecture apply(MacroSearchSpace space, MacroArchitecture parent, RandomGenerator rng) {
        List<Block> blocks = new ArrayList<>(parent.blocks());
        Kind kind = Kind.values()[rng.nextInt(Kind.values().length)];
        int n = blocks.size();
        return switch (kind) {
            case FIELD -> changeField(space, blocks, rng.nextInt(n), rng);
            case LAYER_TYPE -> changeLayerType(space, blocks, rng.nextInt(n), rng);
            case ADD_BLOCK -> n < space.maxBlocks() ? addBlock(space, blocks, rng) : null;
            case REMOVE_BLOCK -> n > space.minBlocks() ? removeBlock(blocks, rng.nextInt(n)) : null;
            case SKIP -> changeSkip(space, parent, blocks, rng.nextInt(n), rng);
        };
    }

    private static MacroArchitecture changeField(MacroSearchSpace space, List<Block> blocks, int i,
                                                 RandomGenerator rng) {
        Block b = blocks.get(i);
        Layer layer = b.layer();
        Activation activation = b.activation();
        boolean bn = b.batchNorm();
        double dropout = b.dropout();
        int field = rng.nextInt(5);
        switch (field) {
            case 0 -> {
                if (layer instanceof Layer.Conv conv) {
                    layer = new Layer.Conv(other(space.kernelSizes(), conv.kernel(), rng), conv.filters());
                } else if (layer instanceof Layer.Dense) {
                    layer = new Layer.Dense(other(space.denseUnits(), ((Layer.Dense) layer).units(), rng));
                } else {
                    return null;
                }
            }
            case 1 -> {
                if (!(layer instanceof Layer.Conv conv)) {
                    return null;
                }
                layer = new Layer.Conv(conv.kernel(), other(space.filters(), conv.filters(), rng));
            }
            case 2 -> {
                if (activation == null) {
                    return null;
                }
                activation = other(space.activations(), activation, rng);
            }
            case 3 -> {
                if (activation == null) {
                    return null;
                }
                bn = other(space.batchNorm(), bn, rng);
            }
            default -> dropout = other(space.dropoutRates(), dropout, rng);
        }
        blocks.set(i, new Block(layer, activation, bn, dropout, b.skips(), b.skipMode()));
        return new MacroArchitecture(blocks);
    }

    private static MacroArchitecture changeLayerType(MacroSearchSpace space, List<Block> blocks, int i,
                                                     RandomGenerator rng) {
        Block b = blocks.get(i);
        Block fresh = space.randomBlockFor(b.layer().spatial(), rng);
        if (LayerType.of(fresh.layer()) == LayerType.of(b.layer())) {
            return null;
        }
        blocks.set(i, fresh.withSkips(b.skips(), b.skipMode()));
        return new MacroArchitecture(blocks);
    }

    private static MacroArchitecture addBlock(MacroSearchSpace space, List<Block> blocks, RandomGenerator rng) {
        int featureLength = (int) blocks.stream().filter(b -> b.layer().spatial()).count();
        int at = rng.nextInt(blocks.size() + 1);
        boolean spatial;
        if (at < featureLength) {
            spatial = true;
        } else if (at > featureLength) {
            spatial = false;
        } else {
            spatial = space.allowsStage(true) && (!space.allowsStage(false) || rng.nextBoolean());
        }
        if (!space.allowsStage(spatial)) {
            return null;
        }
        for (int j = at; j < blocks.size(); j++) {
            Block b = blocks.get(j);
            blocks.set(j, b.withSkips(b.skips().stream().map(s -> s >= at ? s + 1 : s).toList(), b.skipMode()));
        }
        blocks.add(at, space.randomBlockFor(spatial, rng));
        return new MacroArchitecture(blocks);
    }

    private static MacroArchitecture removeBlock(List<Block> blocks, int at) {
        blocks.remove(at);
        for (int j = at; j < blocks.size(); j++) {
            int index = j;
            Block b = blocks.get(j);
            List<Integer> skips = b.skips().stream()
                    .filter(s -> s != at)
                    .map(s -> s > at ? s - 1 : s)
                    .filter(s -> s <= index - 2)
                    .toList();
            blocks.set(j, b.withSkips(skips, b.skipMode()));
        }
        return blocks.isEmpty() ? null : new MacroArchitecture(blocks);
    }

    private static MacroArchitecture changeSkip(MacroSearchSpace space, MacroArchitecture parent,
                                                List<Block> blocks, int i, RandomGenerator rng) {
        if (space.skipModes().isEmpty()) {
            return null;
        }
        Block b = blocks.get(i);
        int stageStart = b.layer().spatial() ? 0 : parent.featureBlocks();
        int eligible = i - 1 - stageStart;
        if (eligible < 1) {
            return null;
        }
        if (!b.skips().isEmpty() && space.skipModes().size() > 1 && rng.nextInt(eligible + 1) == 0) {
            blocks.set(i, b.withSkips(b.skips(), other(space.skipModes(), b.skipMode(), rng)));
            return new MacroArchitecture(blocks);
        }
        int source = stageStart + rng.nextInt(eligible);
        List<Integer> skips = new ArrayList<>(b.skips());
        if (!skips.remove(Integer.valueOf(source))) {
            skips.add(source);
            skips.sort(null);
        }
        SkipMode mode = b.skipMode() != null ? b.skipMode() : space.skipModes().get(rng.nextInt(space.skipModes().size()));
        blocks.set(i, b.withSkips(skips, mode));
        return new MacroArchitecture(blocks);
    }

    /** A value of {@code choices} other than {@code current}; {@code current} itself when there is none. */
    private static <T> T other(List<T> choices, T current, RandomGenerator rng) {
        List<T> others = choices.stream().filter(c -> !c.equals(current)).toList();
        return others.isEmpty() ? current : others.get(rng.nextInt(others.size()));
    }
}
