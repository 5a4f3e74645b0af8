r"""Chapter 10, checking gradients: checkers for central differences and the relative error."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..general import backprop
from ..gradcheck import relative_error
from ..loss import l2_loss
from ..network import forward, running_example
from .runner import Case, Verdict, run, seeded


def check_numerical_gradient(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(f, param, eps)``, central differences, Equation (10.1), against exact gradients.

    The functions: $\sum \theta_i^3$ on a vector, $\sum \sin \Theta_{ij}$ on a
    matrix, and the running example's loss as a function of $\mathbf{u}$ (whose
    exact gradient ``backprop`` gives). ``param`` must be left unchanged.
    """
    rng = seeded(seed)
    ex = running_example()

    def cube_sum(theta):
        return float(np.sum(theta ** 3))

    def sin_sum(theta):
        return float(np.sum(np.sin(theta)))

    def loss_of_u(u):
        return float(l2_loss(forward([ex.weights[0], u], ex.biases, ex.x)[-1], ex.t))

    v, m = rng.normal(size=4), rng.normal(size=(2, 3))
    cases = [
        Case("a vector", (cube_sum, v, 1e-5), ("f", "param", "eps"), 3 * v ** 2,
              shown={"f": "sum(theta ** 3)"}),
        Case("a matrix", (sin_sum, m, 1e-5), ("f", "param", "eps"), np.cos(m),
              shown={"f": "sum(sin(theta))"}),
        Case("the running example's loss in u", (loss_of_u, ex.weights[1], 1e-5), ("f", "param", "eps"),
              backprop(ex.weights, ex.biases, ex.x, ex.t)[0][1], shown={"f": "L(u)"}),
    ]
    hints = [(lambda f, p, eps: np.zeros_like(p), "every entry is 0: perturb one coordinate at a time")]
    return run("check_numerical_gradient", fn, cases, reference="exact gradients", hints=hints, out=out)


def check_relative_error(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(a, b)`` against $\lVert a - b\rVert / \max(\lVert a\rVert, \lVert b\rVert)$, Equation (10.2).

    Includes the edge case where both are zero, whose error is defined as 0.
    """
    rng = seeded(seed)
    a = rng.normal(size=5)
    m = rng.normal(size=(2, 3))
    items = [("two close vectors", a, a + 1e-6 * rng.normal(size=5)),
             ("two matrices", m, rng.normal(size=(2, 3))),
             ("one of them zero", np.zeros(3), rng.normal(size=3)),
             ("edge: both zero", np.zeros(4), np.zeros(4))]
    cases = [Case(label, (x, y), ("a", "b"), relative_error(x, y)) for label, x, y in items]
    hints = [(lambda a, b: float(np.linalg.norm(a - b) / np.linalg.norm(a)),
              "divide by the larger of the two norms, so the error is symmetric in a and b")]
    return run("check_relative_error", fn, cases, reference="relative_error", hints=hints, out=out)
