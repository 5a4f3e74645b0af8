r"""Chapter 10, checking gradients: central differences, the relative error, and a loss of one's own."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..activation import sigmoid
from ..general import backprop
from ..gradcheck import numerical_gradient, relative_error
from ..loss import l2_loss
from ..network import forward, running_example
from .runner import Case, Verdict, run, running, seeded


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


def _huber(y, t, c) -> float:
    r"""The Huber loss $\sum \ell(y - t)$: $\frac12 r^2$ for $|r| \le c$, $c(|r| - \frac12 c)$ beyond."""
    r = np.abs(y - t)
    return float(np.sum(np.where(r <= c, 0.5 * r * r, c * (r - 0.5 * c))))


def check_huber_delta(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y, t, c)``, the output delta of sigmoid outputs under the Huber loss.

    $$ \ell(r) = \begin{cases} \frac12 r^2 & |r| \le c \\ c\,(|r| - \frac12 c) & |r| > c \end{cases},
       \qquad \delta_k = \operatorname{clip}(y_k - t_k, -c, c)\; y_k (1 - y_k) $$

    The loss is $L = \sum_k \ell(y_k - t_k)$ (over every sample of a batch too),
    with $y_k = \sigma(a_k)$; the delta is $\partial L / \partial a_k$. Compared with
    that formula and with central differences of $L$ in the pre-activations.
    """
    rng = seeded(seed)
    ex, _, _, a2, _ = running()
    items = [("the running example, c = 0.2", a2, ex.t, 0.2),
             ("a batch of 5, c = 0.3", rng.normal(0, 2, (5, 3)), rng.uniform(size=(5, 3)), 0.3),
             ("one sample, c = 0.05", rng.normal(0, 2, 4), rng.uniform(size=4), 0.05),
             ("edge: c = 1, every |y - t| within it: the L2 delta (4.4)", a2, ex.t, 1.0)]
    cases = []
    for label, a, t, c in items:
        y = sigmoid(a)
        numeric = numerical_gradient(lambda v, t=t, c=c: _huber(sigmoid(v), t, c), a)
        cases.append(Case(label, (y, t, c), ("y", "t", "c"), np.clip(y - t, -c, c) * y * (1 - y), numeric))
    hints = [
        (lambda y, t, c: (y - t) * y * (1 - y),
         "this is the L2 delta (4.4): beyond |y - t| = c the loss grows linearly, "
         "so its slope there is c sign(y - t), not y - t"),
        (lambda y, t, c: np.clip(y - t, -c, c),
         "this is dL/dy alone; the delta also needs the slope dy/da = y(1 - y) (4.3)"),
        (lambda y, t, c: np.where(np.abs(y - t) <= c, y - t, c) * y * (1 - y),
         "beyond c the slope is c times the sign of y - t: -c where an output is below its target"),
    ]
    return run("check_huber_delta", fn, cases, reference="Huber delta", hints=hints, out=out)
