"""ONNX models PyTorch writes, for OnnxImportTest: an MLP, a LeNet-style CNN (a batch norm the
exporter folds into the convolution, max and average pooling (with the exporter's zero Pad),
flatten), a 1-D convolutional network (groups, SiLU, global average), and LSTM and GRU text
classifiers (embedding, the last state, a linear layer; token ids as int64 inputs), each
exported by torch.onnx.export (opset 13, dynamic batch) from fixed random weights, with an input
and PyTorch's own outputs for it.
Run: /usr/bin/python3 torch_onnx.py  (writes torch_*.onnx and torch_onnx.json here)"""
import json

import torch

nn = torch.nn
torch.manual_seed(18)


class Recurrent(nn.Module):
    """Token ids, an embedding, an LSTM or GRU over them, its last state into a linear layer:
    PyTorch's text classifier."""

    def __init__(self, cell):
        super().__init__()
        self.emb = nn.Embedding(12, 5)
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(5, 6, batch_first=True)
        self.out = nn.Linear(6, 3)

    def forward(self, x):
        _, h = self.rnn(self.emb(x))
        h = h[0] if isinstance(h, tuple) else h
        return self.out(h[-1])


class GlobalAvg(nn.Module):
    def forward(self, x):
        return x.mean(dim=2)


def models():
    mlp = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 3))
    lenet = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.AvgPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.LeakyReLU(0.1), nn.Linear(84, 10))
    conv1d = nn.Sequential(
        nn.Conv1d(4, 8, 3, padding=1), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(8, 8, 3, padding=1, groups=2), nn.SiLU(), GlobalAvg(), nn.Linear(8, 2))
    with torch.no_grad():
        bn = lenet[1]
        bn.running_mean.copy_(torch.randn(6) * 0.3)
        bn.running_var.copy_(torch.rand(6) + 0.5)
        bn.weight.copy_(torch.rand(6) + 0.5)
        bn.bias.copy_(torch.randn(6) * 0.1)
    return {"mlp": (mlp, (5, 6)), "lenet": (lenet, (3, 1, 28, 28)), "conv1d": (conv1d, (2, 4, 10)),
            "lstm": (Recurrent("lstm"), (3, 7)), "gru": (Recurrent("gru"), (3, 7))}


out = {}
for name, (m, shape) in models().items():
    m.eval()
    x = torch.randint(0, 12, shape) if name in ("lstm", "gru") else torch.randn(*shape)
    with torch.no_grad():
        y = m(x)
    # In eval mode the exporter folds the batch norm into the convolution's weights (it writes
    # Conv, not BatchNormalization); Nerve's own exports carry BatchNormalization nodes.
    torch.onnx.export(m, x, f"torch_{name}.onnx", opset_version=13, input_names=["input"],
                      output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    out[name] = {"shape": list(shape), "x": x.reshape(-1).float().tolist(),
                 "y": y.reshape(-1).tolist()}
with open("torch_onnx.json", "w") as f:
    json.dump(out, f)
