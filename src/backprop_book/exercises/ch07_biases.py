r"""Chapter 7, biases: the checker for the bias gradient."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..bias import bias_gradient
from ..gradcheck import numerical_gradient
from ..output_layer import output_delta
from .runner import Case, Verdict, run, running, seeded


def check_bias_gradient(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(delta)`` against $\partial L / \partial b_j = \delta_j$, summed over a batch, Equation (7.1).

    Compared with the book's ``bias_gradient`` and with central differences of
    $\sum \boldsymbol{\Delta} \odot (\mathbf{1}\mathbf{b}^\top)$ with respect to $\mathbf{b}$.
    """
    rng = seeded(seed)
    ex, _, _, _, y = running()
    items = [("the running example", output_delta(y, ex.t)), ("one sample", rng.normal(size=3)),
             ("a batch of 5 samples", rng.normal(size=(5, 3))), ("edge: a batch of 1 sample", rng.normal(size=(1, 2)))]
    cases = []
    for label, delta in items:
        numeric = numerical_gradient(lambda b, d=delta: np.sum(d * b), np.zeros(delta.shape[-1]))
        cases.append(Case(label, (delta,), ("delta",), bias_gradient(delta), numeric))
    hints = [(lambda d: d.mean(axis=0) if d.ndim == 2 else None,
              "this is the mean over the batch; the book's loss is a sum, so its gradient sums over samples")]
    return run("check_bias_gradient", fn, cases, reference="bias_gradient", hints=hints, out=out,
               new_arrays=True)  # the book promises a new array, never delta itself (7.1)
