package io.galapagos.space;

import java.util.ArrayList;
import java.util.List;

/**
 * A text classifier: token ids embedded in {@code embedding} dimensions, then the blocks in order, each reading
 * the previous block's output sequence, then the last block's output pooled over time and a softmax classifier.
 * Attention blocks need their heads to divide the width they read; a residual block needs its output as wide as its
 * input.
 *
 * <p>Canonical text: {@code embed<dimension>}, the blocks' texts and {@code head-<pooling>}, joined by {@code /},
 * e.g. {@code embed128/conv1d-k3x100:relu:d0.25/bilstm64/head-max}.
 */
public record SequenceArchitecture(int embedding, List<SequenceBlock> blocks, SequencePooling pooling)
        implements Architecture {

    static final String EMBED = "embed";
    static final String HEAD = "head-";

    public SequenceArchitecture {
        if (embedding < 1) {
            throw new IllegalArgumentException("the embedding dimension must be positive, got " + embedding);
        }
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("a sequence network needs at least one block");
        }
        if (pooling == null) {
            throw new IllegalArgumentException("a sequence network needs a pooling head");
        }
        int width = embedding;
        for (int i = 0; i < blocks.size(); i++) {
            SequenceBlock block = blocks.get(i);
            String problem = problem(block, width);
            if (problem != null) {
                throw new IllegalArgumentException("block " + i + " (" + block.text() + "): " + problem);
            }
            width = block.layer().outputWidth(width);
        }
    }

    /** Why {@code block} cannot read vectors of {@code width}; {@code null} when it can. */
    static String problem(SequenceBlock block, int width) {
        int heads = block.layer() instanceof SequenceLayer.Attention a ? a.heads()
                : block.layer() instanceof SequenceLayer.Transformer t ? t.heads() : 1;
        if (width % heads != 0) {
            return heads + " heads do not divide the width " + width + " it reads";
        }
        int out = block.layer().outputWidth(width);
        if (block.residual() && out != width) {
            return "a residual needs the output width (" + out + ") to equal the input width (" + width + ")";
        }
        return null;
    }

    /** The width of the vectors block {@code index} reads ({@code blocks().size()}: what the head pools). */
    public int inputWidth(int index) {
        int width = embedding;
        for (int i = 0; i < index; i++) {
            width = blocks.get(i).layer().outputWidth(width);
        }
        return width;
    }

    @Override
    public String text() {
        StringBuilder s = new StringBuilder(EMBED).append(embedding);
        blocks.forEach(b -> s.append('/').append(b.text()));
        return s.append('/').append(HEAD).append(pooling.text()).toString();
    }

    @Override
    public String toString() {
        return text();
    }

    /** Parses {@link #text()}; throws {@link IllegalArgumentException} quoting the part that is wrong. */
    public static SequenceArchitecture parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty architecture text");
        }
        String[] parts = text.split("/", -1);
        if (parts.length < 3 || !parts[0].matches(EMBED + "[1-9][0-9]{0,8}") || !parts[parts.length - 1]
                .startsWith(HEAD)) {
            throw new IllegalArgumentException("'" + text + "' is not 'embed<dimension>/<block>/.../head-<pooling>'");
        }
        List<SequenceBlock> blocks = new ArrayList<>();
        for (int i = 1; i < parts.length - 1; i++) {
            try {
                blocks.add(SequenceBlock.parse(parts[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "', block " + (i - 1) + ": " + e.getMessage());
            }
        }
        SequencePooling pooling = SequencePooling.fromText(parts[parts.length - 1].substring(HEAD.length()));
        return new SequenceArchitecture(Integer.parseInt(parts[0].substring(EMBED.length())), blocks, pooling);
    }
}
