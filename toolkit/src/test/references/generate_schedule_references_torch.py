#!/usr/bin/python3
"""Writes the PyTorch learning-rate schedule reference tables that PyTorchSchedulesTest checks.

Run from anywhere with the Debian PyTorch (1.13, CPU):

    /usr/bin/python3 toolkit/src/test/references/generate_schedule_references_torch.py

It drives the real torch.optim.lr_scheduler classes on a real optimizer and writes one file per
family, toolkit/src/test/resources/reference/schedules/torch/<Family>.json: a list of cases

    {"type": name, "params": {... exactly what Schedules.build takes ...}, "base_lr": optimizer lr,
     "optimizer": what was stepped, "lr": [lr(0) .. lr(300)],
     "momentum": [...]   (OneCycleLR / CyclicLR with cycle_momentum),
     "metrics": [...]}   (ReduceLROnPlateau)

How lr(step) maps onto PyTorch: lr[0] is the optimizer's lr right after the scheduler is built
(before any scheduler.step()); lr[k] is the lr after k calls of optimizer.step(); scheduler.step().
Momentum is read the same way from param_groups[0]["momentum"] (SGD) or ["betas"][0] (Adam: beta1).
For ReduceLROnPlateau, metrics[k - 1] is passed to scheduler.step(metric) before lr[k] is read, so
lr[0] is the base rate and there are 300 metrics.

Deviation from torch 1.13, following current PyTorch instead (documented in MultiplicativeLR's
Javadoc too): current PyTorch's MultiplicativeLR multiplies whenever the step is not the
constructor's initial one (the `_is_initial` flag), so as a later part of SequentialLR it multiplies
at the milestone itself; torch 1.13 tests `last_epoch > 0` and leaves the rate unchanged at the
milestone. MultiplicativeLRCurrent below ports that one condition; nothing else differs for the
cases here (checked against pytorch/pytorch torch/optim/lr_scheduler.py).
"""

import json
import math
import os
import warnings

import torch
from torch.optim import lr_scheduler as L

STEPS = 301
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "reference", "schedules", "torch")


class MultiplicativeLRCurrent(L.MultiplicativeLR):
    """torch 1.13 MultiplicativeLR with current PyTorch's `_is_initial` test (see module doc)."""

    def _initial_step(self):
        self._is_initial = True
        try:
            super()._initial_step()
        finally:
            self._is_initial = False

    def get_lr(self):
        if getattr(self, "_is_initial", False):
            return [group["lr"] for group in self.optimizer.param_groups]
        return [group["lr"] * lmbda(self.last_epoch)
                for lmbda, group in zip(self.lr_lambdas, self.optimizer.param_groups)]


def make_optimizer(base_lr, kind):
    param = torch.nn.Parameter(torch.zeros(1))
    if kind == "Adam":
        return torch.optim.Adam([param], lr=base_lr, betas=(0.9, 0.999))
    return torch.optim.SGD([param], lr=base_lr, momentum=0.9)


def build(opt, kind, params):
    if kind == "MultiplicativeLR":
        factor = params["factor"]
        return MultiplicativeLRCurrent(opt, lr_lambda=lambda epoch: factor)
    if kind in ("SequentialLR", "ChainedScheduler"):
        children = [build(opt, c["TYPE"], c.get("PARAM", {})) for c in params["schedulers"]]
        if kind == "ChainedScheduler":
            return L.ChainedScheduler(children)
        return L.SequentialLR(opt, children, milestones=params["milestones"])
    return getattr(L, kind)(opt, **params)


def momentum_of(group):
    return group["betas"][0] if "betas" in group else group["momentum"]


def record(kind, params, base_lr, optimizer="SGD", momentum=False):
    opt = make_optimizer(base_lr, optimizer)
    sched = build(opt, kind, params)
    lrs, moms = [], []
    for k in range(STEPS):
        if k > 0:
            opt.step()
            sched.step()
        lrs.append(opt.param_groups[0]["lr"])
        moms.append(momentum_of(opt.param_groups[0]))
    case = {"type": kind, "params": params, "base_lr": base_lr,
            "optimizer": optimizer + ("(betas)" if optimizer == "Adam" else "(momentum=0.9)"),
            "lr": lrs}
    if momentum:
        case["momentum"] = moms
    return case


def metric_stream(shape, n=STEPS - 1):
    """Deterministic validation-like curves: decreasing with noise and plateaus, or rising."""
    out = []
    for k in range(n):
        noise = 0.01 * math.sin(1.7 * k) + 0.005 * math.cos(0.3 * k * k)
        if shape == "loss":
            level = 1.0 / (1.0 + 0.05 * min(k, 60)) + (0.0 if k < 150 else -0.1 / (1 + 0.02 * (k - 150)))
        elif shape == "flat":
            level = 0.5 if k % 40 < 30 else 0.5 - 0.001 * (k // 40)
        else:  # "accuracy", for mode max
            level = 0.9 - 0.5 / (1.0 + 0.04 * min(k, 80)) + (0.0 if k < 200 else 0.02)
        out.append(level + noise)
    return out


def record_plateau(params, base_lr, shape):
    opt = make_optimizer(base_lr, "SGD")
    sched = L.ReduceLROnPlateau(opt, **params)
    metrics = metric_stream(shape)
    lrs = [opt.param_groups[0]["lr"]]
    for metric in metrics:
        opt.step()
        sched.step(metric)
        lrs.append(opt.param_groups[0]["lr"])
    return {"type": "ReduceLROnPlateau", "params": params, "base_lr": base_lr,
            "optimizer": "SGD(momentum=0.9)", "lr": lrs, "metrics": metrics}


def spec(kind, **params):
    return {"TYPE": kind, "PARAM": params}


def cases():
    yield "StepLR", [
        record("StepLR", {"step_size": 30, "gamma": 0.1}, 0.1),
        record("StepLR", {"step_size": 7, "gamma": 0.5}, 1.0),
        record("StepLR", {"step_size": 1, "gamma": 0.97}, 0.05),
        record("StepLR", {"step_size": 100}, 0.3),
        record("StepLR", {"step_size": 50, "gamma": 1.5}, 1e-3),
    ]
    yield "MultiStepLR", [
        record("MultiStepLR", {"milestones": [30, 80], "gamma": 0.1}, 0.1),
        record("MultiStepLR", {"milestones": [50, 50, 120], "gamma": 0.5}, 1.0),  # repeated
        record("MultiStepLR", {"milestones": [200, 10, 100], "gamma": 0.3}, 0.2),  # unsorted
        record("MultiStepLR", {"milestones": [0, 150], "gamma": 0.2}, 0.5),  # at step 0
        record("MultiStepLR", {"milestones": [100]}, 0.01),
    ]
    yield "ExponentialLR", [
        record("ExponentialLR", {"gamma": 0.99}, 0.1),
        record("ExponentialLR", {"gamma": 0.9}, 1.0),
        record("ExponentialLR", {"gamma": 1.0}, 0.5),
        record("ExponentialLR", {"gamma": 0.95}, 0.0),
    ]
    yield "MultiplicativeLR", [
        record("MultiplicativeLR", {"factor": 0.95}, 0.1),
        record("MultiplicativeLR", {"factor": 0.99}, 1.0),
        record("MultiplicativeLR", {"factor": 1.01}, 1e-3),
    ]
    yield "ConstantLR", [
        record("ConstantLR", {}, 0.1),
        record("ConstantLR", {"factor": 0.5, "total_iters": 40}, 0.05),
        record("ConstantLR", {"factor": 1.0, "total_iters": 10}, 0.3),
        record("ConstantLR", {"factor": 0.1, "total_iters": 300}, 1.0),
    ]
    yield "LinearLR", [
        record("LinearLR", {}, 0.1),
        record("LinearLR", {"start_factor": 0.05, "total_iters": 40}, 0.05),
        record("LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 100}, 1.0),
        record("LinearLR", {"start_factor": 0.25, "end_factor": 0.0, "total_iters": 300}, 0.2),
        record("LinearLR", {"start_factor": 0.5, "end_factor": 0.0, "total_iters": 50}, 0.4),
    ]
    yield "PolynomialLR", [
        record("PolynomialLR", {}, 0.1),
        record("PolynomialLR", {"total_iters": 100, "power": 2.0}, 1.0),
        record("PolynomialLR", {"total_iters": 300, "power": 0.9}, 0.05),
        record("PolynomialLR", {"total_iters": 50, "power": 0.5}, 0.3),
    ]
    yield "CosineAnnealingLR", [
        record("CosineAnnealingLR", {"T_max": 300}, 0.1),
        record("CosineAnnealingLR", {"T_max": 100}, 1.0),  # past T_max: climbs back
        record("CosineAnnealingLR", {"T_max": 50, "eta_min": 1e-4}, 0.05),
        record("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.01}, 0.3),
        record("CosineAnnealingLR", {"T_max": 1}, 0.2),
    ]
    yield "CosineAnnealingWarmRestarts", [
        record("CosineAnnealingWarmRestarts", {"T_0": 10}, 0.1),
        record("CosineAnnealingWarmRestarts", {"T_0": 10, "T_mult": 2}, 1.0),
        record("CosineAnnealingWarmRestarts", {"T_0": 5, "T_mult": 3, "eta_min": 1e-3}, 0.05),
        record("CosineAnnealingWarmRestarts", {"T_0": 1, "T_mult": 2}, 0.2),
        record("CosineAnnealingWarmRestarts", {"T_0": 300}, 0.3),
        record("CosineAnnealingWarmRestarts", {"T_0": 7, "eta_min": 0.01}, 0.5),
    ]
    yield "OneCycleLR", [
        record("OneCycleLR", {"max_lr": 0.1, "total_steps": 300}, 0.01, momentum=True),
        record("OneCycleLR", {"max_lr": 1.0, "total_steps": 300, "anneal_strategy": "linear"},
               0.01, momentum=True),
        record("OneCycleLR", {"max_lr": 0.5, "total_steps": 300, "three_phase": True}, 0.01,
               momentum=True),
        record("OneCycleLR", {"max_lr": 0.2, "epochs": 10, "steps_per_epoch": 30,
                              "pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0},
               0.01, momentum=True),
        record("OneCycleLR", {"max_lr": 0.05, "total_steps": 1000, "pct_start": 0.5,
                              "cycle_momentum": False}, 0.01),
        record("OneCycleLR", {"max_lr": 3e-3, "total_steps": 400, "base_momentum": 0.8,
                              "max_momentum": 0.9, "three_phase": True,
                              "anneal_strategy": "linear"},
               1e-3, optimizer="Adam", momentum=True),  # beta1 cycling
    ]
    yield "CyclicLR", [
        record("CyclicLR", {"base_lr": 0.001, "max_lr": 0.006, "step_size_up": 50}, 0.1,
               momentum=True),
        record("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 40,
                            "mode": "triangular2"}, 0.1, momentum=True),
        record("CyclicLR", {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 25,
                            "mode": "exp_range", "gamma": 0.99}, 0.1, momentum=True),
        record("CyclicLR", {"base_lr": 0.0, "max_lr": 1.0, "step_size_up": 30,
                            "step_size_down": 70, "base_momentum": 0.85, "max_momentum": 0.95},
               0.1, momentum=True),
        record("CyclicLR", {"base_lr": 0.02, "max_lr": 0.2, "step_size_up": 17,
                            "step_size_down": 5, "mode": "triangular2",
                            "cycle_momentum": False}, 0.1),
        record("CyclicLR", {"base_lr": 1e-4, "max_lr": 1e-2}, 0.1, momentum=True),
    ]
    yield "SequentialLR", [
        record("SequentialLR", {"schedulers": [spec("LinearLR", start_factor=0.1, total_iters=20),
                                               spec("CosineAnnealingLR", T_max=280)],
                                "milestones": [20]}, 0.1),
        record("SequentialLR", {"schedulers": [spec("ConstantLR", factor=0.1, total_iters=20),
                                               spec("ExponentialLR", gamma=0.9)],
                                "milestones": [20]}, 0.05),
        record("SequentialLR", {"schedulers": [spec("StepLR", step_size=10, gamma=0.5),
                                               spec("MultiplicativeLR", factor=0.97),
                                               spec("CosineAnnealingWarmRestarts", T_0=30,
                                                    T_mult=2)],
                                "milestones": [50, 150]}, 1.0),
        record("SequentialLR", {"schedulers": [spec("ExponentialLR", gamma=0.98),
                                               spec("MultiplicativeLR", factor=0.95)],
                                "milestones": [100]}, 0.2),
        record("SequentialLR", {"schedulers": [spec("LinearLR", start_factor=0.2, total_iters=10),
                                               spec("CosineAnnealingLR", T_max=50, eta_min=1e-3),
                                               spec("PolynomialLR", total_iters=80, power=2.0)],
                                "milestones": [10, 200]}, 0.3),
        # several ConstantLR: each applies alone (pytorch#82684, fixed before 1.13 by the reset)
        record("SequentialLR", {"schedulers": [spec("ConstantLR", factor=1.0, total_iters=99999),
                                               spec("ConstantLR", factor=0.1, total_iters=99999),
                                               spec("ConstantLR", factor=0.5, total_iters=99999)],
                                "milestones": [100, 200]}, 0.1),
    ]
    yield "ChainedScheduler", [
        record("ChainedScheduler", {"schedulers": [spec("ConstantLR", factor=0.1, total_iters=20),
                                                   spec("ExponentialLR", gamma=0.9)]}, 0.05),
        record("ChainedScheduler", {"schedulers": [spec("LinearLR", start_factor=0.2,
                                                        total_iters=30),
                                                   spec("StepLR", step_size=50, gamma=0.5),
                                                   spec("PolynomialLR", total_iters=300,
                                                        power=2.0)]}, 0.1),
        record("ChainedScheduler", {"schedulers": [spec("LinearLR", start_factor=0.1,
                                                        total_iters=10),
                                                   spec("CosineAnnealingLR", T_max=100,
                                                        eta_min=1e-3)]}, 0.1),
        record("ChainedScheduler", {"schedulers": [spec("CosineAnnealingWarmRestarts", T_0=40),
                                                   spec("ExponentialLR", gamma=0.995)]}, 0.2),
        record("ChainedScheduler", {"schedulers": [spec("ExponentialLR", gamma=0.99),
                                                   spec("CosineAnnealingWarmRestarts", T_0=50,
                                                        T_mult=2)]}, 0.2),
        record("ChainedScheduler", {"schedulers": [spec("CosineAnnealingLR", T_max=60),
                                                   spec("MultiStepLR", milestones=[90, 90, 200],
                                                        gamma=0.5)]}, 1.0),
        # PolynomialLR reaches 0 and then passes on the rate the restarts write
        record("ChainedScheduler", {"schedulers": [spec("CosineAnnealingWarmRestarts", T_0=40),
                                                   spec("PolynomialLR", total_iters=50)]}, 0.1),
    ]
    yield "ReduceLROnPlateau", [
        record_plateau({}, 0.1, "loss"),
        record_plateau({"patience": 3, "factor": 0.5, "cooldown": 5}, 0.1, "loss"),
        record_plateau({"mode": "max", "threshold_mode": "abs", "threshold": 0.01, "patience": 5},
                       0.05, "accuracy"),
        record_plateau({"patience": 2, "factor": 0.1, "min_lr": 1e-3}, 1.0, "flat"),
        record_plateau({"patience": 1, "factor": 0.5, "eps": 0.01, "threshold": 0.0}, 0.1, "flat"),
        record_plateau({"mode": "max", "patience": 4, "cooldown": 2, "factor": 0.3}, 0.2, "loss"),
    ]


def main():
    warnings.simplefilter("ignore")
    os.makedirs(OUT, exist_ok=True)
    for family, family_cases in cases():
        path = os.path.join(OUT, family + ".json")
        with open(path, "w") as f:
            # one case per line: small files, readable diffs
            f.write("[\n" + ",\n".join(json.dumps(c) for c in family_cases) + "\n]\n")
        print(f"{path}: {len(family_cases)} cases (torch {torch.__version__})")


if __name__ == "__main__":
    main()
