r"""Chapter 16, many machines: the checker for combining workers' gradients."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..general import backprop
from .runner import Case, Verdict, random_network, run, seeded


def _flat(grads: tuple) -> np.ndarray:
    return np.concatenate([g.ravel() for g in grads[0] + grads[1]])


def check_combine_gradients(
    fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print
) -> Verdict:
    r"""Check ``fn(means, sizes)``: the full batch's mean gradient from each worker's mean gradient.

    Worker $r$ holds $N_r$ rows and reports the mean of its samples' gradients
    (one flattened vector, from ``backprop`` on its rows divided by $N_r$). The
    answer must be the full batch's mean gradient, ``backprop`` on every row
    divided by the batch size $N = \sum_r N_r$: the sum (6.2) split by rows.
    """
    rng = seeded(seed)
    weights, biases = random_network(rng, [3, 4, 2])
    x, t = rng.normal(size=(12, 3)), rng.uniform(size=(12, 2))
    cases = []
    for label, sizes in [("two equal workers", [6, 6]), ("three unequal workers", [2, 7, 3]),
                         ("edge: one worker", [12]), ("a worker with one row", [11, 1])]:
        bounds = np.cumsum([0, *sizes])
        means = [_flat(backprop(weights, biases, x[a:b], t[a:b])) / (b - a) for a, b in zip(bounds, bounds[1:])]
        expected = _flat(backprop(weights, biases, x, t)) / len(x)
        cases.append(Case(label, (means, sizes), ("means", "sizes"), expected,
                          shown={"means": f"{len(means)} vectors of {len(expected)} numbers"}))
    hints = [
        (lambda means, sizes: np.mean(means, axis=0), "the plain average of the means is right only "
         "when every worker holds as many rows; weight each mean by its worker's rows"),
        (lambda means, sizes: sum(n * m for n, m in zip(sizes, means)), "this is the summed gradient "
         "(6.2); the mean divides it by all the rows"),
    ]
    return run("check_combine_gradients", fn, cases, reference="backprop on every row", hints=hints, out=out)
