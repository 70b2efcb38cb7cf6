#!/usr/bin/env python3
"""numpy float32 matmul (OpenBLAS sgemm) GFLOP/s for square n: the peer of GemmBenchmark.

Usage: OPENBLAS_NUM_THREADS=T OMP_NUM_THREADS=T /usr/bin/python3 numpy_matmul.py N [N ...]
Thread counts must be set in the environment before numpy is imported, hence one process
per thread count. Prints one JSON object per n: {"n", "threads", "median_us", "min_us", "gflops"}.
"""
import json
import os
import sys
import time

import numpy as np


def measure(n, seconds=3.0):
    rng = np.random.default_rng(1)
    a = (rng.random((n, n), dtype=np.float32) - 0.5)
    b = (rng.random((n, n), dtype=np.float32) - 0.5)
    c = np.empty((n, n), dtype=np.float32)
    reps = max(1, int(2e8 / (2 * n ** 3)))
    for _ in range(reps * 3):  # warm-up
        np.matmul(a, b, out=c)
    samples = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(samples) < 5:
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        samples.append((time.perf_counter() - t0) / reps)
    samples.sort()
    med = samples[len(samples) // 2]
    return {"n": n, "threads": int(os.environ.get("OPENBLAS_NUM_THREADS", "0")),
            "median_us": med * 1e6, "min_us": samples[0] * 1e6, "gflops": 2 * n ** 3 / med / 1e9}


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(json.dumps(measure(int(arg))), flush=True)
