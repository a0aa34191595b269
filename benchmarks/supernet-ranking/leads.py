#!/usr/bin/env python3
"""How far few-shot ranks ahead of one-shot over several supernet seeds, and how much of it is the seeds' noise.

Reads files that SupernetRankingBenchmark writes with -Dbench.accuracies=FILE, one per supernet seed, all of one
sample (the same cells and stand-alone accuracies), each with the rows one-shot, few-shot-equal-epochs and
few-shot-equal-compute. Prints:
- each seed's Kendall tau-b of every row against stand-alone training, and few-shot's lead over one-shot;
- the mean lead over the seeds, with its 95% interval (Student's t over the seeds);
- the rows' "ensembles": each cell scored by its mean accuracy over all the seeds' supernets of that row. Averaging
  removes most of what a single supernet's seed adds, so the ensembles' lead is the part of the lead that does not
  depend on the seed; its 95% paired interval redraws the sample's cells with replacement (2,000 times, seeded);
- one-shot ensembles of k seeds (every k-subset, mean tau), k = 3 being about few-shot at equal epochs' compute
  (a 3-epoch warm-up, then 5 sub-supernets of 3 epochs: 18 supernet epochs against one-shot's 6).

    python3 benchmarks/supernet-ranking/leads.py benchmarks/supernet-ranking/accuracies/sample1-supernet*.txt
(NumPy and SciPy)
"""
import itertools
import statistics
import sys

import numpy as np
from scipy.stats import kendalltau, t as student

ROWS = ("one-shot", "few-shot-equal-epochs", "few-shot-equal-compute")
REDRAWS = 2000


def read(path):
    lines = [line.split() for line in open(path) if line.strip()]
    header, rows = lines[0][1:], lines[1:]
    missing = [row for row in ("stand-alone",) + ROWS if row not in header]
    if missing:
        sys.exit(f"{path}: no column {missing[0]} (its header: {' '.join(header)})")
    columns = {name: np.array([float(row[1 + i]) for row in rows]) for i, name in enumerate(header)}
    return [row[0] for row in rows], columns


def tau(scores, stand_alone):
    return kendalltau(scores, stand_alone).statistic


def mean_interval(values):
    mean = statistics.mean(values)
    half = student.ppf(0.975, len(values) - 1) * statistics.stdev(values) / len(values) ** 0.5
    return mean, mean - half, mean + half


def main(paths):
    runs = [read(path) for path in paths]
    cells, first = runs[0]
    for path, (other_cells, columns) in zip(paths[1:], runs[1:]):
        if other_cells != cells or not np.array_equal(columns["stand-alone"], first["stand-alone"]):
            sys.exit(f"{path}: another sample or reference than {paths[0]}'s")
    stand_alone = first["stand-alone"]
    print(f"{len(cells)} cells, {len(runs)} supernet seeds; tau of {' / '.join(ROWS)}, leads over one-shot:")
    leads = {row: [] for row in ROWS[1:]}
    seed_taus = {row: [] for row in ROWS}
    for path, (_, columns) in zip(paths, runs):
        taus = {row: tau(columns[row], stand_alone) for row in ROWS}
        for row in ROWS:
            seed_taus[row].append(taus[row])
        for row in ROWS[1:]:
            leads[row].append(taus[row] - taus["one-shot"])
        print(f"  {path}: " + " / ".join(f"{taus[row]:.3f}" for row in ROWS)
              + "; leads " + " / ".join(f"{leads[row][-1]:+.3f}" for row in ROWS[1:]))
    print("mean tau over the seeds: " + " / ".join(f"{statistics.mean(seed_taus[row]):.3f}" for row in ROWS))
    for row in ROWS[1:]:
        print("mean lead of %s: %+.3f (95%% interval over the seeds %+.3f to %+.3f)" % (row, *mean_interval(leads[row])))

    ensembles = {row: np.mean([columns[row] for _, columns in runs], axis=0) for row in ROWS}
    taus = {row: tau(ensembles[row], stand_alone) for row in ROWS}
    random = np.random.default_rng(1)
    redrawn = {row: [] for row in ROWS[1:]}
    for _ in range(REDRAWS):
        cells_drawn = random.integers(0, len(cells), len(cells))
        base = tau(ensembles["one-shot"][cells_drawn], stand_alone[cells_drawn])
        for row in ROWS[1:]:
            redrawn[row].append(tau(ensembles[row][cells_drawn], stand_alone[cells_drawn]) - base)
    print(f"ensembles of the {len(runs)} seeds: tau " + " / ".join(f"{taus[row]:.3f}" for row in ROWS))
    for row in ROWS[1:]:
        low, high = np.percentile(redrawn[row], [2.5, 97.5])
        print(f"  lead of {row}: {taus[row] - taus['one-shot']:+.3f} (95% paired interval {low:+.3f} to {high:+.3f})")
    for k in range(2, min(5, len(runs)) + 1):
        subsets = [tau(np.mean([runs[i][1]["one-shot"] for i in subset], axis=0), stand_alone)
                   for subset in itertools.combinations(range(len(runs)), k)]
        print(f"one-shot ensembles of {k} seeds: mean tau {statistics.mean(subsets):.3f} over {len(subsets)}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1:])
