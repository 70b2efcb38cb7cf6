#!/usr/bin/env python3
"""Peak memory, data loading and start-up of the Fashion-MNIST MLP run, Nerve beside PyTorch.

  /usr/bin/python3 bench/memory.py [--epochs N] [--runs R]

Runs, alternately and R times each (default 3), the same training (784-256-128-10 ReLU,
softmax cross-entropy, Adam 1e-3, batch 64, N epochs, default 2) as:
  - Nerve's CLI as shipped:  ./nerve train --example fashion-mnist (the launcher picks the
    serial collector);
  - Nerve's jar with every JVM default: java --add-modules jdk.incubator.vector -jar nerve.jar
    (G1, heap sized from the machine's RAM);
  - PyTorch (Debian python3-torch), bench/peers/torch_workloads.py (mlp, Adam), 2 threads.
Peak RSS comes from /usr/bin/time -v (the largest resident set of the process), the time to
read the data from each program's own report. Start-up is the wall time of 'nerve --version'
(median of 10). Needs dataset-fashion-mnist and python3-torch. Writes bench/results/memory.md.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
JAR = os.path.join(ROOT, "cli", "target", "nerve.jar")


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


EPOCHS = arg("--epochs", 2)
RUNS = arg("--runs", 3)
TORCH_ENV = {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
if " avx512f" in open("/proc/cpuinfo").read():
    TORCH_ENV["OPENBLAS_CORETYPE"] = "SkylakeX"


def timed(cmd, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, env=e, text=True, capture_output=True,
                       cwd=ROOT)
    if p.returncode != 0:
        sys.exit("failed: " + " ".join(cmd) + "\n" + p.stderr[-2000:])
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    last = [l for l in p.stdout.splitlines() if l.startswith("{")][-1]
    return rss / 1024, json.loads(last)


def main():
    subprocess.run(["./nerve", "--version"], cwd=ROOT, check=True, capture_output=True)
    nerve_args = ["train", "--example", "fashion-mnist", "--epochs", str(EPOCHS), "--json", "-q"]
    systems = {
        "Nerve CLI (./nerve, serial GC)": lambda: timed(["./nerve"] + nerve_args),
        "Nerve jar, JVM defaults (G1)": lambda: timed(
            ["java", "--add-modules", "jdk.incubator.vector", "-jar", JAR] + nerve_args),
        "PyTorch 2 threads": lambda: timed(
            ["/usr/bin/python3", os.path.join(HERE, "peers", "torch_workloads.py"),
             "mlp", str(EPOCHS), "2", "0", "adam"], TORCH_ENV),
    }
    results = {k: [] for k in systems}
    for _ in range(RUNS):
        for name, run in systems.items():
            rss, out = run()
            if "event" in out:
                load = out["load_seconds"]
                acc = out["test"]["accuracy"]
                epoch = out["seconds"] / out["epochs_run"]
            else:
                load = out["load_seconds"]
                acc = out["test_accuracy"]
                epoch = statistics.mean(out["epoch_seconds"])
            results[name].append((rss, load, epoch, acc))
            print(f"{name}: {rss:.0f} MB, load {load:.2f} s, {epoch:.2f} s/epoch, acc {acc:.4f}",
                  file=sys.stderr)
    starts = []
    for _ in range(10):
        t0 = time.perf_counter()
        subprocess.run(["./nerve", "--version"], cwd=ROOT, check=True, capture_output=True)
        starts.append(time.perf_counter() - t0)
    jar_starts = []
    for _ in range(10):
        t0 = time.perf_counter()
        subprocess.run(["java", "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC",
                        "-XX:-UseLoopPredicate", "-XX:-UseProfiledLoopPredicate",
                        "-jar", JAR, "--version"], check=True, capture_output=True)
        jar_starts.append(time.perf_counter() - t0)

    torch_rss = statistics.median(r[0] for r in results["PyTorch 2 threads"])
    lines = [
        f"### Fashion-MNIST MLP, {EPOCHS} epochs, Adam, batch 64 (median of {RUNS} runs each,"
        " alternating)", "",
        "| system | peak RSS (MB) | RSS / PyTorch | data load (s) | s per epoch | test accuracy |",
        "|---|---:|---:|---:|---:|---:|"]
    for name, rs in results.items():
        rss = statistics.median(r[0] for r in rs)
        lines.append(
            f"| {name} | {rss:.0f} | {rss / torch_rss:.2f} | "
            f"{statistics.median(r[1] for r in rs):.2f} | {statistics.median(r[2] for r in rs):.2f}"
            f" | {statistics.median(r[3] for r in rs):.4f} |")
    lines += ["", f"CLI start-up, `./nerve --version` (launcher script + JVM): median "
              f"{statistics.median(starts) * 1000:.0f} ms; `java -jar nerve.jar --version`: "
              f"{statistics.median(jar_starts) * 1000:.0f} ms (10 runs each)."]
    text = "\n".join(lines) + "\n"
    print(text)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "memory.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
