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


def check_softplus_hidden_delta(
    fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print
) -> Verdict:
    r"""Check ``fn(delta, u, h)``: the hidden delta of a softplus layer, $h = \log(1 + e^{a})$.

    The softplus's slope is the sigmoid, $\sigma(a) = 1 - e^{-h}$, so Equation (5.2) becomes
    $\delta_j = \bigl(\sum_k \delta_k u_{jk}\bigr)(1 - e^{-h_j})$. Compared with that, built
    from the book's ``dL_dh``, and with central differences of
    $\sum \boldsymbol{\delta} \odot (\operatorname{softplus}(\mathbf{a})\mathbf{u})$ with
    respect to the hidden pre-activations $\mathbf{a}$.
    """
    rng = seeded(seed)
    cases = []
    for label, lead, (n1, n2) in [("one sample", (), (4, 2)), ("a batch of 3", (3,), (4, 2)),
                                  ("a batch of 2, square weights", (2,), (3, 3))]:
        delta, u, a = rng.normal(size=(*lead, n2)), rng.normal(size=(n1, n2)), rng.normal(0, 2, (*lead, n1))
        h = np.logaddexp(0.0, a)  # softplus(a), computed without overflow
        numeric = numerical_gradient(lambda v, d=delta, u=u: np.sum(d * (np.logaddexp(0.0, v) @ u)), a)
        cases.append(Case(label, (delta, u, h), ("delta", "u", "h"), dL_dh(delta, u) * -np.expm1(-h), numeric))
    hints = [
        (lambda d, u, h: hidden_delta(d, u, h), "h(1 - h) is the sigmoid's slope; a softplus unit's "
         "slope is sigma(a), which is 1 - exp(-h) in terms of h"),
        (lambda d, u, h: dL_dh(d, u) * sigmoid(h), "sigmoid(h) takes the slope at h; it is sigma(a) at the "
         "pre-activation a, which is 1 - exp(-h)"),
        (lambda d, u, h: dL_dh(d, u), "this is the error dL/dh reaching the unit (5.1); the delta also needs "
         "the unit's slope"),
    ]
    return run("check_softplus_hidden_delta", fn, cases, reference="dL_dh times 1 - exp(-h)",
               hints=hints, out=out)
