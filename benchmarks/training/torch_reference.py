#!/usr/bin/env python3
"""Trains one of the training benchmark's reference networks with PyTorch the way `galapagos train` does
(Adam, the learning rate and batch size given, one pass in a seeded shuffled order over the same number of
examples of the same Fashion-MNIST files), and prints one line: network, threads, seconds, examples/s,
test accuracy. A benchmark peer only: nothing in the build or the tests needs it.

Architectures are given in Galapagos's text form, for the subset the reference networks use: blocks
`convKxKxF` (same padding, no bias when batch normalised), `maxpool` (2x2, stride 2, same padding: ceil
halving), `denseU`, each with an activation (`relu`, `tanh`) and optional `bn`; a linear output layer with
softmax cross-entropy closes the network, as in Galapagos.
"""
import argparse
import gzip
import math
import struct
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def build(text, channels, size, classes):
    layers = []
    spatial = True
    for block in text.split("/"):
        parts = block.split(":")
        layer, options = parts[0], parts[1:]
        bn = "bn" in options
        activation = next((o for o in options if o in ("relu", "tanh")), None)
        if layer.startswith("conv"):
            k, _, f = layer[4:].split("x")
            k, f = int(k), int(f)
            layers.append(nn.Conv2d(channels, f, k, padding=k // 2, bias=not bn))
            if bn:
                layers.append(nn.BatchNorm2d(f, eps=1e-5, momentum=0.1))
            channels = f
        elif layer == "maxpool":
            layers.append(nn.MaxPool2d(2, 2, ceil_mode=True))
            size = math.ceil(size / 2)
        elif layer.startswith("dense"):
            units = int(layer[5:])
            if spatial:
                layers.append(nn.Flatten())
                channels, spatial = channels * size * size, False
            layers.append(nn.Linear(channels, units, bias=not bn))
            if bn:
                layers.append(nn.BatchNorm1d(units, eps=1e-5, momentum=0.1))
            channels = units
        else:
            raise SystemExit(f"torch_reference.py: unsupported block '{block}'")
        if activation == "relu":
            layers.append(nn.ReLU())
        elif activation == "tanh":
            layers.append(nn.Tanh())
    if spatial:
        layers.append(nn.Flatten())
        channels = channels * size * size
    layers.append(nn.Linear(channels, classes))
    return nn.Sequential(*layers)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--architecture", required=True)
    p.add_argument("--name", default="")
    p.add_argument("--data", default="data/fashion-mnist")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--examples", type=int, default=11900, help="training examples per epoch")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--learning-rate", type=float, default=0.002)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    images = read_idx(f"{a.data}/train-images-idx3-ubyte.gz")[:a.examples].astype(np.float32) / 255.0
    labels = read_idx(f"{a.data}/train-labels-idx1-ubyte.gz")[:a.examples].astype(np.int64)
    test_x = torch.from_numpy(read_idx(f"{a.data}/t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0).unsqueeze(1)
    test_y = torch.from_numpy(read_idx(f"{a.data}/t10k-labels-idx1-ubyte.gz").astype(np.int64))
    x = torch.from_numpy(images).unsqueeze(1)
    y = torch.from_numpy(labels)
    model = build(a.architecture, 1, 28, 10)
    optimiser = torch.optim.Adam(model.parameters(), lr=a.learning_rate)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(a.seed)
    model.train()
    start = time.perf_counter()
    for _ in range(a.epochs):
        order = torch.randperm(len(x), generator=generator)
        for i in range(0, len(x), a.batch_size):
            batch = order[i:i + a.batch_size]
            optimiser.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimiser.step()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
    print(f"{a.name or a.architecture} threads={a.threads} seconds={seconds:.2f} "
          f"examples_per_second={a.epochs * len(x) / seconds:.0f} test_accuracy={accuracy:.4f}")


if __name__ == "__main__":
    main()
