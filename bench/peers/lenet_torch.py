"""LeNet-5 on Fashion-MNIST in PyTorch: the peer of Nerve's `--example lenet`.

  /usr/bin/python3 lenet_torch.py EPOCHS THREADS [OPTIMIZER]

conv 5x5 to 6 channels (padding 2), ReLU, 2x2 max pool, conv 5x5 to 16, ReLU, 2x2 max pool,
dense 120, 84, 10 (ReLU between), softmax cross-entropy, batch 64, Adam lr 1e-3 (or 'sgd':
SGD lr 0.01 with momentum 0.9), pixels scaled to [0, 1], from Debian's dataset-fashion-mnist.
Prints one JSON object: seconds per epoch and test accuracy after each epoch.
Run it with OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=SkylakeX (see bench/README.md).
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


def images(name):
    return torch.from_numpy(idx(name, 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)


def labels(name):
    return torch.from_numpy(idx(name, 8).astype(np.int64))


def main():
    epochs, threads = int(sys.argv[1]), int(sys.argv[2])
    opt_name = sys.argv[3] if len(sys.argv) > 3 else "adam"
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x, y = images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz")
    tx, ty = images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")
    nn = torch.nn
    net = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    opt = (torch.optim.Adam(net.parameters(), lr=1e-3) if opt_name == "adam"
           else torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9))
    loss_fn = nn.CrossEntropyLoss()
    times, accuracies = [], []
    for _ in range(epochs):
        net.train()
        t0 = time.perf_counter()
        perm = torch.randperm(x.shape[0])
        for i in range(0, x.shape[0], 64):
            b = perm[i:i + 64]
            opt.zero_grad()
            loss = loss_fn(net(x[b]), y[b])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
        net.eval()
        with torch.no_grad():
            accuracies.append((net(tx).argmax(1) == ty).float().mean().item())
    print(json.dumps({"epoch_seconds": times, "test_accuracy": accuracies}))


if __name__ == "__main__":
    main()
