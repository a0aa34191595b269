package io.galapagos.space;

import java.util.ArrayList;
import java.util.List;

/**
 * A NAS-Bench-201 cell: four nodes, node {@code j} summing an operation on every earlier node {@code i},
 * so six edges in NB201's order (1&lt;-0, 2&lt;-0, 2&lt;-1, 3&lt;-0, 3&lt;-1, 3&lt;-2).
 *
 * <p>Canonical text is NB201's own:
 * {@code |nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|}.
 */
public record CellArchitecture(List<CellOperation> edges) implements Architecture {

    public static final int NODES = 4;
    public static final int EDGES = NODES * (NODES - 1) / 2;

    public CellArchitecture {
        edges = List.copyOf(edges);
        if (edges.size() != EDGES) {
            throw new IllegalArgumentException("a cell has " + EDGES + " edges, got " + edges.size());
        }
    }

    @Override
    public String text() {
        StringBuilder s = new StringBuilder();
        int edge = 0;
        for (int node = 1; node < NODES; node++) {
            s.append(node == 1 ? "|" : "+|");
            for (int from = 0; from < node; from++) {
                s.append(edges.get(edge++).text()).append('~').append(from).append('|');
            }
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    /** The operation on the edge from node {@code from} to node {@code to}. */
    public CellOperation operation(int from, int to) {
        return edges.get(to * (to - 1) / 2 + from);
    }

    /**
     * This cell with {@code none} on every edge that cannot change its output: edges out of a zero node (one whose
     * edges are all {@code none} or come from zero nodes) and edges into a node the output does not depend on.
     * Cells with the same effective cell compute the same function, so a search need not train both; Galapagos's
     * networks build only the effective edges (NB201's own would add a zero node's batch-normalisation biases, a
     * constant that carries nothing of the image).
     */
    public CellArchitecture effective() {
        boolean[] nonZero = new boolean[NODES];
        nonZero[0] = true;
        for (int node = 1; node < NODES; node++) {
            for (int from = 0; from < node; from++) {
                nonZero[node] |= nonZero[from] && operation(from, node) != CellOperation.NONE;
            }
        }
        boolean[] needed = new boolean[NODES];
        needed[NODES - 1] = true;
        for (int node = NODES - 2; node >= 0; node--) {
            for (int to = node + 1; to < NODES; to++) {
                needed[node] |= needed[to] && operation(node, to) != CellOperation.NONE;
            }
        }
        List<CellOperation> live = new ArrayList<>(EDGES);
        for (int to = 1; to < NODES; to++) {
            for (int from = 0; from < to; from++) {
                live.add(nonZero[from] && needed[to] ? operation(from, to) : CellOperation.NONE);
            }
        }
        return new CellArchitecture(live);
    }

    public CellArchitecture with(int edge, CellOperation operation) {
        List<CellOperation> changed = new ArrayList<>(edges);
        changed.set(edge, operation);
        return new CellArchitecture(changed);
    }

    /** Parses NB201's text form; the message says which part is wrong. */
    public static CellArchitecture parse(String text) {
        if (text == null || !text.startsWith("|") || !text.endsWith("|")) {
            throw new IllegalArgumentException("not an NB201 cell: '" + text + "'");
        }
        String[] nodes = text.split("\\+", -1);
        if (nodes.length != NODES - 1) {
            throw new IllegalArgumentException("an NB201 cell has " + (NODES - 1) + " nodes joined by '+', got '"
                    + text + "'");
        }
        List<CellOperation> edges = new ArrayList<>(EDGES);
        for (int node = 1; node < NODES; node++) {
            String body = nodes[node - 1];
            // "|" alone (a node left empty) both starts and ends with a bar, and has no inside to split
            String[] inputs = body.length() < 2 ? new String[0] : body.substring(1, body.length() - 1).split("\\|", -1);
            if (!body.startsWith("|") || !body.endsWith("|") || inputs.length != node) {
                throw new IllegalArgumentException("node " + node + " of '" + text + "' needs " + node + " inputs");
            }
            for (int from = 0; from < node; from++) {
                String[] parts = inputs[from].split("~", -1);
                if (parts.length != 2 || !parts[1].equals(String.valueOf(from))) {
                    throw new IllegalArgumentException("edge '" + inputs[from] + "' of node " + node
                            + " should read op~" + from);
                }
                edges.add(CellOperation.fromText(parts[0]));
            }
        }
        return new CellArchitecture(edges);
    }
}
