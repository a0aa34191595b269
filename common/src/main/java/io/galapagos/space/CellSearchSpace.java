package io.galapagos.space;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The NAS-Bench-201 topology space: every edge of a {@link CellArchitecture} takes one of
 * {@code operations} (all five in NB201: 5^6 = 15,625 cells). A mutation changes the operation of one edge.
 */
public record CellSearchSpace(List<CellOperation> operations) implements SearchSpace {

    public CellSearchSpace {
        operations = operations.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(operations));
        if (operations.size() < 2) {
            throw new InvalidValueException("operations", operations, "must list at least two operations");
        }
    }

    /** NB201's own space: all five operations. */
    public static CellSearchSpace nb201() {
        return new CellSearchSpace(List.of(CellOperation.values()));
    }

    @Override
    public CellArchitecture sample(RandomGenerator rng) {
        List<CellOperation> edges = new ArrayList<>(CellArchitecture.EDGES);
        for (int e = 0; e < CellArchitecture.EDGES; e++) {
            edges.add(operations.get(rng.nextInt(operations.size())));
        }
        return new CellArchitecture(edges);
    }

    @Override
    public CellArchitecture mutate(Architecture parent, RandomGenerator rng) {
        CellArchitecture cell = (CellArchitecture) parent;
        int edge = rng.nextInt(CellArchitecture.EDGES);
        CellOperation current = cell.edges().get(edge);
        List<CellOperation> others = operations.stream().filter(op -> op != current).toList();
        return cell.with(edge, others.get(rng.nextInt(others.size())));
    }

    /** Each edge's operation from either parent, drawn evenly: every such cell is a member. */
    @Override
    public CellArchitecture crossover(Architecture x, Architecture y, RandomGenerator rng) {
        return new CellArchitecture(Crossover.blockwise(((CellArchitecture) x).edges(), ((CellArchitecture) y).edges(),
                rng));
    }

    @Override
    public CellArchitecture parse(String text) {
        CellArchitecture cell = CellArchitecture.parse(text);
        List<String> problems = violations(cell);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not in the search space: " + problems.get(0));
        }
        return cell;
    }

    @Override
    public List<String> violations(Architecture architecture) {
        if (!(architecture instanceof CellArchitecture cell)) {
            return List.of("not an NB201 cell: " + architecture.text());
        }
        List<String> problems = new ArrayList<>();
        for (int e = 0; e < CellArchitecture.EDGES; e++) {
            if (!operations.contains(cell.edges().get(e))) {
                problems.add("edge " + e + ": " + cell.edges().get(e).text() + " is not one of the space's operations");
            }
        }
        return problems;
    }

    @Override
    public List<Architecture> neighbours(Architecture architecture, RandomGenerator rng, int limit) {
        CellArchitecture cell = (CellArchitecture) architecture;
        List<Architecture> all = new ArrayList<>();
        for (int e = 0; e < CellArchitecture.EDGES; e++) {
            for (CellOperation op : operations) {
                if (op != cell.edges().get(e)) {
                    all.add(cell.with(e, op));
                }
            }
        }
        for (int i = all.size() - 1; i > 0; i--) {
            java.util.Collections.swap(all, i, rng.nextInt(i + 1));
        }
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    /** One-hot of each edge's operation, edge by edge. */
    @Override
    public double[] encode(Architecture architecture) {
        CellArchitecture cell = (CellArchitecture) architecture;
        double[] v = new double[encodingLength()];
        for (int e = 0; e < CellArchitecture.EDGES; e++) {
            v[e * operations.size() + operations.indexOf(cell.edges().get(e))] = 1;
        }
        return v;
    }

    @Override
    public int encodingLength() {
        return CellArchitecture.EDGES * operations.size();
    }

    @Override
    public BigInteger size() {
        return BigInteger.valueOf(operations.size()).pow(CellArchitecture.EDGES);
    }
}
