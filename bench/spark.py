#!/usr/bin/env python3
"""Nerve on a standalone Spark cluster on this machine, beside the single-machine trainer.

  /usr/bin/python3 bench/spark.py [--epochs N] [--output NAME.md]

For the Fashion-MNIST MLP (batches of 64 and of 512) and LeNet-5 (batches of 64), one epoch each:
  - single machine, 2 threads (./nerve train, the ordinary trainer);
  - single machine, --shards 2 (the K-shard reference the cluster must match to the bit);
  - a cluster of 1 worker with 2 cores, --partitions 1 (executor with 2 Nerve threads);
  - a cluster of 2 workers with 1 core each, --partitions 2 (1 Nerve thread each).
The cluster is started and stopped by ./nerve cluster, from the jars Maven fetched. Every Spark
run prints its step time split into compute and communication (prepare, broadcast, fetch,
scheduling and collection, adding), which this script tabulates, and checks that the Spark run's
weights equal the --shards run's. Writes bench/results/issue17-spark.md (or --output). All the
JVMs share this machine's cores, so this measures the overhead of a synchronous step, not the
speed-up of real machines; SPARK.md turns the figures into a model for a real network.
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NERVE = os.path.join(ROOT, "nerve")
ARGS = sys.argv[1:]


def opt(name, default):
    return ARGS[ARGS.index(name) + 1] if name in ARGS else default


EPOCHS = int(opt("--epochs", "1"))
OUTPUT = opt("--output", "issue17-spark.md")
MASTER = "spark://127.0.0.1:7077"
WORKLOADS = [
    ("Fashion-MNIST MLP, batch 64", ["--example", "fashion-mnist"]),
    ("Fashion-MNIST MLP, batch 512", ["--example", "fashion-mnist", "--batch-size", "512"]),
    ("LeNet-5, batch 64", ["--example", "lenet"]),
]


def sh(cmd, **kw):
    r = subprocess.run(cmd, text=True, capture_output=True, **kw)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return r


def train(args, weights):
    cmd = [NERVE, "train", "--epochs", str(EPOCHS), "--json", "--save-weights", weights, "--force"]
    t0 = time.time()
    r = sh(cmd + args)
    wall = time.time() - t0
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.startswith("{")]
    epochs = [l["seconds"] for l in lines if l.get("event") == "epoch"]
    result = [l for l in lines if l.get("event") == "result"][-1]
    with open(weights, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return {"epoch": sum(epochs) / len(epochs), "wall": wall, "spark": result.get("spark"),
            "sha": digest, "accuracy": result["train"].get("accuracy")}


def cluster(*args):
    return sh([NERVE, "cluster", *args])


def main():
    tmp = tempfile.mkdtemp()
    sh([NERVE, "--version"])  # builds first if needed
    rows = []
    for title, base in WORKLOADS:
        print(f"{title}: single machine", file=sys.stderr, flush=True)
        one = train(base + ["--threads", "2"], os.path.join(tmp, "one.bin"))
        two = train(base + ["--threads", "2", "--shards", "2"], os.path.join(tmp, "s2.bin"))
        results = {}
        for workers, cores, k in [(1, 2, 1), (2, 1, 2)]:
            print(f"{title}: cluster of {workers} worker(s)", file=sys.stderr, flush=True)
            cluster("start", "--workers", str(workers), "--cores", str(cores), "--memory", "2g")
            try:
                results[workers] = train(
                    base + ["--spark", MASTER, "--partitions", str(k), "--spark-conf",
                            f"spark.executor.extraJavaOptions=-Dnerve.threads={cores}"],
                    os.path.join(tmp, f"spark{workers}.bin"))
            finally:
                cluster("stop")
        same1 = results[1]["sha"] == one["sha"]
        same2 = results[2]["sha"] == two["sha"]
        rows.append((title, one, two, results, same1, same2))
    write(rows)


def write(rows):
    out = ["# Nerve on Spark: a standalone cluster on this machine (issue 17)", "",
           f"`/usr/bin/python3 bench/spark.py` — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
           f"{EPOCHS} epoch(s) each. Every JVM shares these cores: the driver, the master, the "
           "workers and their executors. Seconds per epoch; per-step figures are means in ms.", "",
           "| workload | single machine | --shards 2 | Spark, 1 worker × 2 cores | Spark, 2 workers × 1 core | same bytes as shards |",
           "|---|---:|---:|---:|---:|---|"]
    for title, one, two, res, same1, same2 in rows:
        out.append(f"| {title} | {one['epoch']:.2f} s | {two['epoch']:.2f} s | "
                   f"{res[1]['epoch']:.2f} s | {res[2]['epoch']:.2f} s | "
                   f"{'yes' if same1 else 'NO'} (K=1 vs ordinary), {'yes' if same2 else 'NO'} (K=2) |")
    out += ["", "Where a Spark step's time goes (ms per step):", "",
            "| workload | cluster | step | compute (slowest partition) | prepare | broadcast | fetch | scheduling and collection | adding |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for title, one, two, res, _, _ in rows:
        for w in (1, 2):
            s = res[w]["spark"]
            b = {k.strip(): v for v, k in
                 [(x.strip().rsplit(" ", 1)[1], x.strip().rsplit(" ", 1)[0])
                  for x in s["communication"].split(",")]}
            out.append(f"| {title} | {w} worker(s) | {s['ms_per_step']:.2f} | "
                       f"{s['compute_ms_per_step']:.2f} | {b['prepare']} | {b['broadcast']} | "
                       f"{b['fetch']} | {b['scheduling and collection']} | {b['adding']} |")
    text = "\n".join(out) + "\n"
    print(text)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", OUTPUT), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
