#!/usr/bin/env python3
"""Times tutorial 1's own numpy training loop (4-3-1 sigmoid, 5000 full-batch epochs):
the peer of Tutorial1Benchmark. The loop is the tutorial's code, unchanged.

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tutorial1_numpy_time.py [RUNS]
Prints {"runs", "median_ms", "min_ms", "per_epoch_us", "outputs"}.
"""
import json
import sys
import time

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def derivatives_sigmoid(x):
    return x * (1 - x)


def run(seed):
    np.random.seed(seed)
    X = np.array([[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]])
    y = np.array([[1], [1], [0]])
    epoch = 5000
    lr = 0.1
    wh = np.random.uniform(size=(4, 3))
    bh = np.random.uniform(size=(1, 3))
    wout = np.random.uniform(size=(3, 1))
    bout = np.random.uniform(size=(1, 1))
    t0 = time.perf_counter()
    for i in range(epoch):
        hidden_layer_input1 = np.dot(X, wh)
        hidden_layer_input = hidden_layer_input1 + bh
        hiddenlayer_activations = sigmoid(hidden_layer_input)
        output_layer_input1 = np.dot(hiddenlayer_activations, wout)
        output_layer_input = output_layer_input1 + bout
        output = sigmoid(output_layer_input)
        E = y - output
        slope_output_layer = derivatives_sigmoid(output)
        slope_hidden_layer = derivatives_sigmoid(hiddenlayer_activations)
        d_output = E * slope_output_layer
        Error_at_hidden_layer = d_output.dot(wout.T)
        d_hiddenlayer = Error_at_hidden_layer * slope_hidden_layer
        wout += hiddenlayer_activations.T.dot(d_output) * lr
        bout += np.sum(d_output, axis=0, keepdims=True) * lr
        wh += X.T.dot(d_hiddenlayer) * lr
        bh += np.sum(d_hiddenlayer, axis=0, keepdims=True) * lr
    return time.perf_counter() - t0, output


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    times = []
    out = None
    for r in range(runs + 2):
        t, out = run(0)
        if r >= 2:  # two warm-up runs
            times.append(t)
    times.sort()
    med = times[len(times) // 2]
    print(json.dumps({"runs": runs, "median_ms": med * 1e3, "min_ms": times[0] * 1e3,
                      "max_ms": times[-1] * 1e3, "per_epoch_us": med / 5000 * 1e6,
                      "outputs": out.ravel().tolist()}))
