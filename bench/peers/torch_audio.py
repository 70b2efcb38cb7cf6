"""PyTorch (Debian python3-torch) running Nerve's two spoken-digit examples on the same features.

  torch_audio.py digits|digits-transformer DATA_DIR EPOCHS THREADS

DATA_DIR is what Nerve's `Workloads export-digits DIR` wrote: the eSpeak NG digits' log-mel
features, standardised as the CLI standardises them ({train,test}_x.f32 little-endian float32
[n, 40, 101], {train,test}_y.u8 labels, digits.json sizes), so both systems train on the very same
numbers. Same networks and recipes as dev.nerve.examples.SpokenDigitNets:
  digits: Conv1d(40, 64, 5, padding 2) ReLU MaxPool1d(2), Conv1d(64, 64, 5, padding 2) ReLU
      MaxPool1d(2), Conv1d(64, 128, 3, padding 1) ReLU, mean over time, Dropout(0.3),
      Linear(128, 10); He-uniform convolutions (Nerve's auto before a ReLU), Glorot linear layers,
      zero biases.
  digits-transformer: the frames as a sequence [101, 40]: Linear(40, 64), sinusoidal positions,
      two nn.TransformerEncoderLayer(64, 4, 128, dropout 0.1, GELU, batch_first, norm_first), mean
      over time, Linear(64, 10).
Adam 1e-3, batch 32, shuffled each epoch. Prints {"load_seconds", "epoch_seconds": [...],
"test_accuracy", "examples_per_epoch"}.
"""
import json
import math
import sys
import time

import numpy as np
import torch

nn = torch.nn


def linear(i, o):
    m = nn.Linear(i, o)
    nn.init.xavier_uniform_(m.weight)
    nn.init.zeros_(m.bias)
    return m


def conv(i, o, k, p):
    m = nn.Conv1d(i, o, k, padding=p)
    nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
    nn.init.zeros_(m.bias)
    return m


class Conv(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(conv(40, 64, 5, 2), nn.ReLU(), nn.MaxPool1d(2),
                               conv(64, 64, 5, 2), nn.ReLU(), nn.MaxPool1d(2),
                               conv(64, 128, 3, 1), nn.ReLU())
        self.drop = nn.Dropout(0.3)
        self.out = linear(128, 10)

    def forward(self, x):
        return self.out(self.drop(self.f(x).mean(2)))


class Frames(nn.Module):
    def __init__(self, frames):
        super().__init__()
        self.inp = linear(40, 64)
        pe = torch.zeros(frames, 64)
        for i in range(0, 64, 2):
            rate = math.exp(-math.log(10000.0) * i / 64)
            pos = torch.arange(frames, dtype=torch.float64)
            pe[:, i] = torch.sin(pos * rate).float()
            pe[:, i + 1] = torch.cos(pos * rate).float()
        self.register_buffer("pe", pe)
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(64, 4, 128, dropout=0.1, activation="gelu",
                                       batch_first=True, norm_first=True) for _ in range(2))
        self.out = linear(64, 10)

    def forward(self, x):
        h = self.inp(x) + self.pe
        for b in self.blocks:
            h = b(h)
        return self.out(h.mean(1))


def part(d, name, meta, frames_first):
    x = np.fromfile(f"{d}/{name}_x.f32", dtype="<f4").reshape(-1, meta["bands"], meta["frames"])
    y = np.fromfile(f"{d}/{name}_y.u8", dtype=np.uint8).astype(np.int64)
    x = torch.from_numpy(x.copy())
    if frames_first:
        x = x.transpose(1, 2).contiguous()
    return x, torch.from_numpy(y)


def main():
    which, d, epochs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    meta = json.load(open(f"{d}/digits.json"))
    tf = which == "digits-transformer"
    x, y = part(d, "train", meta, tf)
    tx, ty = part(d, "test", meta, tf)
    load = time.perf_counter() - t0
    net = Frames(meta["frames"]) if tf else Conv()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for _ in range(epochs):
        net.train()
        t = time.perf_counter()
        order = torch.randperm(len(x))
        for i in range(0, len(order), 32):
            b = order[i:i + 32]
            opt.zero_grad()
            loss_fn(net(x[b]), y[b]).backward()
            opt.step()
        times.append(time.perf_counter() - t)
    net.eval()
    with torch.no_grad():
        acc = (net(tx).argmax(1) == ty).float().mean().item()
    print(json.dumps({"load_seconds": load, "epoch_seconds": times, "test_accuracy": acc,
                      "examples_per_epoch": len(x)}))


if __name__ == "__main__":
    main()
