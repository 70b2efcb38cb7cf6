"""Reference values for ConvConformanceTest: PyTorch's Conv2d (three settings), MaxPool2d,
AvgPool2d and BatchNorm1d/2d (training step and inference), outputs and gradients of the sum of
(output * r) for a fixed r, from fixed inputs and weights.
Run: python3 conv_torch.py > conv_torch.json"""
import json

import torch

torch.manual_seed(3)


def flat(t):
    return t.detach().reshape(-1).tolist()


def case(layer, shape):
    x = torch.randn(*shape, requires_grad=True)
    y = layer(x)
    r = torch.randn(*y.shape)
    (y * r).sum().backward()
    out = {"x": flat(x), "x_shape": list(shape), "y": flat(y), "y_shape": list(y.shape),
           "r": flat(r), "dx": flat(x.grad)}
    for name, p in layer.named_parameters():
        out[name] = flat(p)
        out["d" + name] = flat(p.grad)
    for name, b in layer.named_buffers():
        if b.dtype.is_floating_point:
            out[name] = flat(b)
    return out


ref = {
    "conv_plain": case(torch.nn.Conv2d(2, 3, 3), (2, 2, 5, 6)),
    "conv_stride_pad": case(torch.nn.Conv2d(3, 4, 3, stride=2, padding=1), (2, 3, 7, 5)),
    "conv_dilation": case(torch.nn.Conv2d(2, 2, 3, padding=2, dilation=2, bias=False), (1, 2, 6, 6)),
    "maxpool": case(torch.nn.MaxPool2d(2), (2, 3, 5, 4)),
    "maxpool_pad": case(torch.nn.MaxPool2d(3, stride=2, padding=1), (1, 2, 6, 7)),
    "avgpool": case(torch.nn.AvgPool2d(2), (2, 2, 4, 6)),
    "avgpool_pad": case(torch.nn.AvgPool2d(3, stride=2, padding=1), (1, 2, 5, 5)),
}
bn1 = torch.nn.BatchNorm1d(3)
with torch.no_grad():
    bn1.weight.copy_(torch.tensor([1.5, -0.5, 2.0]))
    bn1.bias.copy_(torch.tensor([0.1, 0.2, -0.3]))
ref["batchnorm1d"] = case(bn1, (6, 3))
bn2 = torch.nn.BatchNorm2d(2)
ref["batchnorm2d"] = case(bn2, (3, 2, 4, 5))
bn2.eval()
x = torch.randn(2, 2, 4, 5)
ref["batchnorm2d_eval"] = {"x": flat(x), "y": flat(bn2(x))}
print(json.dumps(ref))
