#!/usr/bin/env python3
"""What shared weights miss: reads the file SupernetRankingBenchmark writes with -Dbench.accuracies=FILE and, for
each row, prints how a few features of a cell's live part (its edges on a path from input to output that carry no
`none`) rank the cells against stand-alone training and against the row's supernets. A feature that ranks
stand-alone training well and the supernet less well is what the shared weights underrate.

    python3 benchmarks/supernet-ranking/features.py FILE     (NumPy and SciPy)
"""
import sys

from scipy.stats import kendalltau, rankdata, spearmanr


def live_edges(cell):
    """The (from, to, operation) edges of an NB201 cell on a path from node 0 to node 3 without `none`."""
    edges = []
    for to, node in enumerate(cell.strip("|").split("|+|"), start=1):
        for item in node.split("|"):
            operation, source = item.split("~")
            if operation != "none":
                edges.append((int(source), to, operation))
    reach, back = {0}, {3}
    for source, to, _ in sorted(edges, key=lambda e: e[1]):
        if source in reach:
            reach.add(to)
    for source, to, _ in sorted(edges, key=lambda e: -e[0]):
        if to in back:
            back.add(source)
    return [e for e in edges if e[0] in reach and e[1] in back]


def features(cell):
    edges = live_edges(cell)
    depth = {0: 0}  # the most convolutions on one path from node 0
    for node in (1, 2, 3):
        inputs = [depth[s] + o.startswith("nor_conv") for s, t, o in edges if t == node and s in depth]
        if inputs:
            depth[node] = max(inputs)
    return {"3x3 convolutions": sum(o == "nor_conv_3x3" for _, _, o in edges),
            "1x1 convolutions": sum(o == "nor_conv_1x1" for _, _, o in edges),
            "skip connections": sum(o == "skip_connect" for _, _, o in edges),
            "pools": sum(o == "avg_pool_3x3" for _, _, o in edges),
            "convolutions in series": depth.get(3, 0)}


def main(path):
    lines = [line.split() for line in open(path) if line.strip()]
    header, rows = lines[0], lines[1:]
    cells = [features(row[0]) for row in rows]
    stand_alone = [float(row[1]) for row in rows]
    print(f"{len(rows)} cells; Kendall's tau-b against stand-alone training:")
    for name in cells[0]:
        values = [cell[name] for cell in cells]
        print(f"  {name}: {kendalltau(values, stand_alone).statistic:.3f}")
    for column, row in enumerate(header[2:], start=2):
        supernet = [float(r[column]) for r in rows]
        residual = rankdata(supernet) - rankdata(stand_alone)
        print(f"{row}: tau {kendalltau(supernet, stand_alone).statistic:.3f}; Spearman's rho of each feature "
              "with stand-alone / with this row / with this row's rank minus stand-alone's:")
        for name in cells[0]:
            values = [cell[name] for cell in cells]
            print(f"  {name}: {spearmanr(values, stand_alone).statistic:+.2f} / {spearmanr(values, supernet).statistic:+.2f}"
                  f" / {spearmanr(values, residual).statistic:+.2f}")


if __name__ == "__main__":
    main(sys.argv[1])
