"""The Fashion-MNIST MLP of Nerve's example in PyTorch, for the memory and speed comparison.

  /usr/bin/python3 fashion_mlp_torch.py EPOCHS THREADS [OPTIMIZER]

784-256-128-10 ReLU, softmax cross-entropy, batch 64, Adam lr 1e-3 (or 'sgd': lr 0.1),
pixels scaled to [0, 1], reading the gzip IDX files of Debian's dataset-fashion-mnist.
Prints one JSON object: load seconds, seconds per epoch, test accuracy.
"""
import gzip
import json
import sys
import time

import numpy as np
import torch

DIR = "/usr/share/datasets/fashion-mnist/"


def idx(name, offset):
    with gzip.open(DIR + name) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def main():
    epochs, threads = int(sys.argv[1]), int(sys.argv[2])
    opt_name = sys.argv[3] if len(sys.argv) > 3 else "adam"
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    t0 = time.perf_counter()
    x = torch.from_numpy(idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255)
    y = torch.from_numpy(idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64))
    tx = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255)
    ty = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))
    load = time.perf_counter() - t0
    net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                              torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = (torch.optim.Adam(net.parameters(), lr=1e-3) if opt_name == "adam"
           else torch.optim.SGD(net.parameters(), lr=0.1))
    loss_fn = torch.nn.CrossEntropyLoss()
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(x.shape[0])
        for i in range(0, x.shape[0], 64):
            b = perm[i:i + 64]
            opt.zero_grad()
            loss = loss_fn(net(x[b]), y[b])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    with torch.no_grad():
        acc = (net(tx).argmax(1) == ty).float().mean().item()
    print(json.dumps({"load_seconds": load, "epoch_seconds": times, "test_accuracy": acc}))


if __name__ == "__main__":
    main()
