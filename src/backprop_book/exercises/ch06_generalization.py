r"""Chapter 6, any depth: the checker for the whole of backprop."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..general import backprop
from ..gradcheck import numerical_backprop
from ..network import running_example
from .runner import Case, Verdict, random_network, run, seeded


def check_backprop(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(weights, biases, x, t)``, returning ``(weight_grads, bias_grads)``, Equation (6.3).

    Sigmoid layers and the L2 loss, as in Chapters 2 to 7. Compared with the
    book's ``backprop`` and with central differences of the loss with respect to
    every weight and bias, on the running example, a one-layer network, and
    deeper networks on batches.
    """
    rng = seeded(seed)
    ex = running_example()
    items = [("the running example", ex.weights, ex.biases, ex.x, ex.t)]
    for label, sizes, n in [("one layer, one sample", [3, 2], None),
                            ("two layers, a batch of 4", [2, 3, 2], 4),
                            ("three layers, a batch of 3", [3, 4, 3, 2], 3)]:
        w, b = random_network(rng, sizes)
        shape = (sizes[0],) if n is None else (n, sizes[0])
        x = rng.normal(size=shape)
        t = rng.uniform(size=(*shape[:-1], sizes[-1]))
        items.append((label, w, b, x, t))
    cases = []
    for label, w, b, x, t in items:
        cases.append(Case(label, (w, b, x, t), ("weights", "biases", "x", "t"),
                           backprop(w, b, x, t), numerical_backprop(w, b, x, t)))
    hints = [
        (lambda w, b, x, t: backprop(w, b, x, t)[0], "return both lists: (weight_grads, bias_grads)"),
        (lambda w, b, x, t: _biases_as(w, b, x, t, lambda d: d / len(x)) if x.ndim == 2 else None,
         "the weight gradients are right but each bias gradient is the batch's mean; the loss is a "
         "sum over samples, so sum the deltas over the batch (7.1)"),
        (lambda w, b, x, t: _per_sample_biases(w, b, x, t) if x.ndim == 2 else None,
         "the weight gradients are right but the bias gradients keep one row per sample; sum the "
         "deltas over the batch (axis 0), giving one number per unit (7.1)"),
    ]
    return run("check_backprop", fn, cases, reference="backprop", hints=hints, out=out)


def _biases_as(w, b, x, t, change):
    weight_grads, bias_grads = backprop(w, b, x, t)
    return weight_grads, [change(g) for g in bias_grads]


def _per_sample_biases(w, b, x, t):
    # what a reader gets from the deltas without summing over the batch: dL/db per sample
    weight_grads, _ = backprop(w, b, x, t)
    per_sample = [backprop(w, b, x[s], t[s])[1] for s in range(len(x))]
    return weight_grads, [np.stack([g[l] for g in per_sample]) for l in range(len(b))]
