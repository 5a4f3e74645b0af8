r"""Chapter 11, other activations and losses: their checkers."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..activation import sigmoid
from ..activations_and_losses import (
    drelu_da,
    dtanh_da,
    relu,
    sigmoid_cross_entropy,
    sigmoid_cross_entropy_delta,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_delta,
    tanh,
)
from ..gradcheck import numerical_gradient
from .runner import Case, Verdict, elementwise_derivative, run, running, seeded


def check_dtanh_da(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(h)`` against tanh's slope $1 - h^2$ from its output $h = \tanh(a)$, Equation (11.2)."""
    rng = seeded(seed)
    _, a1, *_ = running()
    cases = []
    for label, a in [("the running example", a1), ("a batch", rng.normal(0, 1.5, (3, 4)))]:
        cases.append(Case(label, (tanh(a),), ("h",), dtanh_da(tanh(a)), elementwise_derivative(tanh, a)))
    edge = np.array([-1.0, 0.0, 1.0])
    cases.append(Case("edge: h = -1, 0, 1", (edge,), ("h",), dtanh_da(edge)))
    hints = [(lambda h: 1 - np.tanh(h) ** 2, "the argument is already the output h = tanh(a): the slope is 1 - h^2"),
             (lambda h: h * (1 - h), "h(1 - h) is the sigmoid's slope; tanh's is 1 - h^2")]
    return run("check_dtanh_da", fn, cases, reference="dtanh_da", hints=hints, out=out)


def check_drelu_da(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(h)`` against ReLU's slope $[h > 0]$, Equation (11.4), with the book's 0 at $h = 0$.

    Central differences are taken only at pre-activations away from the kink.
    """
    rng = seeded(seed)
    _, a1, *_ = running()
    a = rng.normal(0, 1.5, (3, 4))
    a = np.where(np.abs(a) < 0.1, 0.5, a)  # keep away from the kink, where there is no derivative
    cases = [Case(label, (relu(x),), ("h",), drelu_da(relu(x)), elementwise_derivative(relu, x))
             for label, x in [("the running example", a1), ("a batch", a)]]
    edge = np.array([0.0, 2.0, 0.0, 1e-9])
    cases.append(Case("edge: h = 0 (the kink)", (edge,), ("h",), drelu_da(edge)))
    hints = [(lambda h: (h >= 0).astype(float), "at h = 0 the book's convention is slope 0 (11.4): use h > 0")]
    return run("check_drelu_da", fn, cases, reference="drelu_da", hints=hints, out=out)


def check_softmax(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(a)`` against the softmax of each row, Equation (11.7), including logits of $\pm 1000$."""
    rng = seeded(seed)
    _, _, _, a2, _ = running()
    items = [("the running example", a2), ("a batch of 4 samples", rng.normal(0, 2, (4, 3))),
             ("edge: huge logits", np.array([[1000.0, 999.0, -1000.0], [5e3, 5e3, 0.0]]))]
    cases = [Case(label, (a,), ("a",), softmax(a)) for label, a in items]
    hints = [(lambda a: np.exp(a - a.max()) / np.exp(a - a.max()).sum(),
              "each row (sample) must sum to 1 on its own: normalise along the last axis, keepdims=True")]
    return run("check_softmax", fn, cases, reference="softmax", hints=hints, out=out)


def _distribution_targets(rng, shape):
    t = rng.uniform(size=shape)
    return t / t.sum(axis=-1, keepdims=True)


def _delta_cases(items, activation, loss, delta):
    # one case per (label, logits a, targets t): the reader's delta from y = g(a) and t, against
    # the book's and against central differences of the loss L(a, t) in the logits
    return [Case(label, (activation(a), t), ("y", "t"), delta(activation(a), t),
                 numerical_gradient(lambda v, t=t: loss(v, t), a)) for label, a, t in items]


def check_softmax_cross_entropy_delta(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y, t)`` against the softmax + cross-entropy delta $y - t$, Equation (11.9).

    Compared with the book's function and with central differences of the
    cross-entropy (11.8) with respect to the logits, with one-hot and soft targets.
    """
    rng = seeded(seed)
    ex, _, _, a2, _ = running()
    onehot = np.eye(3)[rng.integers(0, 3, 4)]
    items = [("the running example", a2, ex.t), ("one sample, soft target", rng.normal(size=4),
                                                  _distribution_targets(rng, 4)),
             ("a batch of 4, one-hot targets", rng.normal(0, 2, (4, 3)), onehot)]
    cases = _delta_cases(items, softmax, softmax_cross_entropy, softmax_cross_entropy_delta)
    hints = [(lambda y, t: (y - t) * y * (1 - y), "this is the sigmoid + L2 delta (4.4); with softmax and "
              "cross-entropy the slope cancels (11.9)")]
    return run("check_softmax_cross_entropy_delta", fn, cases, reference="softmax_cross_entropy_delta",
                hints=hints, out=out)


def check_sigmoid_cross_entropy_delta(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y, t)`` against the sigmoid + binary cross-entropy delta $y - t$, Equation (11.11).

    Compared with the book's function and with central differences of the
    binary cross-entropy (11.10) with respect to the logits.
    """
    rng = seeded(seed)
    ex, _, _, a2, _ = running()
    items = [("the running example", a2, ex.t), ("one sample", rng.normal(size=3), rng.uniform(size=3)),
             ("a batch of 4 samples", rng.normal(0, 2, (4, 2)), rng.integers(0, 2, (4, 2)).astype(float))]
    cases = _delta_cases(items, sigmoid, sigmoid_cross_entropy, sigmoid_cross_entropy_delta)
    hints = [(lambda y, t: (y - t) * y * (1 - y), "this is the sigmoid + L2 delta (4.4); with binary "
              "cross-entropy the slope y(1 - y) cancels (11.11)")]
    return run("check_sigmoid_cross_entropy_delta", fn, cases, reference="sigmoid_cross_entropy_delta",
                hints=hints, out=out)
