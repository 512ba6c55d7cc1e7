#!/usr/bin/python3
"""Generates the optimizer reference tables under toolkit/src/test/resources/reference/optimizers/.

Run with the Debian PyTorch (1.13, CPU):

    /usr/bin/python3 toolkit/src/test/references/generate_optimizer_references.py

The problem: a linear model y = x W^T + b (W 4x3, b 4) with mean-squared-error loss on 16 fixed
samples; data and initial weights come from closed formulas (no random numbers), are written into
every table, and the Java tests read them from there. Each case runs 20 optimizer steps and records
W and b after every step, in float32 and in float64 (float64 with torch's default dtype set to
float64, so scalar state such as NAdam's mu_product is float64 too).

Where the reference is not torch 1.13's own class, it is a faithful transcription, noted here:
  * NAdam: current PyTorch (2.x) formula, mu_product_next = mu_product * mu_next; torch 1.13
    multiplies mu in twice (mu_product * mu * mu_next), a bug fixed upstream. Also current
    PyTorch's decoupled_weight_decay option.
  * RAdam: torch 1.13's class (same formula as 2.x); decoupled_weight_decay (2.x) is transcribed
    as param *= 1 - lr * wd before the 1.13 step with weight_decay 0, which is what 2.x does.
  * Lamb: timm's lamb.py as EasyTorch/BasicTS ship it (global gradient-norm pre-clipping with
    max_grad_norm, bias_correction, grad_averaging, trust_clip, always_adapt); max_grad_norm 0
    disables the pre-clipping.
  * Lion: the published algorithm (Chen et al. 2023; lucidrains' lion-pytorch and timm):
    decoupled decay, sign of the beta1 interpolation, then beta2 momentum update.
  * maximize for optimizers whose 1.13 class lacks the flag (NAdam, RAdam, Lamb, Lion): gradients
    are negated before the step, which is what 2.x's maximize does first.
"""
import fnmatch
import json
import math
import os
import re

import torch

STEPS = 20
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "reference",
                   "optimizers")


def problem():
    x = [[math.sin(0.37 * (i + 1) + 0.71 * (j + 1)) for j in range(3)] for i in range(16)]
    y = [[math.cos(0.23 * (i + 1) * (k + 1)) + 0.1 * k for k in range(4)] for i in range(16)]
    w = [[0.3 * math.sin(1.1 * k + 0.6 * j + 0.5) for j in range(3)] for k in range(4)]
    b = [0.05 * (k - 1.5) for k in range(4)]
    return x, y, w, b


class Lamb(torch.optim.Optimizer):
    """timm's Lamb (2021 revision, the one EasyTorch borrows), transcribed."""

    def __init__(self, params, lr=1e-3, bias_correction=True, betas=(0.9, 0.999), eps=1e-6,
                 weight_decay=0.01, grad_averaging=True, max_grad_norm=1.0, trust_clip=False,
                 always_adapt=False):
        defaults = dict(lr=lr, bias_correction=bias_correction, betas=betas, eps=eps,
                        weight_decay=weight_decay, grad_averaging=grad_averaging,
                        max_grad_norm=max_grad_norm, trust_clip=trust_clip,
                        always_adapt=always_adapt)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self):
        device = self.param_groups[0]['params'][0].device
        one_tensor = torch.tensor(1.0, device=device)
        global_grad_norm = torch.zeros(1, device=device)
        for group in self.param_groups:
            for p in group['params']:
                if p.grad is not None:
                    global_grad_norm.add_(p.grad.pow(2).sum())
        global_grad_norm = torch.sqrt(global_grad_norm)
        max_norm_value = self.defaults['max_grad_norm']
        if max_norm_value:
            max_grad_norm = torch.tensor(max_norm_value, device=device)
            clip_global_grad_norm = torch.where(global_grad_norm > max_grad_norm,
                                                global_grad_norm / max_grad_norm, one_tensor)
        else:
            clip_global_grad_norm = one_tensor
        for group in self.param_groups:
            bias_correction = 1 if group['bias_correction'] else 0
            beta1, beta2 = group['betas']
            grad_averaging = 1 if group['grad_averaging'] else 0
            beta3 = 1 - beta1 if grad_averaging else 1.0
            group['step'] = group.get('step', 0) + 1
            if bias_correction:
                bias_correction1 = 1 - beta1 ** group['step']
                bias_correction2 = 1 - beta2 ** group['step']
            else:
                bias_correction1, bias_correction2 = 1.0, 1.0
            for p in group['params']:
                if p.grad is None:
                    continue
                grad = p.grad.div_(clip_global_grad_norm)
                state = self.state[p]
                if len(state) == 0:
                    state['exp_avg'] = torch.zeros_like(p)
                    state['exp_avg_sq'] = torch.zeros_like(p)
                exp_avg, exp_avg_sq = state['exp_avg'], state['exp_avg_sq']
                exp_avg.mul_(beta1).add_(grad, alpha=beta3)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                denom = (exp_avg_sq.sqrt() / math.sqrt(bias_correction2)).add_(group['eps'])
                update = (exp_avg / bias_correction1).div_(denom)
                weight_decay = group['weight_decay']
                if weight_decay != 0:
                    update.add_(p, alpha=weight_decay)
                if weight_decay != 0 or group['always_adapt']:
                    w_norm = p.norm(2.0)
                    g_norm = update.norm(2.0)
                    trust_ratio = torch.where(
                        w_norm > 0, torch.where(g_norm > 0, w_norm / g_norm, one_tensor),
                        one_tensor)
                    if group['trust_clip']:
                        trust_ratio = torch.minimum(trust_ratio, one_tensor)
                    update.mul_(trust_ratio)
                p.add_(update, alpha=-group['lr'])


class Lion(torch.optim.Optimizer):
    """Lion (Chen et al. 2023), as lion-pytorch / timm implement it."""

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            beta1, beta2 = group['betas']
            for p in group['params']:
                if p.grad is None:
                    continue
                grad = p.grad
                state = self.state[p]
                if len(state) == 0:
                    state['exp_avg'] = torch.zeros_like(p)
                exp_avg = state['exp_avg']
                p.mul_(1 - group['lr'] * group['weight_decay'])
                update = exp_avg.mul(beta1).add_(grad, alpha=1 - beta1).sign_()
                p.add_(update, alpha=-group['lr'])
                exp_avg.mul_(beta2).add_(grad, alpha=1 - beta2)


class NAdam(torch.optim.Optimizer):
    """Current PyTorch NAdam (single-tensor path), transcribed; see the module docstring."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay,
                                      decoupled_weight_decay=decoupled_weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            beta1, beta2 = group['betas']
            lr, eps, wd = group['lr'], group['eps'], group['weight_decay']
            for p in group['params']:
                if p.grad is None:
                    continue
                grad = p.grad
                state = self.state[p]
                if len(state) == 0:
                    state['step'] = torch.tensor(0.)
                    state['mu_product'] = torch.tensor(1.)
                    state['exp_avg'] = torch.zeros_like(p)
                    state['exp_avg_sq'] = torch.zeros_like(p)
                state['step'] += 1
                step = state['step'].item()
                bias_correction2 = 1 - beta2 ** step
                if wd != 0:
                    if group['decoupled_weight_decay']:
                        p.mul_(1 - lr * wd)
                    else:
                        grad = grad.add(p, alpha=wd)
                mu = beta1 * (1. - 0.5 * (0.96 ** (step * group['momentum_decay'])))
                mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * group['momentum_decay'])))
                state['mu_product'] *= mu
                exp_avg, exp_avg_sq = state['exp_avg'], state['exp_avg_sq']
                exp_avg.lerp_(grad, 1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                denom = exp_avg_sq.div(bias_correction2).sqrt()
                mu_product = state['mu_product'].item()
                mu_product_next = mu_product * mu_next
                denom.add_(eps)
                p.addcdiv_(grad, denom, value=(-lr * (1. - mu) / (1. - mu_product)))
                p.addcdiv_(exp_avg, denom, value=(-lr * mu_next) / (1. - mu_product_next))


class DecoupledRAdam(torch.optim.RAdam):
    """torch 1.13 RAdam plus 2.x's decoupled_weight_decay (decay the weight, then step)."""

    def __init__(self, params, weight_decay=0, decoupled_weight_decay=False, **kw):
        self.decoupled = decoupled_weight_decay
        self.decay = weight_decay
        super().__init__(params, weight_decay=0 if decoupled_weight_decay else weight_decay, **kw)

    @torch.no_grad()
    def step(self):
        if self.decoupled:
            for group in self.param_groups:
                wd = group.get('decay', self.decay)
                for p in group['params']:
                    p.mul_(1 - group['lr'] * wd)
        super().step()


TORCH = {
    'SGD': torch.optim.SGD, 'Adam': torch.optim.Adam, 'AdamW': torch.optim.AdamW,
    'Adagrad': torch.optim.Adagrad, 'Adadelta': torch.optim.Adadelta,
    'RMSprop': torch.optim.RMSprop, 'NAdam': NAdam, 'RAdam': DecoupledRAdam,
    'Adamax': torch.optim.Adamax, 'Lamb': Lamb, 'Lion': Lion,
}
HAS_MAXIMIZE = {'SGD', 'Adam', 'AdamW', 'Adagrad', 'Adadelta', 'RMSprop', 'Adamax'}
NANOGPT = ('AdamW_Fused_nanoGPT', 'AdamWnanoGPT')

GROUPS_BIAS = [{'pattern': '*bias', 'lr_mult': 0.5, 'weight_decay': 0.0}]
GROUPS_NDIM = [{'max_ndim': 1, 'weight_decay': 0.0}]
GROUPS_REGEX = [{'regex': '^w', 'lr_mult': 2.0}]
CLIP_L2 = {'type': 'norm', 'max_norm': 0.3, 'norm_type': 2}
CLIP_INF = {'type': 'norm', 'max_norm': 0.05, 'norm_type': 'inf'}
CLIP_VALUE = {'type': 'value', 'clip_value': 0.02}
EXP = {'type': 'exponential', 'gamma': 0.85}
WARMUP = {'type': 'warmup', 'steps': 4}
CYCLE = {'type': 'cycled_momentum', 'start': 0.8, 'delta': 0.007}


def case(cid, params, clip=None, schedule=None):
    return {'id': cid, 'params': params, 'clip': clip, 'schedule': schedule}


CASES = {
    'SGD': [
        case('plain', {'lr': 0.1}),
        case('weight_decay', {'lr': 0.1, 'weight_decay': 0.05}),
        case('momentum', {'lr': 0.05, 'momentum': 0.9}),
        case('dampening', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.3}),
        case('nesterov', {'lr': 0.05, 'momentum': 0.9, 'nesterov': True, 'weight_decay': 0.01}),
        case('momentum_decay', {'lr': 0.05, 'momentum': 0.8, 'weight_decay': 0.02}),
        case('maximize', {'lr': 0.01, 'momentum': 0.5, 'maximize': True}),
        case('momentum_exponential', {'lr': 0.05, 'momentum': 0.9}, schedule=EXP),
        case('momentum_warmup_from_zero', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.1},
             schedule=WARMUP),
        case('momentum_cycled', {'lr': 0.05, 'momentum': 0.9}, schedule=CYCLE),
        case('nesterov_cycled', {'lr': 0.05, 'momentum': 0.9, 'nesterov': True}, schedule=CYCLE),
        case('groups', {'lr': 0.05, 'momentum': 0.9, 'weight_decay': 0.01,
                        'param_groups': GROUPS_BIAS}),
        case('groups_regex', {'lr': 0.05, 'param_groups': GROUPS_REGEX}),
        case('clip_l2', {'lr': 0.1, 'momentum': 0.9}, clip=CLIP_L2),
        case('clip_inf', {'lr': 0.1, 'momentum': 0.9}, clip=CLIP_INF),
        case('clip_value', {'lr': 0.1}, clip=CLIP_VALUE),
    ],
    'Adam': [
        case('default', {'lr': 0.05}),
        case('amsgrad', {'lr': 0.05, 'amsgrad': True}),
        case('weight_decay', {'lr': 0.05, 'weight_decay': 0.1}),
        case('amsgrad_weight_decay', {'lr': 0.05, 'amsgrad': True, 'weight_decay': 0.1}),
        case('betas_eps', {'lr': 0.05, 'betas': [0.8, 0.99], 'eps': 1e-3}),
        case('maximize', {'lr': 0.01, 'maximize': True}),
        case('exponential', {'lr': 0.05}, schedule=EXP),
        case('beta1_cycled', {'lr': 0.05}, schedule=CYCLE),
        case('groups', {'lr': 0.05, 'weight_decay': 0.1, 'param_groups': GROUPS_BIAS}),
        case('clip_l2', {'lr': 0.05}, clip=CLIP_L2),
        case('clip_inf', {'lr': 0.05}, clip=CLIP_INF),
    ],
    'AdamW': [
        case('default', {'lr': 0.05}),
        case('weight_decay', {'lr': 0.05, 'weight_decay': 0.3}),
        case('amsgrad', {'lr': 0.05, 'amsgrad': True, 'weight_decay': 0.1}),
        case('groups_ndim', {'lr': 0.05, 'weight_decay': 0.3, 'param_groups': GROUPS_NDIM}),
        case('exponential', {'lr': 0.05, 'weight_decay': 0.1}, schedule=EXP),
        case('beta1_cycled', {'lr': 0.05}, schedule=CYCLE),
        case('maximize', {'lr': 0.01, 'maximize': True}),
        case('clip_inf', {'lr': 0.05}, clip=CLIP_INF),
    ],
    'AdamW_Fused_nanoGPT': [
        case('default', {'lr': 0.05, 'weight_decay': 0.3}),
        case('betas', {'lr': 0.02, 'weight_decay': 0.5, 'betas': [0.9, 0.95]}),
        case('clip_l2', {'lr': 0.05, 'weight_decay': 0.3}, clip=CLIP_L2),
    ],
    'Adagrad': [
        case('default', {'lr': 0.1}),
        case('lr_decay', {'lr': 0.1, 'lr_decay': 0.05}),
        case('initial_accumulator', {'lr': 0.1, 'initial_accumulator_value': 0.1}),
        case('weight_decay_eps', {'lr': 0.1, 'weight_decay': 0.05, 'eps': 1e-3}),
        case('maximize', {'lr': 0.01, 'maximize': True}),
        case('clip_l2', {'lr': 0.1}, clip=CLIP_L2),
    ],
    'Adadelta': [
        case('default', {}),
        case('rho', {'lr': 0.5, 'rho': 0.5}),
        case('weight_decay_eps', {'weight_decay': 0.05, 'eps': 1e-4}),
        case('maximize', {'lr': 0.5, 'maximize': True}),
    ],
    'RMSprop': [
        case('default', {'lr': 0.01}),
        case('alpha', {'lr': 0.01, 'alpha': 0.9}),
        case('centered', {'lr': 0.01, 'centered': True}),
        case('momentum', {'lr': 0.01, 'momentum': 0.9}),
        case('centered_momentum', {'lr': 0.01, 'centered': True, 'momentum': 0.5,
                                   'weight_decay': 0.05}),
        case('momentum_cycled', {'lr': 0.01, 'momentum': 0.9}, schedule=CYCLE),
        case('maximize', {'lr': 0.01, 'maximize': True}),
    ],
    'NAdam': [
        case('default', {'lr': 0.02}),
        case('weight_decay', {'lr': 0.02, 'weight_decay': 0.1}),
        case('momentum_decay', {'lr': 0.02, 'momentum_decay': 0.05, 'betas': [0.85, 0.99]}),
        case('decoupled', {'lr': 0.02, 'weight_decay': 0.3, 'decoupled_weight_decay': True}),
        case('maximize', {'lr': 0.01, 'maximize': True}),
    ],
    'RAdam': [
        case('default', {'lr': 0.05}),
        case('weight_decay', {'lr': 0.05, 'weight_decay': 0.1}),
        case('decoupled', {'lr': 0.05, 'weight_decay': 0.3, 'decoupled_weight_decay': True}),
        case('betas', {'lr': 0.05, 'betas': [0.8, 0.9]}),
        case('maximize', {'lr': 0.01, 'maximize': True}),
    ],
    'Adamax': [
        case('default', {'lr': 0.05}),
        case('weight_decay', {'lr': 0.05, 'weight_decay': 0.1}),
        case('betas_eps', {'lr': 0.05, 'betas': [0.8, 0.9], 'eps': 1e-3}),
        case('beta1_cycled', {'lr': 0.05}, schedule=CYCLE),
        case('maximize', {'lr': 0.01, 'maximize': True}),
    ],
    'Lamb': [
        case('default', {'lr': 0.05}),
        case('no_decay', {'lr': 0.05, 'weight_decay': 0.0}),
        case('always_adapt', {'lr': 0.05, 'weight_decay': 0.0, 'always_adapt': True}),
        case('trust_clip', {'lr': 0.05, 'weight_decay': 0.1, 'trust_clip': True}),
        case('no_bias_correction', {'lr': 0.05, 'bias_correction': False}),
        case('no_grad_averaging', {'lr': 0.02, 'grad_averaging': False}),
        case('max_grad_norm', {'lr': 0.05, 'max_grad_norm': 0.1}),
        case('no_max_grad_norm', {'lr': 0.05, 'max_grad_norm': 0.0}),
        case('groups', {'lr': 0.05, 'param_groups': GROUPS_NDIM}),
    ],
    'Lion': [
        case('default', {'lr': 0.01}),
        case('weight_decay', {'lr': 0.01, 'weight_decay': 0.5}),
        case('betas', {'lr': 0.01, 'betas': [0.95, 0.98]}),
        case('beta1_cycled', {'lr': 0.01}, schedule=CYCLE),
        case('maximize', {'lr': 0.005, 'maximize': True}),
    ],
}


def matching_group(groups, name, ndim):
    for g in groups or []:
        if ndim < g.get('min_ndim', 0) or ndim > g.get('max_ndim', 1 << 30):
            continue
        if 'pattern' in g and not fnmatch.fnmatchcase(name, g['pattern']):
            continue
        if 'regex' in g and not re.search(g['regex'], name):
            continue
        return g
    return None


def run_case(kind, c, dtype):
    torch.set_default_dtype(dtype)
    x0, y0, w0, b0 = problem()
    x = torch.tensor(x0, dtype=dtype)
    y = torch.tensor(y0, dtype=dtype)
    weight = torch.nn.Parameter(torch.tensor(w0, dtype=dtype))
    bias = torch.nn.Parameter(torch.tensor(b0, dtype=dtype))
    named = [('weight', weight), ('bias', bias)]
    params = dict(c['params'])
    torch_kind = 'AdamW' if kind in NANOGPT else kind
    groups_cfg = list(params.pop('param_groups', []))
    if kind in NANOGPT:
        groups_cfg = groups_cfg + [{'max_ndim': 1, 'weight_decay': 0.0}]
    maximize = params.pop('maximize', False)
    manual_negate = maximize and torch_kind not in HAS_MAXIMIZE
    if maximize and not manual_negate:
        params['maximize'] = True
    if 'betas' in params:
        params['betas'] = tuple(params['betas'])
    base_lr = params.get('lr', TORCH[torch_kind].__init__.__defaults__[0])
    torch_groups = []
    default_params = []
    for name, p in named:
        g = matching_group(groups_cfg, name, p.dim())
        if g is None:
            default_params.append(p)
        else:
            tg = {'params': [p], 'lr': base_lr * g.get('lr_mult', 1.0)}
            if 'weight_decay' in g:
                tg['weight_decay'] = g['weight_decay']
                if torch_kind == 'RAdam':
                    tg['decay'] = g['weight_decay']
            torch_groups.append(tg)
    if default_params:
        torch_groups.append({'params': default_params})
    opt = TORCH[torch_kind](torch_groups, **params)
    initial_lrs = [g['lr'] for g in opt.param_groups]
    sched = c['schedule']
    out = []
    for step in range(STEPS):
        if sched is not None:
            for g, lr0 in zip(opt.param_groups, initial_lrs):
                if sched['type'] == 'exponential':
                    g['lr'] = lr0 * sched['gamma'] ** step
                elif sched['type'] == 'warmup':
                    g['lr'] = lr0 * min(1.0, step / sched['steps'])
                elif sched['type'] == 'cycled_momentum':
                    m = sched['start'] + sched['delta'] * step
                    if 'momentum' in g:
                        g['momentum'] = m
                    else:
                        g['betas'] = (m, g['betas'][1])
        opt.zero_grad()
        loss = ((x @ weight.t() + bias - y) ** 2).mean()
        loss.backward()
        if manual_negate:
            for _, p in named:
                p.grad.neg_()
        clip = c['clip']
        if clip is not None:
            if clip['type'] == 'norm':
                norm_type = float('inf') if clip['norm_type'] == 'inf' else clip['norm_type']
                torch.nn.utils.clip_grad_norm_([weight, bias], clip['max_norm'], norm_type)
            else:
                torch.nn.utils.clip_grad_value_([weight, bias], clip['clip_value'])
        opt.step()
        out.append({'weight': [float(v) for v in weight.detach().reshape(-1).tolist()],
                    'bias': [float(v) for v in bias.detach().tolist()]})
    torch.set_default_dtype(torch.float32)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    x, y, w, b = problem()
    names = list(CASES.keys()) + ['AdamWnanoGPT']
    for name in names:
        cases = CASES['AdamW_Fused_nanoGPT'] if name == 'AdamWnanoGPT' else CASES[name]
        table = {
            'optimizer': name,
            'generator': 'toolkit/src/test/references/generate_optimizer_references.py',
            'torch': torch.__version__,
            'steps': STEPS,
            'problem': {'x': x, 'y': y, 'weight': w, 'bias': b},
            'cases': [],
        }
        for c in cases:
            for dtype, label in ((torch.float32, 'float32'), (torch.float64, 'float64')):
                entry = dict(c)
                entry['dtype'] = label
                entry['trajectory'] = run_case(name, c, dtype)
                table['cases'].append(entry)
        with open(os.path.join(OUT, name + '.json'), 'w') as f:
            json.dump(table, f, indent=1)
            f.write('\n')
        print(name, len(table['cases']), 'cases')


if __name__ == '__main__':
    main()
