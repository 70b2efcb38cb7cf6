"""Reference values for OptimizerTest: three steps of torch.optim SGD (momentum, Nesterov) and
Adam on fixed weights and gradients. Run: python3 optimizers_torch.py > optimizers_torch.json"""
import json

import torch

w0 = [[0.5, -1.25, 2.0], [0.125, 3.0, -0.75]]
grads = [
    [[0.1, -0.2, 0.3], [-0.4, 0.5, -0.6]],
    [[1.5, 0.25, -2.0], [0.0, -0.125, 0.75]],
    [[-0.3, 0.9, 0.05], [2.5, -1.0, 0.2]],
]


def run(make):
    w = torch.nn.Parameter(torch.tensor(w0, dtype=torch.float32))
    opt = make([w])
    out = []
    for g in grads:
        opt.zero_grad()
        w.grad = torch.tensor(g, dtype=torch.float32)
        opt.step()
        out.append(w.detach().numpy().astype(float).tolist())
    return out


def clip(f):
    """Clips the first step's gradients, split over two parameters as weight and bias."""
    g = torch.tensor(grads[1], dtype=torch.float32)
    a = torch.nn.Parameter(torch.zeros(2, 2))
    b = torch.nn.Parameter(torch.zeros(2))
    a.grad = g[:, :2].clone()
    b.grad = g[:, 2].clone()
    total = f([a, b])
    return {"grads": a.grad.tolist() + [b.grad.tolist()],
            "norm": None if total is None else float(total)}


print(json.dumps({
    "w0": w0,
    "grads": grads,
    "sgd": run(lambda p: torch.optim.SGD(p, lr=0.1)),
    "momentum": run(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    "nesterov": run(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True)),
    "adam": run(lambda p: torch.optim.Adam(p, lr=0.01)),
    "adam_betas": run(lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.5, 0.9), eps=1e-6)),
    "sgd_wd": run(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.05)),
    "adam_l2": run(lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1)),
    "adamw": run(lambda p: torch.optim.AdamW(p, lr=0.01)),
    "adamw_strong": run(lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.5)),
    "rmsprop": run(lambda p: torch.optim.RMSprop(p, lr=0.01)),
    "rmsprop_wd": run(lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-6,
                                                    weight_decay=0.1)),
    "adagrad": run(lambda p: torch.optim.Adagrad(p, lr=0.1)),
    "adagrad_wd": run(lambda p: torch.optim.Adagrad(p, lr=0.1, weight_decay=0.2)),
    "clip_norm": clip(lambda ps: torch.nn.utils.clip_grad_norm_(ps, 1.5)),
    "clip_value": clip(lambda ps: torch.nn.utils.clip_grad_value_(ps, 0.45)),
}, indent=1))
