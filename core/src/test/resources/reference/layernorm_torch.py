"""Reference values for LayerNormTest: PyTorch's nn.LayerNorm over the last axis, with a weight
and bias (set to fixed values) and without, on [batch, features] and [batch, time, features];
outputs and the gradients of sum(output * r) for a fixed r.
Run: python3 layernorm_torch.py > layernorm_torch.json"""
import json
import sys

import torch

torch.manual_seed(11)


def flat(t):
    return t.detach().reshape(-1).tolist()


def case(shape, affine, eps):
    layer = torch.nn.LayerNorm(shape[-1], eps=eps, elementwise_affine=affine)
    if affine:
        with torch.no_grad():
            layer.weight.copy_(torch.randn(shape[-1]))
            layer.bias.copy_(torch.randn(shape[-1]))
    x = (torch.randn(*shape) * 3 + 1).requires_grad_(True)
    y = layer(x)
    r = torch.randn(*y.shape)
    (y * r).sum().backward()
    out = {"shape": list(shape), "eps": eps, "affine": affine, "x": flat(x), "y": flat(y),
           "r": flat(r), "dx": flat(x.grad)}
    if affine:
        out.update({"weight": flat(layer.weight), "bias": flat(layer.bias),
                    "dweight": flat(layer.weight.grad), "dbias": flat(layer.bias.grad)})
    return out


json.dump({"rows": case((4, 6), True, 1e-5), "sequence": case((2, 3, 5), True, 1e-3),
           "plain": case((3, 7), False, 1e-5)}, sys.stdout)
