#!/usr/bin/env python3
"""Reference values of the Parzen estimator, the weights, gamma and the good/bad split of Optuna's
TPESampler, from the real Optuna.

Optuna cannot be installed here, so it is imported from a source checkout (its pure-Python code
needs only numpy, plus colorlog and tqdm at import time, which this script stubs when they are
missing: neither is used by the code measured). Run from the repository root:

    git clone https://github.com/optuna/optuna /tmp/optuna   # commit 1d8ce7bb6 was used
    python3 toolkit/src/test/references/generate_tpe_references.py /tmp/optuna   # a Python with numpy

It writes toolkit/src/test/resources/reference/tpe/parzen.json: a list of cases, each a dimension
("float", "int" or "categorical", with low, high, log, or the number of choices), the observed
values (a categorical value as its index), the estimator settings (prior_weight,
consider_endpoints, consider_magic_clip), the mixture Optuna builds (weights, and mus and sigmas
for a numeric dimension, in its transformed space) and its log_pdf at a few points; and
tpe/split.json: trials (value or pruned with its last step and value), n_below, and the trial
numbers Optuna puts below and above; and gamma and weights for n = 0..60.
"""

import json
import math
import os
import sys
import tempfile
import types


def _stub(name, body):
    if name in sys.modules:
        return
    try:
        __import__(name)
    except ImportError:
        d = tempfile.mkdtemp()
        os.makedirs(os.path.join(d, name))
        for f in ("__init__.py", "auto.py"):
            with open(os.path.join(d, name, f), "w") as out:
                out.write(body)
        sys.path.insert(0, d)


_stub("colorlog", "import logging\nclass ColoredFormatter(logging.Formatter):\n"
      "    def __init__(self, *a, **k):\n        super().__init__(a[0] if a else None)\n"
      "TTYColoredFormatter = ColoredFormatter\n")
_stub("tqdm", "class tqdm:\n    def __init__(self, *a, **k):\n        pass\n")
sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else "/tmp/optuna")

import numpy as np  # noqa: E402
import optuna  # noqa: E402
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution  # noqa: E402
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters  # noqa: E402
from optuna.samplers._tpe.sampler import _split_trials, default_gamma, default_weights  # noqa: E402
from optuna.trial import TrialState, create_trial  # noqa: E402

OUT = os.path.join("toolkit", "src", "test", "resources", "reference", "tpe")

DIMENSIONS = [
    {"type": "float", "low": 0.1, "high": 2.0, "log": False},
    {"type": "float", "low": 1e-4, "high": 1e-1, "log": True},
    {"type": "int", "low": 1, "high": 10, "log": False},
    {"type": "int", "low": 1, "high": 256, "log": True},
    {"type": "categorical", "choices": 4},
]

SETTINGS = [
    {"prior_weight": 1.0, "consider_endpoints": False, "consider_magic_clip": True},
    {"prior_weight": 0.5, "consider_endpoints": True, "consider_magic_clip": False},
]


def distribution(d):
    if d["type"] == "float":
        return FloatDistribution(d["low"], d["high"], log=d["log"])
    if d["type"] == "int":
        return IntDistribution(d["low"], d["high"], log=d["log"])
    return CategoricalDistribution(list(range(d["choices"])))


def observations(d, n, rng):
    if d["type"] == "categorical":
        return [int(v) for v in rng.randint(0, d["choices"], size=n)]
    if d["type"] == "int":
        if d["log"]:
            return [int(round(math.exp(v))) for v in rng.uniform(math.log(d["low"]), math.log(d["high"]), size=n)]
        return [int(v) for v in rng.randint(d["low"], d["high"] + 1, size=n)]
    if d["log"]:
        return [float(math.exp(v)) for v in rng.uniform(math.log(d["low"]), math.log(d["high"]), size=n)]
    return [float(v) for v in rng.uniform(d["low"], d["high"], size=n)]


def points(d):
    if d["type"] == "categorical":
        return list(range(d["choices"]))
    if d["type"] == "int":
        return sorted({d["low"], d["high"], (d["low"] + d["high"]) // 2, d["low"] + 1, d["high"] - 1})
    lo, hi = d["low"], d["high"]
    if d["log"]:
        return [float(math.exp(math.log(lo) + f * (math.log(hi) - math.log(lo)))) for f in (0, 0.1, 0.37, 0.5, 0.8, 0.999)]
    return [lo + f * (hi - lo) for f in (0, 0.1, 0.37, 0.5, 0.8, 0.999)]


def parzen_cases():
    rng = np.random.RandomState(7)
    cases = []
    for d in DIMENSIONS:
        for n in (0, 1, 2, 5, 30):
            obs = observations(d, n, rng)
            for s in SETTINGS:
                params = _ParzenEstimatorParameters(
                    prior_weight=s["prior_weight"],
                    consider_magic_clip=s["consider_magic_clip"],
                    consider_endpoints=s["consider_endpoints"],
                    weights=default_weights,
                    multivariate=False,
                )
                pe = _ParzenEstimator({"x": np.asarray(obs, dtype=float)}, {"x": distribution(d)}, params)
                mix = pe._mixture_distribution
                dist = mix.distributions[0]
                pts = points(d)
                case = {
                    "dimension": d,
                    "observed": obs,
                    "settings": s,
                    "weights": mix.weights.tolist(),
                    "points": pts,
                    "log_pdf": pe.log_pdf({"x": np.asarray(pts, dtype=float)}).tolist(),
                }
                if d["type"] == "categorical":
                    case["probabilities"] = dist.weights.tolist()
                else:
                    case["mus"] = dist.mu.tolist()
                    case["sigmas"] = dist.sigma.tolist()
                cases.append(case)
    return cases


def split_cases():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rng = np.random.RandomState(11)
    cases = []
    dist = {"x": FloatDistribution(0, 1)}
    for direction in ("minimize", "maximize"):
        for n in (3, 12, 40):
            study = optuna.create_study(direction=direction)
            trials = []
            for i in range(n):
                x = float(rng.uniform())
                if rng.uniform() < 0.35:
                    step = int(rng.choice([10, 30, 90]))
                    value = float(rng.uniform())
                    study.add_trial(create_trial(params={"x": x}, distributions=dist,
                                                 state=TrialState.PRUNED, intermediate_values={step: value}))
                    trials.append({"status": "PRUNED", "iteration": step, "value": value})
                else:
                    value = float(rng.uniform())
                    study.add_trial(create_trial(params={"x": x}, distributions=dist, value=value))
                    trials.append({"status": "COMPLETED", "iteration": 90, "value": value})
            n_below = default_gamma(n)
            below, above = _split_trials(study, study.get_trials(deepcopy=False), n_below)
            cases.append({
                "maximize": direction == "maximize",
                "trials": trials,
                "n_below": n_below,
                "below": [t.number for t in below],
                "above": [t.number for t in above],
            })
    return {
        "cases": cases,
        "gamma": [default_gamma(n) for n in range(61)],
        "weights": [default_weights(n).tolist() for n in range(61)],
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "parzen.json"), "w") as f:
        json.dump({"optuna": optuna.__version__, "cases": parzen_cases()}, f, indent=1)
    with open(os.path.join(OUT, "split.json"), "w") as f:
        json.dump(split_cases(), f, indent=1)


if __name__ == "__main__":
    main()
