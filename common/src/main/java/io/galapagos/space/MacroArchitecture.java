package io.galapagos.space;

import java.util.ArrayList;
import java.util.List;

/**
 * A feed-forward image classifier as a sequence of blocks: a feature stage (convolution and pooling)
 * followed by a head stage (dense layers); either stage may be empty. Block {@code i} reads the
 * output of block {@code i-1} (or the image) merged with the outputs of its skip sources, which are
 * earlier blocks of the same stage other than {@code i-1}.
 *
 * <p>Canonical text: the blocks' texts joined by {@code /}, e.g.
 * {@code conv3x3x32:relu:bn/maxpool/conv3x3x64:relu:add(0)/dense128:relu:d0.5}.
 */
public record MacroArchitecture(List<Block> blocks) implements Architecture {

    public MacroArchitecture {
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("an architecture needs at least one block");
        }
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            if (i > 0 && block.layer().spatial() && !blocks.get(i - 1).layer().spatial()) {
                throw new IllegalArgumentException("block " + i + " (" + block.layer().text()
                        + ") comes after a dense block; convolution and pooling must come first");
            }
            for (int source : block.skips()) {
                if (source > i - 2) {
                    throw new IllegalArgumentException("block " + i + " skips from block " + source
                            + "; skip sources must be earlier than block " + (i - 1));
                }
                if (blocks.get(source).layer().spatial() != block.layer().spatial()) {
                    throw new IllegalArgumentException("block " + i + " skips from block " + source
                            + " of the other stage; skips stay within the feature or the head stage");
                }
            }
        }
    }

    /** Number of blocks in the feature (convolution and pooling) stage. */
    public int featureBlocks() {
        int n = 0;
        while (n < blocks.size() && blocks.get(n).layer().spatial()) {
            n++;
        }
        return n;
    }

    @Override
    public String text() {
        StringBuilder s = new StringBuilder();
        for (Block block : blocks) {
            s.append(s.isEmpty() ? "" : "/").append(block.text());
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    /** Parses {@link #text()}; throws {@link IllegalArgumentException} naming what is wrong. */
    public static MacroArchitecture parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty architecture text");
        }
        List<Block> blocks = new ArrayList<>();
        for (String block : text.split("/", -1)) {
            blocks.add(Block.parse(block));
        }
        return new MacroArchitecture(blocks);
    }
}
