"""Reference values for ScheduleTest: the learning rate of epochs 1-12 under PyTorch's StepLR,
ExponentialLR, CosineAnnealingLR and ReduceLROnPlateau (fed the losses below), base rate 0.1,
scheduler.step() once per epoch. Run: python3 schedules_torch.py > schedules_torch.json"""
import json

import torch

LOSSES = [1.0, 0.8, 0.8, 0.79999, 0.81, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4]


def rates(make, losses=None):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    s = make(opt)
    out = []
    for e in range(12):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        s.step(losses[e]) if losses else s.step()
    return out


print(json.dumps({
    "losses": LOSSES,
    "step": rates(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    "exponential": rates(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
    "cosine": rates(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=5, eta_min=0.01)),
    "plateau": rates(lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=1),
                     LOSSES),
}, indent=1))
