r"""Chapter 7, a bias shared by a whole layer: the checker for its gradient."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..gradcheck import numerical_gradient
from ..output_layer import output_delta
from .runner import Case, Verdict, run, running, seeded


def check_shared_bias_gradient(
    fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print
) -> Verdict:
    r"""Check ``fn(delta)`` against the gradient of one bias $\beta$ shared by every unit of a layer.

    With $a_j = \sum_i h_i W_{ij} + \beta$ for every unit $j$, the bias reaches the
    loss through every unit and every sample $s$:
    $\partial L / \partial \beta = \sum_s \sum_j \delta_{sj}$, a single number
    (a float or a 0-d array). ``delta`` has shape ``(n_l,)`` for one sample or
    ``(N, n_l)`` for a batch. Compared with that sum and with central differences of
    $\sum \boldsymbol{\Delta} \odot (\beta\,\mathbf{1}\mathbf{1}^\top)$ in $\beta$.
    """
    rng = seeded(seed)
    ex, _, _, _, y = running()
    items = [("the running example's output layer", output_delta(y, ex.t)),
             ("one sample, 4 units", rng.normal(size=4)),
             ("a batch of 5 samples, 3 units", rng.normal(size=(5, 3))),
             ("edge: one unit, a batch of 2", rng.normal(size=(2, 1)))]
    cases = []
    for label, delta in items:
        numeric = numerical_gradient(lambda beta, d=delta: float(np.sum(d * beta[0])), np.zeros(1))[0]
        cases.append(Case(label, (delta,), ("delta",), np.sum(delta), numeric))
    hints = [(lambda d: np.atleast_2d(d).sum(axis=0),
              "that is one gradient per unit (Equation (7.1)); the shared bias feeds every "
              "unit, so sum over the units too"),
             (lambda d: np.atleast_2d(d).sum(axis=1) if np.ndim(d) == 2 else None,
              "that is one number per sample; the losses of the samples add up, so sum over them too"),
             (lambda d: np.mean(d), "this is a mean; the chain rule adds every path from beta to L")]
    return run("check_shared_bias_gradient", fn, cases, reference="sum of all deltas", hints=hints, out=out)
