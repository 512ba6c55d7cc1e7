#!/usr/bin/python3
"""Reference learning rates for the Hugging Face, BasicTS, EasyTorch and timm schedule families and
the RunKit warm-up decorator, from the published formulas.

Run from the repository root with the Python that has PyTorch (Debian python3-torch):

    /usr/bin/python3 toolkit/src/test/references/generate_schedule_references_formulas.py

It writes toolkit/src/test/resources/reference/schedules/formulas/<type>.json, one file per registered
type: a list of cases {"type", "params" (exactly what Schedules.build takes), "base_lr", "lr"} where
lr[step] is the learning rate after `step` calls of scheduler.step() (or, for timm, after
step_update(step)), for steps 0..300.

transformers, timm, BasicTS and EasyTorch cannot be installed here, so each formula below is written
out from the upstream source, cited per family, and driven the way upstream drives it: the Hugging
Face and BasicTS lambdas through the real torch.optim.lr_scheduler.LambdaLR, the EasyTorch scheduler
as a real torch _LRScheduler stepped once per iteration, timm through its stateless _get_lr(t).
"""

import json
import math
import os
import sys
from functools import partial

import torch
from torch.optim.lr_scheduler import LambdaLR, _LRScheduler

STEPS = 301
OUT = os.path.join("toolkit", "src", "test", "resources", "reference", "schedules", "formulas")


def _optimizer(base_lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)


def _run_torch(scheduler_factory, base_lr, n):
    """Learning rates after 0..n-1 calls of scheduler.step(), read from the real param group."""
    optimizer = _optimizer(base_lr)
    scheduler = scheduler_factory(optimizer)
    out = [optimizer.param_groups[0]["lr"]]
    for _ in range(n - 1):
        optimizer.step()
        scheduler.step()
        out.append(optimizer.param_groups[0]["lr"])
    return out


# ---------------------------------------------------------------------------------------------
# Hugging Face transformers, src/transformers/optimization.py at commit
# 005edacb6b5dabbf0843e92c6623de9e07ca6241 (the lambdas of get_scheduler's TYPE_TO_SCHEDULER_FUNCTION).
# ---------------------------------------------------------------------------------------------

def hf_constant_with_warmup(step, *, num_warmup_steps):
    if step < num_warmup_steps:
        return float(step) / float(max(1.0, num_warmup_steps))
    return 1.0


def hf_linear(step, *, num_warmup_steps, num_training_steps):
    if step < num_warmup_steps:
        return float(step) / float(max(1, num_warmup_steps))
    return max(0.0, float(num_training_steps - step) / float(max(1, num_training_steps - num_warmup_steps)))


def hf_cosine(step, *, num_warmup_steps, num_training_steps, num_cycles, min_lr_rate=0.0):
    # upstream's second definition of _get_cosine_schedule_with_warmup_lr_lambda (with min_lr_rate)
    # is the one in force for both "cosine" and "cosine_with_min_lr"
    if step < num_warmup_steps:
        return float(step) / float(max(1, num_warmup_steps))
    progress = float(step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
    factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
    factor = factor * (1 - min_lr_rate) + min_lr_rate
    return max(0, factor)


def hf_cosine_with_restarts(step, *, num_warmup_steps, num_training_steps, num_cycles):
    if step < num_warmup_steps:
        return float(step) / float(max(1, num_warmup_steps))
    progress = float(step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
    if progress >= 1.0:
        return 0.0
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * ((float(num_cycles) * progress) % 1.0))))


def hf_polynomial(step, *, num_warmup_steps, num_training_steps, lr_end, power, lr_init):
    if step < num_warmup_steps:
        return float(step) / float(max(1, num_warmup_steps))
    if step > num_training_steps:
        return lr_end / lr_init
    lr_range = lr_init - lr_end
    decay_steps = num_training_steps - num_warmup_steps
    pct_remaining = 1 - (step - num_warmup_steps) / decay_steps
    decay = lr_range * pct_remaining ** power + lr_end
    return decay / lr_init


def hf_inverse_sqrt(step, *, num_warmup_steps, timescale):
    if step < num_warmup_steps:
        return float(step) / float(max(1, num_warmup_steps))
    shift = timescale - num_warmup_steps
    return 1.0 / math.sqrt((step + shift) / timescale)


def hf_cosine_warmup_with_min_lr(step, *, num_warmup_steps, num_training_steps, num_cycles,
                                 min_lr_rate, warmup_lr_rate):
    step = float(step)
    num_warmup_steps = float(num_warmup_steps)
    num_training_steps = float(num_training_steps)
    if step < num_warmup_steps:
        if warmup_lr_rate is None:
            return (step + 1.0) / max(1.0, num_warmup_steps)
        warmup_lr_rate = float(warmup_lr_rate)
        return warmup_lr_rate + (1.0 - warmup_lr_rate) * step / max(1, num_warmup_steps - 1)
    progress = (step - num_warmup_steps + 1.0) / max(1.0, num_training_steps - num_warmup_steps)
    factor = 0.5 * (1.0 + math.cos(math.pi * num_cycles * 2.0 * progress))
    factor = factor * (1 - min_lr_rate) + min_lr_rate
    return max(0, factor)


def hf_wsd(step, *, num_warmup_steps, num_stable_steps, num_decay_steps, warmup_type, decay_type,
           min_lr_ratio, num_cycles):
    if step < num_warmup_steps:
        progress = float(step) / float(max(1, num_warmup_steps))
        if warmup_type == "linear":
            factor = progress
        elif warmup_type == "cosine":
            factor = 0.5 * (1.0 - math.cos(math.pi * progress))
        elif warmup_type == "1-sqrt":
            factor = 1.0 - math.sqrt(1.0 - progress)
        factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
        return max(0.0, factor)
    if step < num_warmup_steps + num_stable_steps:
        return 1.0
    if step < num_warmup_steps + num_stable_steps + num_decay_steps:
        progress = float(step - num_warmup_steps - num_stable_steps) / float(max(1, num_decay_steps))
        if decay_type == "linear":
            factor = 1.0 - progress
        elif decay_type == "cosine":
            factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
        elif decay_type == "1-sqrt":
            factor = 1.0 - math.sqrt(progress)
        factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
        return max(0.0, factor)
    return min_lr_ratio


def _hf_lambda(type_, params, base_lr):
    """The lambda that the upstream get_* function builds, with upstream's defaults."""
    w = params.get("num_warmup_steps", 0)  # TrainingArguments.warmup_steps defaults to 0
    t = params.get("num_training_steps")
    if type_ == "constant":
        return lambda _: 1
    if type_ == "constant_with_warmup":
        return partial(hf_constant_with_warmup, num_warmup_steps=w)
    if type_ == "linear":
        return partial(hf_linear, num_warmup_steps=w, num_training_steps=t)
    if type_ in ("cosine", "CosineWarmup"):
        return partial(hf_cosine, num_warmup_steps=w, num_training_steps=t,
                       num_cycles=params.get("num_cycles", 0.5))
    if type_ in ("cosine_with_restarts", "CosineWarmupRestarts"):
        return partial(hf_cosine_with_restarts, num_warmup_steps=w, num_training_steps=t,
                       num_cycles=params.get("num_cycles", 1))
    if type_ == "polynomial":
        lr_end = params.get("lr_end", 1e-7)
        assert base_lr > lr_end  # get_polynomial_decay_schedule_with_warmup raises otherwise
        return partial(hf_polynomial, num_warmup_steps=w, num_training_steps=t, lr_end=lr_end,
                       power=params.get("power", 1.0), lr_init=base_lr)
    if type_ == "inverse_sqrt":
        timescale = params.get("timescale")
        if timescale is None:
            timescale = w or 10_000
        return partial(hf_inverse_sqrt, num_warmup_steps=w, timescale=timescale)
    if type_ in ("cosine_with_min_lr", "cosine_warmup_with_min_lr"):
        if "min_lr" in params:
            min_lr_rate = params["min_lr"] / base_lr
        else:
            min_lr_rate = params["min_lr_rate"]
        if type_ == "cosine_with_min_lr":
            return partial(hf_cosine, num_warmup_steps=w, num_training_steps=t,
                           num_cycles=params.get("num_cycles", 0.5), min_lr_rate=min_lr_rate)
        return partial(hf_cosine_warmup_with_min_lr, num_warmup_steps=w, num_training_steps=t,
                       num_cycles=params.get("num_cycles", 0.5), min_lr_rate=min_lr_rate,
                       warmup_lr_rate=params.get("warmup_lr_rate"))
    if type_ == "warmup_stable_decay":
        d = params["num_decay_steps"]
        s = params.get("num_stable_steps")
        if s is None:
            s = t - w - d
        return partial(hf_wsd, num_warmup_steps=w, num_stable_steps=s, num_decay_steps=d,
                       warmup_type=params.get("warmup_type", "linear"),
                       decay_type=params.get("decay_type", "cosine"),
                       min_lr_ratio=params.get("min_lr_ratio", 0), num_cycles=params.get("num_cycles", 0.5))
    return None


# BasicTS basicts/runners/optim/lr_schedulers.py at commit 7554c5f22d0e173d16c50df8475ea85dc5411ee1:
# CosineWarmup and CosineWarmupRestarts are LambdaLR subclasses whose lambdas are verbatim the
# transformers cosine and cosine-with-hard-restarts lambdas above (same parameters, same defaults).


# ---------------------------------------------------------------------------------------------
# EasyTorch easytorch/easyoptim/easy_lr_scheduler.py at commit 449df89afddf4db2b1b68ffc18574e96c4456531,
# MultiCosineAnnealingWarmupLR, stepped once per iteration (its sequential `epoch is None` path).
# Reading of the intended formula: the lists are copied rather than mutated (upstream inserts into
# the caller's lists, so a second scheduler built from one config fails), everything else follows
# the published arithmetic, including the cosine going on past final_epoch.
# ---------------------------------------------------------------------------------------------

class EasyTorchMultiCosine(_LRScheduler):

    def __init__(self, optimizer, final_epoch, T_0=None, lr_mult=None, warmup_begin=0, warmup_factor=0.01,
                 eta_min=0):
        starts = [0] + list(T_0 or [])
        self.mults = [1] + list(lr_mult or [])
        self.starts = starts
        bounds = starts + [final_epoch]
        if warmup_begin > bounds[1]:
            raise ValueError("warmup_begin beyond the first section")
        self.lengths = [bounds[i + 1] - bounds[i] - 1 for i in range(len(bounds) - 1)]
        self.lengths[0] -= warmup_begin
        self.first_boundary = bounds[1]
        self.warmup_begin = warmup_begin
        self.warmup_factor = warmup_factor
        self.eta_min = eta_min
        self.t_cur = 0
        self.length = self.lengths[0]
        self.mult = 1
        super().__init__(optimizer)

    def _section(self, epoch):
        # the last start at or before epoch (upstream's locate)
        section = 0
        for i, start in enumerate(self.starts):
            if epoch >= start:
                section = i
        return section

    def get_lr(self):
        if self.last_epoch <= self.warmup_begin:
            if self.warmup_begin != 0:
                return [(b - self.warmup_factor * b) * (self.last_epoch / self.warmup_begin) + self.warmup_factor * b
                        for b in self.base_lrs]
            return list(self.base_lrs)
        return [self.eta_min + (self.mult * b - self.eta_min) * (1 + math.cos(math.pi * self.t_cur / self.length)) / 2
                for b in self.base_lrs]

    def step(self, epoch=None):
        epoch = 0 if self.last_epoch < 0 else self.last_epoch + 1
        section = self._section(epoch)
        self.length = self.lengths[section]
        self.t_cur = epoch - self.starts[section]
        if epoch < self.first_boundary:
            self.t_cur -= self.warmup_begin
        self.mult = self.mults[section]
        self.last_epoch = epoch
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]


# ---------------------------------------------------------------------------------------------
# timm timm/scheduler/cosine_lr.py at commit 16664ea31ba52dc55c3744e69741fffddb4845da,
# CosineLRScheduler._get_lr(t) with t_in_epochs=False and no noise: the learning rate set by
# step_update(num_updates=t), and at construction (t = 0) the warm-up start or the base lr.
# ---------------------------------------------------------------------------------------------

def timm_cosine_lr(t, base, *, t_initial, lr_min=0.0, cycle_mul=1.0, cycle_decay=1.0, cycle_limit=1,
                   warmup_t=0, warmup_lr_init=0, warmup_prefix=False, k_decay=1.0):
    if warmup_t:
        warmup_step = (base - warmup_lr_init) / warmup_t
    if t < warmup_t:
        return warmup_lr_init + t * warmup_step
    if warmup_prefix:
        t = t - warmup_t
    if cycle_mul != 1:
        i = math.floor(math.log(1 - t / t_initial * (1 - cycle_mul), cycle_mul))
        t_i = cycle_mul ** i * t_initial
        t_curr = t - (1 - cycle_mul ** i) / (1 - cycle_mul) * t_initial
    else:
        i = t // t_initial
        t_i = t_initial
        t_curr = t - (t_initial * i)
    gamma = cycle_decay ** i
    lr_max = base * gamma
    k = k_decay
    if i < cycle_limit:
        return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * t_curr ** k / t_i ** k))
    return lr_min


# ---------------------------------------------------------------------------------------------
# RunKit "warmup" decorator (no upstream; the idea of DJL's WarmUpTracker, documented in
# WarmupSchedule.java): for warmup_steps steps ramp from warmup_start_factor * target to target,
# target = inner(0) when shifted (the default) or inner(warmup_steps) when not; afterwards
# inner(step - warmup_steps) when shifted, inner(step) when not.
# ---------------------------------------------------------------------------------------------

def warmup_lrs(params, base_lr, n):
    inner = params["schedule"]
    w = params["warmup_steps"]
    kind = params.get("warmup_type", "linear")
    factor = params.get("warmup_start_factor", 0.0)
    shift = params.get("shift", True)
    inner_lrs = sequence(inner["TYPE"], inner.get("PARAM", {}), base_lr, n + w)
    offset = w if shift else 0
    target = inner_lrs[w - offset]
    start = factor * target
    out = []
    for step in range(n):
        if step >= w:
            out.append(inner_lrs[step - offset])
            continue
        frac = step / w
        if kind == "constant":
            out.append(start)
        elif kind == "linear":
            out.append(start + frac * (target - start))
        elif kind == "cosine":
            out.append(start + (target - start) * (1 - math.cos(math.pi * frac)) / 2)
        elif kind == "exponential":
            out.append(math.exp(math.log(start) + frac * (math.log(target) - math.log(start))))
        else:
            raise ValueError(kind)
    return out


def sequence(type_, params, base_lr, n):
    """Learning rates for steps 0..n-1 of one case."""
    lam = _hf_lambda(type_, params, base_lr)
    if lam is not None:
        return _run_torch(lambda opt: LambdaLR(opt, lam), base_lr, n)
    if type_ == "MultiCosineAnnealingWarmupLR":
        return _run_torch(lambda opt: EasyTorchMultiCosine(opt, **params), base_lr, n)
    if type_ == "CosineLRScheduler":
        return [timm_cosine_lr(t, base_lr, **params) for t in range(n)]
    if type_ == "warmup":
        return warmup_lrs(params, base_lr, n)
    raise ValueError(type_)


def case(type_, params, base_lr):
    return {"type": type_, "params": params, "base_lr": base_lr, "lr": sequence(type_, params, base_lr, STEPS)}


CASES = {
    "constant": [
        ({}, 0.1),
        ({}, 1.0),
        ({}, 3e-4),
    ],
    "constant_with_warmup": [
        ({"num_warmup_steps": 0}, 0.1),
        ({"num_warmup_steps": 50}, 1e-3),
        ({"num_warmup_steps": 300}, 0.1),  # warm-up only
        ({"num_warmup_steps": 1}, 0.5),
    ],
    "linear": [
        ({"num_training_steps": 200}, 0.1),  # no warm-up, past the run
        ({"num_warmup_steps": 30, "num_training_steps": 300}, 1e-3),
        ({"num_warmup_steps": 100, "num_training_steps": 100}, 0.1),  # warm-up only
        ({"num_warmup_steps": 0, "num_training_steps": 1}, 1.0),
    ],
    "cosine": [
        ({"num_warmup_steps": 0, "num_training_steps": 200}, 0.1),  # rises again past the run
        ({"num_warmup_steps": 20, "num_training_steps": 300}, 1e-3),
        ({"num_warmup_steps": 10, "num_training_steps": 250, "num_cycles": 1.5}, 0.1),
        ({"num_warmup_steps": 50, "num_training_steps": 50}, 1.0),  # warm-up only
    ],
    "cosine_with_restarts": [
        ({"num_warmup_steps": 0, "num_training_steps": 300}, 0.1),
        ({"num_warmup_steps": 20, "num_training_steps": 200, "num_cycles": 3}, 1e-3),  # past the run
        ({"num_warmup_steps": 10, "num_training_steps": 290, "num_cycles": 4}, 0.1),
        ({"num_warmup_steps": 0, "num_training_steps": 301, "num_cycles": 7}, 1.0),
    ],
    "polynomial": [
        ({"num_training_steps": 200}, 0.1),
        ({"num_warmup_steps": 20, "num_training_steps": 250, "lr_end": 0.01, "power": 2.0}, 0.1),
        ({"num_warmup_steps": 50, "num_training_steps": 100, "lr_end": 1e-4, "power": 0.5}, 1e-3),  # past
        ({"num_warmup_steps": 0, "num_training_steps": 300, "lr_end": 0.0, "power": 3.0}, 1.0),
    ],
    "inverse_sqrt": [
        ({}, 0.1),  # no warm-up: timescale 10000
        ({"num_warmup_steps": 25}, 1e-3),
        ({"num_warmup_steps": 25, "timescale": 100}, 0.1),
        ({"num_warmup_steps": 10, "timescale": 3}, 1.0),
    ],
    "cosine_with_min_lr": [
        ({"num_warmup_steps": 10, "num_training_steps": 200, "min_lr_rate": 0.1}, 0.1),  # past the run
        ({"num_warmup_steps": 0, "num_training_steps": 300, "num_cycles": 1.0, "min_lr": 1e-3}, 0.01),
        ({"num_warmup_steps": 40, "num_training_steps": 150, "min_lr_rate": 0.0}, 1.0),
    ],
    "cosine_warmup_with_min_lr": [
        ({"num_warmup_steps": 10, "num_training_steps": 200, "min_lr_rate": 0.1}, 0.1),
        ({"num_warmup_steps": 20, "num_training_steps": 250, "min_lr": 1e-4, "warmup_lr_rate": 0.2}, 1e-3),
        ({"num_warmup_steps": 0, "num_training_steps": 300, "min_lr_rate": 0.05, "num_cycles": 1.5}, 0.1),
        ({"num_warmup_steps": 1, "num_training_steps": 100, "min_lr_rate": 0.5, "warmup_lr_rate": 0.5}, 1.0),
    ],
    "warmup_stable_decay": [
        ({"num_warmup_steps": 20, "num_training_steps": 200, "num_decay_steps": 50}, 0.1),
        ({"num_warmup_steps": 30, "num_stable_steps": 100, "num_decay_steps": 100, "warmup_type": "cosine",
          "decay_type": "1-sqrt", "min_lr_ratio": 0.1}, 1e-3),
        ({"num_warmup_steps": 0, "num_stable_steps": 50, "num_decay_steps": 200, "warmup_type": "1-sqrt",
          "decay_type": "linear", "min_lr_ratio": 0.05}, 0.1),
        ({"num_warmup_steps": 25, "num_training_steps": 125, "num_stable_steps": 0, "num_decay_steps": 100,
          "warmup_type": "1-sqrt", "decay_type": "cosine", "num_cycles": 1.0}, 1.0),
    ],
    "CosineWarmup": [
        ({"num_warmup_steps": 0, "num_training_steps": 300}, 0.002),
        ({"num_warmup_steps": 30, "num_training_steps": 200}, 0.1),  # past the run
        ({"num_warmup_steps": 300, "num_training_steps": 300, "num_cycles": 0.25}, 1.0),  # warm-up only
    ],
    "CosineWarmupRestarts": [
        ({"num_warmup_steps": 0, "num_training_steps": 300, "num_cycles": 2}, 0.002),
        ({"num_warmup_steps": 30, "num_training_steps": 250, "num_cycles": 5}, 0.1),  # past the run
        ({"num_warmup_steps": 100, "num_training_steps": 100}, 1.0),  # warm-up only
    ],
    "MultiCosineAnnealingWarmupLR": [
        ({"final_epoch": 300, "T_0": [50, 120, 200], "lr_mult": [0.8, 0.5, 0.3], "warmup_begin": 10,
          "warmup_factor": 0.001, "eta_min": 1e-4}, 0.1),
        ({"final_epoch": 250}, 1e-3),  # one section, no warm-up, past final_epoch
        ({"final_epoch": 200, "T_0": [30, 32, 100], "lr_mult": [1.0, 0.5, 2.0], "eta_min": 0.0}, 0.1),
        ({"final_epoch": 100, "T_0": [40], "lr_mult": [0.9], "warmup_begin": 20, "warmup_factor": 0.1,
          "eta_min": 0.01}, 1.0),  # past final_epoch
    ],
    "CosineLRScheduler": [
        ({"t_initial": 300}, 0.1),
        ({"t_initial": 100, "cycle_limit": 3, "cycle_decay": 0.5, "warmup_t": 10, "warmup_lr_init": 1e-4}, 0.1),
        ({"t_initial": 10, "cycle_mul": 2.0, "cycle_limit": 4, "lr_min": 1e-3}, 0.1),  # limit reached at 150
        ({"t_initial": 40, "cycle_mul": 1.5, "cycle_limit": 10, "warmup_t": 20, "warmup_lr_init": 1e-5,
          "warmup_prefix": True, "k_decay": 2.0, "cycle_decay": 0.8}, 1e-3),
        ({"t_initial": 50, "k_decay": 0.5, "cycle_limit": 2, "lr_min": 1e-5}, 1.0),  # limit reached at 100
    ],
    "warmup": [
        ({"schedule": {"TYPE": "cosine", "PARAM": {"num_training_steps": 250}}, "warmup_steps": 50}, 0.1),
        ({"schedule": {"TYPE": "CosineLRScheduler", "PARAM": {"t_initial": 100, "cycle_limit": 5}},
          "warmup_steps": 30, "warmup_type": "exponential", "warmup_start_factor": 0.01, "shift": False}, 1e-3),
        ({"schedule": {"TYPE": "polynomial", "PARAM": {"num_training_steps": 200, "lr_end": 0.01, "power": 2.0}},
          "warmup_steps": 40, "warmup_type": "cosine", "warmup_start_factor": 0.1}, 0.1),
        ({"schedule": {"TYPE": "constant"}, "warmup_steps": 20, "warmup_type": "constant",
          "warmup_start_factor": 0.25}, 1.0),
        ({"schedule": {"TYPE": "inverse_sqrt", "PARAM": {"num_warmup_steps": 10}}, "warmup_steps": 0}, 0.1),
    ],
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for type_, cases in CASES.items():
        rows = [case(type_, params, base_lr) for params, base_lr in cases]
        with open(os.path.join(OUT, type_ + ".json"), "w") as f:
            json.dump(rows, f, indent=1)
            f.write("\n")
        print(f"{type_}: {len(rows)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
