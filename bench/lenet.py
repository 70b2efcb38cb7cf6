#!/usr/bin/env python3
"""LeNet-5 on Fashion-MNIST, Nerve beside PyTorch in the same run: time per epoch and accuracy.

  /usr/bin/python3 bench/lenet.py [--epochs N] [--runs R] [--threads T]

Runs, alternately and R times each (default 2), the same training: conv 5x5 to 6 channels
(padding 2), ReLU, 2x2 max pool, conv 5x5 to 16, ReLU, 2x2 max pool, dense 120, 84, 10,
softmax cross-entropy, Adam 1e-3, batch 64, N epochs (default 3), pixels scaled to [0, 1]:
  - Nerve's CLI as shipped: ./nerve train --example lenet --threads T;
  - PyTorch (Debian python3-torch): bench/peers/lenet_torch.py with T threads (OpenMP),
    OpenBLAS pinned to 1 thread and its SkylakeX kernels (see bench/README.md).
Time per epoch is the median over every epoch but each run's first (JIT and caches warming);
accuracy is on the 10,000 test images after the last epoch. Writes bench/results/lenet.md.
Needs dataset-fashion-mnist and python3-torch.
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


EPOCHS = arg("--epochs", 3)
RUNS = arg("--runs", 2)
THREADS = arg("--threads", 2)
TORCH_ENV = {"OMP_NUM_THREADS": str(THREADS), "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
if " avx512f" in open("/proc/cpuinfo").read():
    TORCH_ENV["OPENBLAS_CORETYPE"] = "SkylakeX"


def run(cmd, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run(cmd, env=e, text=True, capture_output=True, cwd=ROOT)
    if p.returncode != 0:
        sys.exit("failed: " + " ".join(cmd) + "\n" + p.stderr[-2000:])
    return [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]


def nerve():
    lines = run(["./nerve", "train", "--example", "lenet", "--epochs", str(EPOCHS),
                 "--threads", str(THREADS), "--json", "-q"])
    epochs = [l["seconds"] for l in lines if l.get("event") == "epoch"]
    return epochs, lines[-1]["test"]["accuracy"]


def torch():
    out = run(["/usr/bin/python3", os.path.join(HERE, "peers", "lenet_torch.py"), str(EPOCHS),
               str(THREADS)], TORCH_ENV)[-1]
    return out["epoch_seconds"], out["test_accuracy"][-1]


def main():
    subprocess.run(["./nerve", "--version"], cwd=ROOT, check=True, capture_output=True)
    systems = {"Nerve": nerve, "PyTorch": torch}
    epochs = {k: [] for k in systems}
    accuracy = {k: [] for k in systems}
    for _ in range(RUNS):
        for name, f in systems.items():
            t, acc = f()
            epochs[name] += t[1:] if len(t) > 1 else t
            accuracy[name].append(acc)
            print(f"{name}: {', '.join(f'{s:.2f}' for s in t)} s per epoch, accuracy {acc:.4f}",
                  file=sys.stderr)
    med = {k: statistics.median(v) for k, v in epochs.items()}
    torch_version = subprocess.run(
        ["/usr/bin/python3", "-c", "import torch; print(torch.__version__)"],
        capture_output=True, text=True).stdout.strip()
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    lines = [
        "# LeNet-5 on Fashion-MNIST: Nerve beside PyTorch",
        "",
        f"`/usr/bin/python3 bench/lenet.py --epochs {EPOCHS} --runs {RUNS} --threads {THREADS}`,"
        f" {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores"
        f" ({platform.processor() or platform.machine()}), {java.splitlines()[0]},"
        f" PyTorch {torch_version}.",
        "",
        f"Adam 1e-3, batch 64, {THREADS} thread(s) each, {EPOCHS} epochs per run, {RUNS} runs"
        " each, alternating. Seconds per epoch: median over epochs 2..N of every run.",
        "",
        "| system | s / epoch | ratio to PyTorch | test accuracy after the last epoch |",
        "|---|---:|---:|---:|",
    ]
    for k in systems:
        accs = ", ".join(f"{100 * a:.2f}%" for a in accuracy[k])
        lines.append(f"| {k} | {med[k]:.2f} | {med[k] / med['PyTorch']:.2f}× | {accs} |")
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "lenet.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
