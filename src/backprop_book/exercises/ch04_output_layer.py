r"""Chapter 4, the output layer: checkers for its derivatives and deltas."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..activation import dy_da, sigmoid
from ..gradcheck import numerical_gradient
from ..loss import dL_dy, l2_loss
from ..output_layer import output_delta, weight_gradient
from .runner import (
    Case,
    Verdict,
    elementwise_derivative,
    logits_outputs_targets,
    run,
    running,
    seeded,
)


def check_dL_dy(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y, t)`` against $\partial L / \partial y_k = y_k - t_k$, Equation (4.2).

    Compared with the book's ``dL_dy`` and with central differences of the L2 loss.
    """
    rng = seeded(seed)
    ex, _, _, _, y = running()
    cases = []
    items = [("the running example", y, ex.t)]
    for label, shape in [("one sample", (3,)), ("a batch of 4 samples", (4, 2))]:
        _, yy, tt = logits_outputs_targets(rng, shape)
        items.append((label, yy, tt))
    for label, yy, tt in items:
        numeric = numerical_gradient(lambda v, tt=tt: l2_loss(v, tt), yy)
        cases.append(Case(label, (yy, tt), ("y", "t"), dL_dy(yy, tt), numeric))
    hints = [(lambda y, t: t - y, "the sign is flipped: the loss grows when y moves away from t, so it is y - t"),
             (lambda y, t: 2 * (y - t), "the 1/2 in the loss cancels the 2 from the square")]
    return run("check_dL_dy", fn, cases, reference="dL_dy", hints=hints, out=out)


def check_dy_da(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y)`` against $\partial y / \partial a = y(1 - y)$, Equation (4.3), from the output $y$."""
    rng = seeded(seed)
    ex, _, _, a2, y = running()
    cases = [Case("the running example", (y,), ("y",), dy_da(y), elementwise_derivative(sigmoid, a2))]
    a = rng.normal(0, 2, (3, 4))
    cases.append(Case("a batch", (sigmoid(a),), ("y",), dy_da(sigmoid(a)), elementwise_derivative(sigmoid, a)))
    edge = np.array([0.0, 0.5, 1.0])
    cases.append(Case("edge: y = 0, 1/2, 1", (edge,), ("y",), dy_da(edge)))
    hints = [(lambda y: sigmoid(y) * (1 - sigmoid(y)),
              "the argument is already the output y = sigma(a): do not apply the sigmoid again")]
    return run("check_dy_da", fn, cases, reference="dy_da", hints=hints, out=out)


def check_output_delta(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y, t)`` against $\delta_k = (y_k - t_k)\,y_k(1 - y_k)$, Equation (4.4).

    Compared with the book's ``output_delta`` and with central differences of
    $L(\sigma(\mathbf{a}))$ with respect to $\mathbf{a}$, on the running example,
    one sample, a batch and the edge values $y \in \{0, 1/2, 1\}$.
    """
    rng = seeded(seed)
    ex, _, _, a2, y = running()
    items = [("the running example", a2, ex.t)]
    for label, shape in [("one sample", (3,)), ("a batch of 4 samples", (4, 2))]:
        a, _, tt = logits_outputs_targets(rng, shape)
        items.append((label, a, tt))
    cases = []
    for label, a, tt in items:
        numeric = numerical_gradient(lambda v, tt=tt: l2_loss(sigmoid(v), tt), a)
        cases.append(Case(label, (sigmoid(a), tt), ("y", "t"), output_delta(sigmoid(a), tt), numeric))
    edge_y, edge_t = np.array([[0.0, 0.5, 1.0], [1.0, 0.5, 0.0]]), np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    cases.append(Case("edge: y = 0, 1/2, 1", (edge_y, edge_t), ("y", "t"), output_delta(edge_y, edge_t)))
    hints = [
        (lambda y, t: y - t, "this is dL/dy = y - t alone; the delta also needs the slope dy/da = y(1 - y) (4.3)"),
        (lambda y, t: (y - t) * y, "the slope of the sigmoid is y(1 - y): the (1 - y) factor is missing"),
        (lambda y, t: (t - y) * y * (1 - y), "the sign is flipped: dL/dy = y - t"),
    ]
    return run("check_output_delta", fn, cases, reference="output_delta", hints=hints, out=out)


def _linear_case(rng, label, inputs_shape, n_out):
    """Inputs and deltas for a layer a = inputs W + b, with the gradient of sum(delta * a)."""
    inputs = rng.normal(size=inputs_shape)
    delta = rng.normal(size=(*inputs_shape[:-1], n_out))
    return label, inputs, delta


def check_weight_gradient(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(inputs, delta)`` against $\partial L / \partial w_{ij} = \delta_j x_i$, Equations (4.5) and (6.2).

    For a batch the answer is $\mathbf{X}^\top\boldsymbol{\Delta}$, summed over
    the samples. Compared with the book's ``weight_gradient`` and with central
    differences of $\sum \boldsymbol{\Delta} \odot (\mathbf{X}\mathbf{W})$ with
    respect to $\mathbf{W}$ (whose gradient it is).
    """
    rng = seeded(seed)
    ex, _, h, _, y = running()
    items = [("the running example", h, output_delta(y, ex.t)),
             _linear_case(rng, "one sample", (3,), 2),
             _linear_case(rng, "a batch of 5 samples", (5, 3), 2),
             _linear_case(rng, "a batch of 4, square weights", (4, 3), 3),
             _linear_case(rng, "edge: a batch of 1 sample", (1, 2), 3)]
    cases = []
    for label, inputs, delta in items:
        w0 = np.zeros((inputs.shape[-1], delta.shape[-1]))
        numeric = numerical_gradient(lambda w, i=inputs, d=delta: np.sum(d * (i @ w)), w0)
        cases.append(Case(label, (inputs, delta), ("inputs", "delta"), weight_gradient(inputs, delta), numeric))
    hints = [
        (lambda i, d: (i.T @ d) / i.shape[0] if i.ndim == 2 else None,
         "this is the mean over the batch; the book's loss is a sum, so its gradient sums over samples"),
        (lambda i, d: np.outer(i[0], d[0]) if i.ndim == 2 else None,
         "only the first sample is used; a batch's gradient sums over every sample (6.2)"),
        (lambda i, d: np.outer(d, i) if i.ndim == 1 else d.T @ i,
         "rows are inputs and columns are outputs: w_ij joins input i to unit j, so it is x_i delta_j"),
    ]
    return run("check_weight_gradient", fn, cases, reference="weight_gradient", hints=hints, out=out)
