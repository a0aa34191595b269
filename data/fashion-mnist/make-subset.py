#!/usr/bin/env python3
"""Make the small, class-balanced Fashion-MNIST subset committed in this folder.

Python 3 standard library only.  Deterministic: the same source files and the
same arguments always give byte-identical output (seeded RNG, gzip level 9,
gzip header mtime 0 and no file name).

Usage:
    python3 make-subset.py [--src /usr/share/datasets/fashion-mnist] [--out .]
                           [--train-per-class 1400] [--test-per-class 200] [--seed 20261128]

Selection:
  * train: for each class 0..9, the indices of that class in the full 60,000
    training set are shuffled with random.Random(seed) and the first
    --train-per-class are kept; the union is then shuffled once more with the
    same RNG so that classes are interleaved in the output file.
  * test: the first --test-per-class images of each class, scanning the 10,000
    test images in their original order; output keeps the original order.
"""
import argparse
import gzip
import hashlib
import os
import random
import struct

NAMES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    body = data[4 + 4 * ndim:]
    item = 1
    for d in dims[1:]:
        item *= d
    if len(body) != dims[0] * item:
        raise ValueError(f"{path}: size mismatch")
    return dims, item, body


def write_idx(path, dims, item, body, indices):
    header = struct.pack(">HBB", 0, 0x08, len(dims))
    header += struct.pack(">" + "I" * len(dims), len(indices), *dims[1:])
    payload = bytearray(header)
    for i in indices:
        payload += body[i * item:(i + 1) * item]
    with open(path, "wb") as raw:
        # filename='' and mtime=0 make the gzip header reproducible
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9,
                           fileobj=raw, mtime=0) as gz:
            gz.write(payload)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--train-per-class", type=int, default=1400)
    ap.add_argument("--test-per-class", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20261128)
    a = ap.parse_args()

    rng = random.Random(a.seed)

    # ---- train: seeded, class-balanced
    ldims, litem, lbody = read_idx(os.path.join(a.src, NAMES["train_labels"]))
    idims, iitem, ibody = read_idx(os.path.join(a.src, NAMES["train_images"]))
    assert ldims[0] == idims[0]
    by_class = [[] for _ in range(10)]
    for i, lab in enumerate(lbody):
        by_class[lab].append(i)
    train = []
    for c in range(10):
        idx = list(by_class[c])
        rng.shuffle(idx)
        if len(idx) < a.train_per_class:
            raise SystemExit(f"class {c} has only {len(idx)} training images")
        train.extend(idx[:a.train_per_class])
    rng.shuffle(train)
    write_idx(os.path.join(a.out, NAMES["train_images"]), idims, iitem, ibody, train)
    write_idx(os.path.join(a.out, NAMES["train_labels"]), ldims, litem, lbody, train)

    # ---- test: first K per class, original order
    ldims, litem, lbody = read_idx(os.path.join(a.src, NAMES["test_labels"]))
    idims, iitem, ibody = read_idx(os.path.join(a.src, NAMES["test_images"]))
    counts = [0] * 10
    test = []
    for i, lab in enumerate(lbody):
        if counts[lab] < a.test_per_class:
            counts[lab] += 1
            test.append(i)
    if min(counts) < a.test_per_class:
        raise SystemExit(f"test set too small for {a.test_per_class} per class")
    write_idx(os.path.join(a.out, NAMES["test_images"]), idims, iitem, ibody, test)
    write_idx(os.path.join(a.out, NAMES["test_labels"]), ldims, litem, lbody, test)

    total = 0
    for key in ("train_images", "train_labels", "test_images", "test_labels"):
        p = os.path.join(a.out, NAMES[key])
        size = os.path.getsize(p)
        total += size
        with open(p, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        print(f"{NAMES[key]}  {size:>9} bytes  sha256 {digest}")
    print(f"train {len(train)} images ({a.train_per_class}/class), "
          f"test {len(test)} images ({a.test_per_class}/class, last test index used {test[-1]}), "
          f"total {total} bytes")


if __name__ == "__main__":
    main()
