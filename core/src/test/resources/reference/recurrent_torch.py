"""Reference values for RecurrentConformanceTest: PyTorch's nn.Embedding, nn.RNN (tanh, relu),
nn.LSTM and nn.GRU, one and two directions, last step (h_n) or every step, with and without
sequences of different lengths (pack_padded_sequence / pad_packed_sequence). For each case: the
input, the lengths, the weights (state_dict names), the output, a fixed r, and the gradients of
sum(output * r) with respect to the input and every weight.
Run: python3 recurrent_torch.py > recurrent_torch.json"""
import json

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(5)


def flat(t):
    return t.detach().reshape(-1).tolist()


def run(layer, x, lengths, sequences):
    if lengths is None:
        out, h = layer(x)
    else:
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=True,
                                      enforce_sorted=False)
        out, h = layer(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
    if sequences:
        return out
    hn = h[0] if isinstance(h, tuple) else h  # [directions, batch, hidden]
    return torch.cat([hn[d] for d in range(hn.shape[0])], dim=1)


def case(kind, inputs, hidden, batch, steps, bidirectional, sequences, lengths, **kw):
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    layer = cls(inputs, hidden, batch_first=True, bidirectional=bidirectional, **kw)
    x = torch.randn(batch, steps, inputs, requires_grad=True)
    y = run(layer, x, lengths, sequences)
    r = torch.randn(*y.shape)
    (y * r).sum().backward()
    out = {"kind": kind, "inputs": inputs, "hidden": hidden, "bidirectional": bidirectional,
           "sequences": sequences, "relu": kw.get("nonlinearity") == "relu",
           "lengths": lengths, "x": flat(x), "x_shape": list(x.shape), "y": flat(y),
           "y_shape": list(y.shape), "r": flat(r), "dx": flat(x.grad), "weights": {}}
    for name, p in layer.named_parameters():
        out["weights"][name] = {"value": flat(p), "grad": flat(p.grad)}
    return out


ref = {}
for kind in ["rnn", "lstm", "gru"]:
    ref[kind + "_last"] = case(kind, 3, 4, 2, 5, False, False, None)
    ref[kind + "_seq"] = case(kind, 3, 4, 2, 5, False, True, None)
    ref[kind + "_bi_seq_lengths"] = case(kind, 3, 4, 3, 6, True, True, [6, 2, 4])
    ref[kind + "_bi_last_lengths"] = case(kind, 2, 3, 3, 5, True, False, [3, 5, 1])
    ref[kind + "_last_lengths"] = case(kind, 3, 5, 4, 7, False, False, [7, 3, 5, 1])
ref["rnn_relu_seq_lengths"] = case("rnn", 3, 4, 3, 5, False, True, [5, 2, 4],
                                   nonlinearity="relu")

emb = torch.nn.Embedding(7, 3, padding_idx=0)
ids = torch.tensor([[1, 4, 0, 0], [6, 6, 2, 0]])
y = emb(ids)
r = torch.randn(*y.shape)
(y * r).sum().backward()
ref["embedding"] = {"ids": flat(ids), "ids_shape": list(ids.shape), "weight": flat(emb.weight),
                    "y": flat(y), "r": flat(r), "dweight": flat(emb.weight.grad)}

json.dump(ref, __import__("sys").stdout)
