r"""Chapter 5, a hidden layer: checkers for the error it receives and its delta."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..activation import sigmoid
from ..gradcheck import numerical_gradient
from ..hidden_layer import dL_dh, hidden_delta
from ..output_layer import output_delta
from .runner import Case, Verdict, run, running, seeded


def check_dL_dh(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(delta, u)`` against $\partial L / \partial h_j = \sum_k \delta_k u_{jk}$, Equation (5.1).

    Compared with the book's ``dL_dh`` and with central differences of
    $\sum \boldsymbol{\delta} \odot (\mathbf{h}\mathbf{u})$ with respect to $\mathbf{h}$.
    """
    rng = seeded(seed)
    ex, _, h, _, y = running()
    items = [("the running example", output_delta(y, ex.t), ex.weights[1]),
             ("one sample", rng.normal(size=2), rng.normal(size=(4, 2))),
             ("a batch of 3 samples", rng.normal(size=(3, 2)), rng.normal(size=(4, 2))),
             ("a batch of 3, square weights", rng.normal(size=(3, 3)), rng.normal(size=(3, 3)))]
    cases = []
    for label, delta, u in items:
        h0 = np.zeros((*delta.shape[:-1], u.shape[0]))
        numeric = numerical_gradient(lambda v, d=delta, u=u: np.sum(d * (v @ u)), h0)
        cases.append(Case(label, (delta, u), ("delta", "u"), dL_dh(delta, u), numeric))
    hints = [(lambda d, u: d @ u, "u is used untransposed: h_j's error sums over the weights u_jk leaving "
              "unit j, which is row j of u, so it is delta @ u.T")]
    return run("check_dL_dh", fn, cases, reference="dL_dh", hints=hints, out=out)


def check_hidden_delta(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(delta, u, h)`` against $\delta_j = \sum_k \delta_k u_{jk}\, h_j(1 - h_j)$, Equations (5.2) and (6.1).

    Compared with the book's ``hidden_delta`` and with central differences of
    $\sum \boldsymbol{\delta} \odot (\sigma(\mathbf{a})\mathbf{u})$ with respect
    to the hidden pre-activations $\mathbf{a}$, where $\mathbf{h} = \sigma(\mathbf{a})$.
    """
    rng = seeded(seed)
    ex, a1, h, _, y = running()
    items = [("the running example", output_delta(y, ex.t), ex.weights[1], a1),
             ("one sample", rng.normal(size=2), rng.normal(size=(4, 2)), rng.normal(size=4)),
             ("a batch of 3 samples", rng.normal(size=(3, 2)), rng.normal(size=(4, 2)), rng.normal(size=(3, 4))),
             ("a batch of 3, square weights", rng.normal(size=(3, 3)), rng.normal(size=(3, 3)),
              rng.normal(size=(3, 3)))]
    cases = []
    for label, delta, u, a in items:
        numeric = numerical_gradient(lambda v, d=delta, u=u: np.sum(d * (sigmoid(v) @ u)), a)
        hh = sigmoid(a)
        cases.append(Case(label, (delta, u, hh), ("delta", "u", "h"), hidden_delta(delta, u, hh), numeric))
    hh = np.array([[0.0, 0.5, 1.0], [1.0, 0.25, 0.0]])
    delta, u = rng.normal(size=(2, 2)), rng.normal(size=(3, 2))
    cases.append(Case("edge: h = 0, 1/2, 1", (delta, u, hh), ("delta", "u", "h"), hidden_delta(delta, u, hh)))
    hints = [
        (lambda d, u, h: d @ u.T, "this is the error dL/dh reaching the unit (5.1); the delta also needs "
         "the unit's slope h(1 - h)"),
        (lambda d, u, h: (d @ u) * h * (1 - h), "u is used untransposed: the error reaching h_j sums over "
         "the weights u_jk leaving unit j, so it is delta @ u.T"),
    ]
    return run("check_hidden_delta", fn, cases, reference="hidden_delta", hints=hints, out=out)
