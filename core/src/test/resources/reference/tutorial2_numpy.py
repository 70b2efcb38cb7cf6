#!/usr/bin/env python3
"""Reference values for tutorial 2 ("How to build your own Neural Network from scratch in Python").

Runs the tutorial's own NeuralNetwork class (3-4-1 sigmoid network without biases,
sum-of-squares loss, weights += d_weights, 1500 iterations) from initial weights drawn with
numpy seed 1, and writes:
  tutorial2_initial.json  the initial weights, in Nerve's weights layout (nerve-weights v1)
  tutorial2_final.json    the final weights, the outputs of the final weights, the output the
                          tutorial prints (from its last feedforward) and sampled losses
Regenerate with:  /usr/bin/python3 tutorial2_numpy.py   (Debian python3-numpy)
Nerve layer indices: 0 = Dense(3, 4, bias=false), 1 = Sigmoid, 2 = Dense(4, 1, bias=false), 3 = Sigmoid.
"""
import json
import numpy as np

np.random.seed(1)


def sigmoid(x):
    return 1.0 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return x * (1.0 - x)


class NeuralNetwork:
    def __init__(self, x, y):
        self.input = x
        self.weights1 = np.random.rand(self.input.shape[1], 4)
        self.weights2 = np.random.rand(4, 1)
        self.y = y
        self.output = np.zeros(self.y.shape)

    def feedforward(self):
        self.layer1 = sigmoid(np.dot(self.input, self.weights1))
        self.output = sigmoid(np.dot(self.layer1, self.weights2))

    def backprop(self):
        # application of the chain rule to find derivative of the loss function with respect
        # to weights2 and weights1
        d_weights2 = np.dot(self.layer1.T, (2 * (self.y - self.output) * sigmoid_derivative(self.output)))
        d_weights1 = np.dot(self.input.T, (np.dot(2 * (self.y - self.output) * sigmoid_derivative(self.output),
                                                  self.weights2.T) * sigmoid_derivative(self.layer1)))
        self.weights1 += d_weights1
        self.weights2 += d_weights2


def as_weights(w1, w2):
    return [
        {"layer": 0, "name": "weight", "shape": [3, 4], "values": w1.tolist()},
        {"layer": 2, "name": "weight", "shape": [4, 1], "values": w2.tolist()},
    ]


X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
y = np.array([[0], [1], [1], [0]])
nn = NeuralNetwork(X, y)
with open("tutorial2_initial.json", "w") as f:
    json.dump({"format": "nerve-weights", "version": 1,
               "parameters": as_weights(nn.weights1, nn.weights2)}, f, indent=1)

losses = []
for i in range(1500):
    nn.feedforward()
    losses.append(float(np.sum((nn.y - nn.output) ** 2)))
    nn.backprop()

printed = nn.output
print(printed)
final_out = sigmoid(np.dot(sigmoid(np.dot(X, nn.weights1)), nn.weights2))
samples = [0, 1, 2, 9, 99, 499, 999, 1499]
with open("tutorial2_final.json", "w") as f:
    json.dump({"format": "nerve-weights", "version": 1,
               "parameters": as_weights(nn.weights1, nn.weights2),
               "outputs": final_out.ravel().tolist(),
               "printed_output": printed.ravel().tolist(),
               "loss_samples": {str(i): losses[i] for i in samples}}, f, indent=1)
