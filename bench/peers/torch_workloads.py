"""PyTorch (Debian python3-torch) running the workloads of bench/compare.py, as Nerve does them.

  torch_workloads.py mlp|lenet EPOCHS THREADS [MAX_BATCHES] [sgd|adam]
      784-256-128-10 ReLU MLP or LeNet-5 on Fashion-MNIST, softmax cross-entropy, batch 64,
      SGD lr 0.1 (default) or Adam lr 1e-3, pixels scaled to [0, 1], shuffled every epoch,
      initialised as Nerve initialises (He-uniform, Glorot-uniform output layer, zero biases).
      MAX_BATCHES > 0 trains on the first MAX_BATCHES * 64 images only.
      Prints {"load_seconds", "epoch_seconds": [...], "test_accuracy"}.
  torch_workloads.py infer mlp|lenet BATCH THREADS SECONDS
      forward-pass latency (eval mode, no_grad) at one batch size, after a warm-up.
      Prints {"median_us", "p90_us", "calls", "per_second"}.

Threads: torch.set_num_threads (OpenMP); the harness also pins OpenBLAS to one thread.
"""
import gzip
import json
import sys
import time

import numpy as np
import torch

DIR = "/usr/share/datasets/fashion-mnist/"
nn = torch.nn


def idx(name, offset):
    with gzip.open(DIR + name) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def network(model):
    net = _layers(model)
    # Nerve's initialisation, so that both start alike: He-uniform weights for every layer a ReLU
    # follows (fan-in, as torch's kaiming_uniform_ with nonlinearity="relu"), Glorot-uniform for
    # the output layer, zero biases. PyTorch's own default (kaiming_uniform_ with a = sqrt(5))
    # starts smaller and learns more slowly in the first epochs.
    weighted = [m for m in net if isinstance(m, (nn.Linear, nn.Conv2d))]
    with torch.no_grad():
        for i, m in enumerate(weighted):
            if i < len(weighted) - 1:
                nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
            else:
                nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net


def _layers(model):
    if model == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                             nn.Linear(128, 10))
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def train(model, epochs, max_batches, opt_name):
    t0 = time.perf_counter()
    x = torch.from_numpy(idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255)
    y = torch.from_numpy(idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64))
    tx = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255)
    ty = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))
    if max_batches > 0:
        x, y = x[:max_batches * 64], y[:max_batches * 64]
    load = time.perf_counter() - t0
    net = network(model)
    opt = (torch.optim.Adam(net.parameters(), lr=1e-3) if opt_name == "adam"
           else torch.optim.SGD(net.parameters(), lr=0.1))
    loss_fn = nn.CrossEntropyLoss()
    times = []
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
        acc = (net(tx).argmax(1) == ty).float().mean().item()
    return {"load_seconds": load, "epoch_seconds": times, "test_accuracy": acc}


def infer(model, batch, seconds):
    net = network(model).eval()
    x = torch.rand(batch, 784, generator=torch.Generator().manual_seed(1))
    lat = []
    with torch.no_grad():
        warm = time.perf_counter() + seconds / 3
        while time.perf_counter() < warm:
            net(x)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and len(lat) < 65536:
            s = time.perf_counter()
            net(x)
            lat.append(time.perf_counter() - s)
    lat.sort()
    median = lat[len(lat) // 2]
    return {"median_us": median * 1e6, "p90_us": lat[int(len(lat) * 0.9)] * 1e6,
            "calls": len(lat), "per_second": batch / median}


def sweep(width, batch, seconds):
    """Nerve's Sweep twin: MLP 784-W-W-10, a training step's and a forward pass's median."""
    net = nn.Sequential(nn.Linear(784, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                        nn.Linear(width, 10))
    g = torch.Generator().manual_seed(1)
    x = torch.rand(batch, 784, generator=g)
    y = torch.randint(0, 10, (batch,), generator=g)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(net.parameters(), lr=0.01)

    def step():
        opt.zero_grad()
        loss_fn(net(x), y).backward()
        opt.step()

    def forward():
        with torch.no_grad():
            net(x)

    def median(call):
        warm = time.perf_counter() + seconds / 3
        while time.perf_counter() < warm:
            call()
        lat = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and len(lat) < 65536:
            s = time.perf_counter()
            call()
            lat.append(time.perf_counter() - s)
        lat.sort()
        return lat[len(lat) // 2]

    t = median(step)
    i = median(forward)
    f = 2.0 * batch * (784.0 * width + width * width + width * 10.0)
    return {"train_us": t * 1e6, "infer_us": i * 1e6, "train_gflops": 3 * f / t / 1e9,
            "infer_gflops": f / i / 1e9}


def main():
    a = sys.argv[1:]
    torch.manual_seed(0)
    if a[0] == "sweep":
        torch.set_num_threads(int(a[3]))
        print(json.dumps(sweep(int(a[1]), int(a[2]), float(a[4]))))
        return
    if a[0] == "infer":
        torch.set_num_threads(int(a[3]))
        out = infer(a[1], int(a[2]), float(a[4]))
    else:
        torch.set_num_threads(int(a[2]))
        out = train(a[0], int(a[1]), int(a[3]) if len(a) > 3 else 0, a[4] if len(a) > 4 else "sgd")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
