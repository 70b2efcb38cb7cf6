#!/usr/bin/env python3
"""Reference walkthrough for tutorial 1: every matrix of its steps 0-11, from given weights.

Runs the tutorial's own numpy code (4-3-1 sigmoid network with biases, E = y - output, lr 0.1,
full batch) from the weights in core's reference/tutorial1_initial.json (numpy seed 0, written
by tutorial1_numpy.py; Nerve's Tutorial1.givenWeights() holds the same numbers) and records, for
iterations 1, 2 and 5000, every matrix the tutorial's step-by-step picture shows, under the
tutorial's names. Writes tutorial1_trace.json.
Regenerate with:  /usr/bin/python3 tutorial1_trace_numpy.py   (Debian python3-numpy)
"""
import json
import os
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
INITIAL = os.path.join(HERE, "../../../../../core/src/test/resources/reference/tutorial1_initial.json")
with open(INITIAL) as f:
    params = json.load(f)["parameters"]
wh = np.array(params[0]["values"])
bh = np.array(params[1]["values"]).reshape(1, 3)
wout = np.array(params[2]["values"])
bout = np.array(params[3]["values"]).reshape(1, 1)

# Step 0: read input and output
X = np.array([[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]])
y = np.array([[1], [1], [0]])
lr = 0.1


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def derivatives_sigmoid(x):
    return x * (1 - x)


record = {}
for i in range(1, 5001):
    step = {"X": X, "y": y, "wh": wh, "bh": bh, "wout": wout, "bout": bout}
    hidden_layer_input = np.dot(X, wh) + bh                          # step 2
    hiddenlayer_activations = sigmoid(hidden_layer_input)            # step 3
    output_layer_input = np.dot(hiddenlayer_activations, wout) + bout  # step 4
    output = sigmoid(output_layer_input)
    E = y - output                                                   # step 5
    slope_output_layer = derivatives_sigmoid(output)                 # step 6
    slope_hidden_layer = derivatives_sigmoid(hiddenlayer_activations)
    d_output = E * slope_output_layer                                # step 7
    Error_at_hidden_layer = d_output.dot(wout.T)                     # step 8
    d_hiddenlayer = Error_at_hidden_layer * slope_hidden_layer       # step 9
    wout = wout + hiddenlayer_activations.T.dot(d_output) * lr       # step 10
    wh = wh + X.T.dot(d_hiddenlayer) * lr
    bout = bout + np.sum(d_output, axis=0, keepdims=True) * lr       # step 11
    bh = bh + np.sum(d_hiddenlayer, axis=0, keepdims=True) * lr
    if i in (1, 2, 5000):
        step.update({
            "hidden_layer_input": hidden_layer_input,
            "hiddenlayer_activations": hiddenlayer_activations,
            "output_layer_input": output_layer_input,
            "output": output,
            "E": E,
            "slope_output_layer": slope_output_layer,
            "slope_hidden_layer": slope_hidden_layer,
            "d_output": d_output,
            "Error_at_hidden_layer": Error_at_hidden_layer,
            "d_hiddenlayer": d_hiddenlayer,
            "wout (updated)": wout,
            "wh (updated)": wh,
            "bout (updated)": bout,
            "bh (updated)": bh,
            "loss": float(0.5 * np.sum((output - y) ** 2)),
        })
        record[str(i)] = {k: (v if isinstance(v, float) else np.asarray(v, dtype=float).ravel().tolist())
                          for k, v in step.items()}

with open(os.path.join(HERE, "tutorial1_trace.json"), "w") as f:
    json.dump({"source": "tutorial1_trace_numpy.py", "iterations": record}, f, indent=1)
