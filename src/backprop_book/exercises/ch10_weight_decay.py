r"""Chapter 10, a gradient of your own: the checker for weight decay."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..general import backprop
from ..gradcheck import numerical_gradient
from ..loss import l2_loss
from ..network import forward, running_example
from .runner import Case, Verdict, random_network, run, seeded


def _decayed_loss(weights, biases, x, t, lam) -> float:
    r"""$L + \frac{\lambda}{2}\sum_l \lVert \mathbf{W}^{(l)} \rVert^2$: the biases are not decayed."""
    penalty = sum(float(np.sum(w * w)) for w in weights)
    return float(l2_loss(forward(weights, biases, x)[-1], t)) + 0.5 * lam * penalty


def _numeric(weights, biases, x, t, lam) -> tuple[list, list]:
    """Central differences of the decayed loss, one parameter array at a time."""
    params = list(weights) + list(biases)
    D = len(weights)

    def of(l):
        def loss(p):
            trial = params[:l] + [p] + params[l + 1:]
            return _decayed_loss(trial[:D], trial[D:], x, t, lam)
        return loss

    grads = [numerical_gradient(of(l), p) for l, p in enumerate(params)]
    return grads[:D], grads[D:]


def check_weight_decay_gradient(
    fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print
) -> Verdict:
    r"""Check ``fn(weights, biases, x, t, lam)`` against the gradient of the L2 loss with weight decay.

    The loss is $L + \frac{\lambda}{2}\sum_l \lVert \mathbf{W}^{(l)} \rVert^2$ (the
    biases are not decayed), so the weight gradients are backpropagation's plus
    $\lambda \mathbf{W}^{(l)}$ and the bias gradients are backpropagation's. ``fn``
    returns ``(weight_grads, bias_grads)`` like ``backprop``; compared with the
    book's ``backprop`` plus the decay term and with central differences of the loss.
    """
    rng = seeded(seed)
    ex = running_example()
    w, b = random_network(rng, [3, 4, 2])
    x, t = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    w3, b3 = random_network(rng, [2, 3, 3, 1])
    x3, t3 = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    items = [("the running example, lam = 0.1", ex.weights, ex.biases, ex.x, ex.t, 0.1),
             ("a batch of 5, lam = 0.01", w, b, x, t, 0.01),
             ("three layers, a batch of 4, lam = 0.5", w3, b3, x3, t3, 0.5),
             ("edge: lam = 0 is plain backprop", ex.weights, ex.biases, ex.x, ex.t, 0.0)]
    cases = []
    for label, w, b, x, t, lam in items:
        weight_grads, bias_grads = backprop(w, b, x, t)
        expected = ([g + lam * wl for g, wl in zip(weight_grads, w)], bias_grads)
        cases.append(Case(label, (w, b, x, t, lam), ("weights", "biases", "x", "t", "lam"),
                          expected, _numeric(w, b, x, t, lam)))

    def decays_biases(w, b, x, t, lam):  # the mistake: the biases decayed too
        weight_grads, bias_grads = backprop(w, b, x, t)
        return ([g + lam * wl for g, wl in zip(weight_grads, w)],
                [g + lam * bl for g, bl in zip(bias_grads, b)]) if lam else None

    def twice(w, b, x, t, lam):  # the mistake: 2 lam W
        weight_grads, bias_grads = backprop(w, b, x, t)
        return ([g + 2 * lam * wl for g, wl in zip(weight_grads, w)], bias_grads) if lam else None

    hints = [
        (decays_biases, "the biases are not decayed: their gradients stay backprop's"),
        (twice, "the derivative of (lam/2) |W|^2 is lam W, not 2 lam W"),
    ]
    return run("check_weight_decay_gradient", fn, cases, reference="backprop + lam W", hints=hints, out=out)
