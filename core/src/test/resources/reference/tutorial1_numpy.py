#!/usr/bin/env python3
"""Reference values for tutorial 1 ("Understanding and coding Neural Networks From Scratch").

Runs the tutorial's own numpy code (4-3-1 sigmoid network with biases, E = y - output,
lr 0.1, 5000 full-batch epochs) from initial weights drawn with numpy seed 0, and writes:
  tutorial1_initial.json  the initial weights, in Nerve's weights layout (nerve-weights v1)
  tutorial1_final.json    the final weights, the outputs of the final weights, the output the
                          tutorial prints (from its last iteration) and sampled losses
Regenerate with:  /usr/bin/python3 tutorial1_numpy.py   (Debian python3-numpy)
Nerve layer indices: 0 = Dense(4, 3), 1 = Sigmoid, 2 = Dense(3, 1), 3 = Sigmoid.
"""
import json
import numpy as np

np.random.seed(0)
X = np.array([[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]])
y = np.array([[1], [1], [0]])


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def derivatives_sigmoid(x):
    return x * (1 - x)


epoch = 5000
lr = 0.1
inputlayer_neurons = X.shape[1]
hiddenlayer_neurons = 3
output_neurons = 1

wh = np.random.uniform(size=(inputlayer_neurons, hiddenlayer_neurons))
bh = np.random.uniform(size=(1, hiddenlayer_neurons))
wout = np.random.uniform(size=(hiddenlayer_neurons, output_neurons))
bout = np.random.uniform(size=(1, output_neurons))


def as_weights(wh, bh, wout, bout):
    return [
        {"layer": 0, "name": "weight", "shape": [4, 3], "values": wh.tolist()},
        {"layer": 0, "name": "bias", "shape": [3], "values": bh.ravel().tolist()},
        {"layer": 2, "name": "weight", "shape": [3, 1], "values": wout.tolist()},
        {"layer": 2, "name": "bias", "shape": [1], "values": bout.ravel().tolist()},
    ]


with open("tutorial1_initial.json", "w") as f:
    json.dump({"format": "nerve-weights", "version": 1,
               "parameters": as_weights(wh, bh, wout, bout)}, f, indent=1)

losses = []
for i in range(epoch):
    # Forward propagation (the tutorial's steps 2-4)
    hidden_layer_input1 = np.dot(X, wh)
    hidden_layer_input = hidden_layer_input1 + bh
    hiddenlayer_activations = sigmoid(hidden_layer_input)
    output_layer_input1 = np.dot(hiddenlayer_activations, wout)
    output_layer_input = output_layer_input1 + bout
    output = sigmoid(output_layer_input)
    # Backpropagation (steps 5-11)
    E = y - output
    losses.append(float(0.5 * np.sum(E ** 2)))
    slope_output_layer = derivatives_sigmoid(output)
    slope_hidden_layer = derivatives_sigmoid(hiddenlayer_activations)
    d_output = E * slope_output_layer
    Error_at_hidden_layer = d_output.dot(wout.T)
    d_hiddenlayer = Error_at_hidden_layer * slope_hidden_layer
    wout += hiddenlayer_activations.T.dot(d_output) * lr
    bout += np.sum(d_output, axis=0, keepdims=True) * lr
    wh += X.T.dot(d_hiddenlayer) * lr
    bh += np.sum(d_hiddenlayer, axis=0, keepdims=True) * lr

printed = output  # what the tutorial prints: the last iteration's forward pass
final_out = sigmoid(np.dot(sigmoid(np.dot(X, wh) + bh), wout) + bout)
print(printed)

samples = [0, 1, 2, 9, 99, 999, 2499, 4999]
with open("tutorial1_final.json", "w") as f:
    json.dump({"format": "nerve-weights", "version": 1,
               "parameters": as_weights(wh, bh, wout, bout),
               "outputs": final_out.ravel().tolist(),
               "printed_output": printed.ravel().tolist(),
               "loss_samples": {str(i): losses[i] for i in samples}}, f, indent=1)
