r"""Chapter 11, a new activation: the checker for the hidden delta of a leaky ReLU layer."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..gradcheck import numerical_gradient
from .runner import Case, Verdict, run, running, seeded


def _leaky_relu(a, alpha):
    return np.where(a > 0, a, alpha * a)


def _delta(delta_next, w_next, h, alpha):
    # delta_j = (sum_k delta_k W_jk) * (1 if h_j > 0 else alpha)
    return (delta_next @ w_next.T) * np.where(h > 0, 1.0, alpha)


def _numeric(delta_next, w_next, a, alpha):
    """dL/da by central differences of L = sum(delta_next * (leaky_relu(a) W)), a linear stand-in."""
    return numerical_gradient(
        lambda v: float(np.sum(delta_next * (_leaky_relu(v, alpha) @ w_next))), a, eps=1e-7
    )


def check_leaky_relu_hidden_delta(
    fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print
) -> Verdict:
    r"""Check ``fn(delta_next, w_next, h, alpha)``: the hidden delta of a leaky ReLU layer.

    The leaky ReLU is $h = a$ for $a > 0$ and $h = \alpha a$ otherwise
    ($0 < \alpha < 1$), so its slope, read from the output, is 1 where $h > 0$ and
    $\alpha$ elsewhere, and
    $\boldsymbol{\Delta}^{(l)} = (\boldsymbol{\Delta}^{(l+1)}\mathbf{W}^{(l+1)\top}) \odot f'(\mathbf{H}^{(l)})$.
    Compared with that formula and with central differences in the pre-activations
    (none of which is within reach of the corner at 0).
    """
    rng = seeded(seed)
    ex, a1, _, _, _ = running()
    items = [("the running example's hidden layer, alpha = 0.1", rng.normal(size=2), ex.weights[1], a1, 0.1),
             ("one sample, alpha = 0.01", rng.normal(size=3), rng.normal(size=(4, 3)),
              rng.choice([-1.0, 1.0], 4) * rng.uniform(0.5, 2, 4), 0.01),
             ("a batch of 5 samples, alpha = 0.2", rng.normal(size=(5, 2)), rng.normal(size=(3, 2)),
              rng.choice([-1.0, 1.0], (5, 3)) * rng.uniform(0.5, 2, (5, 3)), 0.2)]
    cases = []
    for label, delta_next, w_next, a, alpha in items:
        h = _leaky_relu(a, alpha)
        cases.append(Case(label, (delta_next, w_next, h, alpha), ("delta_next", "w_next", "h", "alpha"),
                          _delta(delta_next, w_next, h, alpha), _numeric(delta_next, w_next, a, alpha)))
    hints = [(lambda d, w, h, alpha: (d @ w.T) * (h > 0),
              "that is the plain ReLU's slope; a leaky unit below zero still has slope alpha"),
             (lambda d, w, h, alpha: d @ w.T, "the delta also needs the unit's slope, 1 or alpha"),
             (lambda d, w, h, alpha: (d @ w.T) * np.where(h > 0, alpha, 1.0),
              "the slopes are swapped: 1 above zero, alpha below")]
    return run("check_leaky_relu_hidden_delta", fn, cases, reference="the leaky ReLU delta",
               hints=hints, out=out)
