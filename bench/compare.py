#!/usr/bin/env python3
"""Nerve beside its peers, in one invocation, on this machine.

  /usr/bin/python3 bench/compare.py [--quick]

Builds the JMH jar (mvn), runs Nerve's benchmarks and numpy's (Debian python3-numpy, the
tutorial's own code and OpenBLAS sgemm) alternately, with the thread count pinned for every
system, and prints Markdown tables of times and ratios. --quick shortens every measurement.
Speed is never asserted in a test; this is where it is measured.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"
SIZES = [64, 128, 256, 512, 1024]
QUICK = "--quick" in sys.argv


def sh(cmd, env=None, **kw):
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run(cmd, check=True, env=e, text=True, capture_output=True, **kw).stdout


def threads_env(t):
    env = {k: str(t) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    env.update(CORETYPE)
    return env


def openblas_coretype():
    """OpenBLAS 0.3.21 (Debian bookworm) does not know recent Xeons (family 6, model 207) and
    falls back to its SSE 'Prescott' kernels at a fifth of its speed. Give the peer its best
    kernel for the instruction set the CPU has, unless the caller chose one."""
    if "OPENBLAS_CORETYPE" in os.environ:
        return {"OPENBLAS_CORETYPE": os.environ["OPENBLAS_CORETYPE"]}
    flags = open("/proc/cpuinfo").read()
    if " avx512f" in flags:
        return {"OPENBLAS_CORETYPE": "SkylakeX"}
    if " avx2" in flags:
        return {"OPENBLAS_CORETYPE": "Haswell"}
    return {}


CORETYPE = openblas_coretype()


def check_numpy_blas():
    blas = os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
    if "openblas" not in blas:
        sys.exit("numpy is using the reference BLAS (" + blas + "), not OpenBLAS: that is not a"
                 " fair peer. Install it: apt-get install libopenblas0-pthread")


def jmh(pattern, params):
    out = tempfile.mktemp(suffix=".json")
    cmd = ["java", "-jar", os.path.join(HERE, "target", "benchmarks.jar"), pattern,
           "-rf", "json", "-rff", out]
    if QUICK:
        cmd += ["-wi", "2", "-i", "3", "-w", "500ms", "-r", "500ms"]
    for k, v in params.items():
        cmd += ["-p", f"{k}={v}"]
    sh(cmd)
    with open(out) as f:
        return json.load(f)


def main():
    check_numpy_blas()
    print("building bench/target/benchmarks.jar ...", file=sys.stderr)
    sh(["mvn", "-q", "-B", "-DskipTests", "-pl", "bench", "-am", "package"], cwd=ROOT)
    cpu = sh(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).strip()
    java = sh(["sh", "-c", "java -version 2>&1 | head -1"]).strip()
    npv = sh([PY, "-c", "import numpy; print(numpy.__version__)"]).strip()
    print(f"Machine: {cpu}, {os.cpu_count()} cores; {java}; numpy {npv} on OpenBLAS"
          f" ({CORETYPE.get('OPENBLAS_CORETYPE', 'auto-detected')} kernels)\n")

    # --- matrix multiply -------------------------------------------------------------------
    rows = []
    for t in (1, 2):
        print(f"matmul, {t} thread(s): numpy ...", file=sys.stderr)
        np_res = {}
        for line in sh([PY, os.path.join(HERE, "peers", "numpy_matmul.py")] + [str(n) for n in SIZES],
                       env=threads_env(t)).splitlines():
            r = json.loads(line)
            np_res[r["n"]] = r["gflops"]
        print(f"matmul, {t} thread(s): nerve ...", file=sys.stderr)
        for r in jmh("GemmBenchmark", {"threads": t}):
            n = int(r["params"]["n"])
            us = r["primaryMetric"]["score"]
            g = 2 * n ** 3 / (us * 1e-6) / 1e9
            rows.append((n, t, g, np_res[n]))
    print("### Matrix multiply, float32, C = A x B, square n (GFLOP/s, higher is better)\n")
    print("| n | threads | Nerve | numpy (OpenBLAS) | Nerve / OpenBLAS |")
    print("|---:|---:|---:|---:|---:|")
    for n, t, g, o in sorted(rows):
        print(f"| {n} | {t} | {g:.1f} | {o:.1f} | {g / o:.2f} |")

    # --- tutorial 1 --------------------------------------------------------------------------
    print("tutorial 1: numpy ...", file=sys.stderr)
    npt = json.loads(sh([PY, os.path.join(HERE, "peers", "tutorial1_numpy_time.py"),
                         "5" if QUICK else "15"], env=threads_env(1)))
    print("tutorial 1: nerve ...", file=sys.stderr)
    r = jmh("Tutorial1Benchmark", {})[0]
    ms = r["primaryMetric"]["score"]
    nerve_us = ms * 1e3 / 5000
    print("\n### Tutorial 1's network: 4-3-1 sigmoid, 3 rows, 5000 full-batch epochs, 1 thread\n")
    print("| system | whole run (ms) | per epoch (µs) | speed-up over numpy |")
    print("|---|---:|---:|---:|")
    print(f"| numpy, the tutorial's code | {npt['median_ms']:.1f} | {npt['per_epoch_us']:.2f} | 1.0x |")
    print(f"| Nerve, Trainer.fit | {ms:.2f} | {nerve_us:.2f} | {npt['per_epoch_us'] / nerve_us:.1f}x |")
    print(f"\nnumpy's final outputs (seed 0): {[round(v, 3) for v in npt['outputs']]}")


class Tee:
    def __init__(self, *streams):
        self.streams = streams

    def write(self, text):
        for s in self.streams:
            s.write(text)

    def flush(self):
        for s in self.streams:
            s.flush()


if __name__ == "__main__":
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "latest.md"), "w") as f:
        sys.stdout = Tee(sys.__stdout__, f)
        try:
            print(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by"
                  f" `/usr/bin/python3 bench/compare.py{' --quick' if QUICK else ''}`\n")
            main()
        finally:
            sys.stdout = sys.__stdout__
