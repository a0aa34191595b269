package io.galapagos.driver.report;

import io.galapagos.space.Architecture;
import io.galapagos.space.Block;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.SequenceArchitecture;
import io.galapagos.space.SequenceBlock;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The choices an architecture made, as decision name and value text, for asking which decisions matter. A cell makes
 * one decision per edge ({@code node2<-1}: the operation from node 1 into node 2). A macro or sequence network makes
 * its depth and, per block position, the layer, its activation or dropout, and its skips; a position past the
 * network's depth takes the value {@value #ABSENT}, so that networks of different depths share decision names.
 * Stateless.
 */
final class Decisions {

    static final String ABSENT = "-";

    private Decisions() {
    }

    /** The decisions of {@code architecture}, in the space's order. */
    static Map<String, String> of(Architecture architecture) {
        Map<String, String> decisions = new LinkedHashMap<>();
        if (architecture instanceof CellArchitecture cell) {
            for (int to = 1; to < CellArchitecture.NODES; to++) {
                for (int from = 0; from < to; from++) {
                    decisions.put("node" + to + "<-" + from, cell.operation(from, to).text());
                }
            }
        } else if (architecture instanceof MacroArchitecture macro) {
            decisions.put("depth", Integer.toString(macro.blocks().size()));
            List<Block> blocks = macro.blocks();
            for (int i = 0; i < blocks.size(); i++) {
                Block b = blocks.get(i);
                String at = "block" + (i + 1) + " ";
                decisions.put(at + "layer", b.layer().text());
                decisions.put(at + "activation", b.activation() == null ? ABSENT : b.activation().text());
                decisions.put(at + "batch norm", Boolean.toString(b.batchNorm()));
                decisions.put(at + "dropout", rate(b.dropout()));
                decisions.put(at + "skips", b.skips().isEmpty() ? "none" : b.skipMode().text() + b.skips());
            }
        } else if (architecture instanceof SequenceArchitecture sequence) {
            decisions.put("embedding", Integer.toString(sequence.embedding()));
            decisions.put("depth", Integer.toString(sequence.blocks().size()));
            List<SequenceBlock> blocks = sequence.blocks();
            for (int i = 0; i < blocks.size(); i++) {
                SequenceBlock b = blocks.get(i);
                String at = "block" + (i + 1) + " ";
                decisions.put(at + "layer", b.layer().text());
                decisions.put(at + "dropout", rate(b.dropout()));
                decisions.put(at + "residual", Boolean.toString(b.residual()));
            }
            decisions.put("pooling", sequence.pooling().text());
        }
        return decisions;
    }

    /**
     * The decisions of every architecture under one list of names, in first-seen order: an architecture without a
     * decision (a shallower network) has {@value #ABSENT} there.
     */
    static Table table(List<Architecture> architectures) {
        Map<String, Integer> names = new LinkedHashMap<>();
        List<Map<String, String>> each = architectures.stream().map(Decisions::of).toList();
        each.forEach(d -> d.keySet().forEach(name -> names.putIfAbsent(name, names.size())));
        List<String[]> rows = each.stream().map(d -> {
            String[] row = new String[names.size()];
            names.forEach((name, j) -> row[j] = d.getOrDefault(name, ABSENT));
            return row;
        }).toList();
        return new Table(List.copyOf(names.keySet()), rows);
    }

    /**
     * @param names  the decisions, in order
     * @param values per architecture, its value of each decision
     */
    record Table(List<String> names, List<String[]> values) {
    }

    private static String rate(double rate) {
        return BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
    }
}
