r"""Chapter 2, the network: checkers for the forward pass."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..network import forward, pre_activation, running_example
from .runner import Case, Verdict, random_network, run, seeded


def check_pre_activation(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(x, w, b)`` against $\mathbf{a} = \mathbf{x}\mathbf{W} + \mathbf{b}$, Equation (2.1).

    Cases: the running example, one random sample, a batch (one row per sample)
    and a layer with zero weights. Prints and returns a :class:`Verdict`.
    """
    rng = seeded(seed)
    ex = running_example()
    cases = []
    for label, x, w, b in [
        ("the running example", ex.x, ex.weights[0], ex.biases[0]),
        ("one sample", rng.normal(size=3), rng.normal(size=(3, 2)), rng.normal(size=2)),
        ("a batch of 4 samples", rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)),
        ("edge: zero weights", rng.normal(size=(2, 2)), np.zeros((2, 3)), rng.normal(size=3)),
    ]:
        cases.append(Case(label, (x, w, b), ("x", "w", "b"), pre_activation(x, w, b)))
    hints = [(lambda x, w, b: x @ w, "the bias b is missing: a = x W + b")]
    return run("check_pre_activation", fn, cases, reference="pre_activation", hints=hints, out=out)


def check_forward(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(weights, biases, x)``, the forward pass of Equation (2.2), returning ``[x, h, ..., y]``.

    Cases: the running example, a one-layer network, and a three-layer network on
    a batch. Prints and returns a :class:`Verdict`.
    """
    rng = seeded(seed)
    ex = running_example()
    cases = [Case("the running example", (ex.weights, ex.biases, ex.x), ("weights", "biases", "x"),
                   forward(ex.weights, ex.biases, ex.x))]
    for label, sizes, x in [
        ("one layer, one sample", [3, 2], rng.normal(size=3)),
        ("three layers, a batch of 4", [2, 4, 3, 2], rng.normal(size=(4, 2))),
    ]:
        w, b = random_network(rng, sizes)
        cases.append(Case(label, (w, b, x), ("weights", "biases", "x"), forward(w, b, x)))
    hints = [(lambda w, b, x: forward(w, b, x)[-1], "return every activation [x, h, ..., y], not just y"),
             (lambda w, b, x: forward(w, b, x)[1:], "the list starts with the input x itself")]
    return run("check_forward", fn, cases, reference="forward", hints=hints, out=out)
