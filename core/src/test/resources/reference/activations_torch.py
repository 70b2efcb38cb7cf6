"""Reference values for ActivationConformanceTest: PyTorch's GELU (exact), ELU (alpha 1 and
0.5), Softplus and SiLU, and their gradients, on fixed inputs.
Run: python3 activations_torch.py > activations_torch.json"""
import json

import torch

x = torch.tensor([-25.0, -6.0, -2.5, -1.0, -0.3, 0.0, 0.2, 0.9, 2.0, 4.5, 19.0, 21.0, 30.0],
                 dtype=torch.float32)
out = {"x": x.tolist()}
for name, f in [("gelu", torch.nn.GELU()), ("elu", torch.nn.ELU()),
                ("elu_half", torch.nn.ELU(alpha=0.5)), ("softplus", torch.nn.Softplus()),
                ("silu", torch.nn.SiLU())]:
    xi = x.clone().requires_grad_(True)
    y = f(xi)
    y.sum().backward()
    out[name] = {"y": y.detach().tolist(), "grad": xi.grad.tolist()}
print(json.dumps(out, indent=1))
