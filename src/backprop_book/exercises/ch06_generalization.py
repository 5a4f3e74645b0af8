r"""Chapter 6, any depth: the checker for the whole of backprop."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..activation import dy_da, sigmoid
from ..general import backprop
from ..gradcheck import numerical_backprop, numerical_gradient
from ..hidden_layer import dL_dh, hidden_delta
from ..loss import l2_loss
from ..network import forward, running_example
from .runner import Case, Verdict, random_network, run, seeded


def _numeric_decayed_gradients(weights, biases, x, t, lam=0.0):
    """Central differences of the L2 loss plus (lam / 2) * the squared weights, per parameter."""
    params = list(weights) + list(biases)
    n = len(weights)
    numeric = []
    for l, p in enumerate(params):
        def loss_of(q, l=l):
            trial = params[:l] + [q] + params[l + 1:]
            decay = 0.5 * lam * sum(np.sum(w * w) for w in trial[:n])
            return l2_loss(forward(trial[:n], trial[n:], x)[-1], t) + decay
        numeric.append(numerical_gradient(loss_of, p))
    return numeric[:n], numeric[n:]


def check_backprop(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(weights, biases, x, t)``, returning ``(weight_grads, bias_grads)``, Equation (6.3).

    Sigmoid layers and the L2 loss, as in Chapters 2 to 7. Compared with the
    book's ``backprop`` and with central differences of the loss with respect to
    every weight and bias, on the running example, a one-layer network, and
    deeper networks on batches.
    """
    rng = seeded(seed)
    ex = running_example()
    items = [("the running example", ex.weights, ex.biases, ex.x, ex.t)]
    for label, sizes, n in [("one layer, one sample", [3, 2], None),
                            ("two layers, a batch of 4", [2, 3, 2], 4),
                            ("three layers, a batch of 3", [3, 4, 3, 2], 3)]:
        w, b = random_network(rng, sizes)
        shape = (sizes[0],) if n is None else (n, sizes[0])
        x = rng.normal(size=shape)
        t = rng.uniform(size=(*shape[:-1], sizes[-1]))
        items.append((label, w, b, x, t))
    cases = []
    for label, w, b, x, t in items:
        cases.append(Case(label, (w, b, x, t), ("weights", "biases", "x", "t"),
                           backprop(w, b, x, t), numerical_backprop(w, b, x, t)))
    hints = [
        (lambda w, b, x, t: backprop(w, b, x, t)[0], "return both lists: (weight_grads, bias_grads)"),
        (lambda w, b, x, t: _biases_as(w, b, x, t, lambda d: d / len(x)) if x.ndim == 2 else None,
         "the weight gradients are right but each bias gradient is the batch's mean; the loss is a "
         "sum over samples, so sum the deltas over the batch (7.1)"),
        (lambda w, b, x, t: _per_sample_biases(w, b, x, t) if x.ndim == 2 else None,
         "the weight gradients are right but the bias gradients keep one row per sample; sum the "
         "deltas over the batch (axis 0), giving one number per unit (7.1)"),
    ]
    return run("check_backprop", fn, cases, reference="backprop", hints=hints, out=out)


def _biases_as(w, b, x, t, change):
    weight_grads, bias_grads = backprop(w, b, x, t)
    return weight_grads, [change(g) for g in bias_grads]


def _per_sample_biases(w, b, x, t):
    # what a reader gets from the deltas without summing over the batch: dL/db per sample
    weight_grads, _ = backprop(w, b, x, t)
    per_sample = [backprop(w, b, x[s], t[s])[1] for s in range(len(x))]
    return weight_grads, [np.stack([g[l] for g in per_sample]) for l in range(len(b))]
def check_weight_decay_gradients(
    fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print
) -> Verdict:
    r"""Check ``fn(weights, biases, x, t, lam)`` against the gradients of the loss with weight decay.

    The loss is $L + \frac{\lambda}{2}\sum_l \lVert \mathbf{W}^{(l)} \rVert^2$ (biases not
    decayed), so each weight gradient of Equation (6.2) gains $\lambda \mathbf{W}^{(l)}$ and
    the bias gradients stay those of Equation (7.1). Compared with the book's ``backprop``
    plus that term, and with central differences of the decayed loss.
    """
    rng = seeded(seed)
    ex = running_example()
    items = [("the running example, lam = 0.1", ex.weights, ex.biases, ex.x, ex.t, 0.1)]
    for label, sizes, n, lam in [("two layers, a batch of 4, lam = 0.5", [2, 3, 2], 4, 0.5),
                                 ("three layers, a batch of 3, lam = 0.01", [3, 4, 3, 2], 3, 0.01)]:
        w, b = random_network(rng, sizes)
        x = rng.normal(size=(n, sizes[0]))
        items.append((label, w, b, x, rng.uniform(size=(n, sizes[-1])), lam))
    cases = []
    for label, w, b, x, t, lam in items:
        weight_grads, bias_grads = backprop(w, b, x, t)
        expected = ([g + lam * W for g, W in zip(weight_grads, w)], bias_grads)
        cases.append(Case(label, (w, b, x, t, lam), ("weights", "biases", "x", "t", "lam"),
                          expected, _numeric_decayed_gradients(w, b, x, t, lam)))
    hints = [
        (lambda w, b, x, t, lam: backprop(w, b, x, t),
         "these are the gradients without weight decay: each weight gradient gains lam * W"),
        (lambda w, b, x, t, lam: ([g + lam * W for g, W in zip(backprop(w, b, x, t)[0], w)],
                                  [g + lam * c for g, c in zip(backprop(w, b, x, t)[1], b)]),
         "the biases are not decayed: the penalty sums the weights only"),
        (lambda w, b, x, t, lam: ([g + lam / 2 * W for g, W in zip(backprop(w, b, x, t)[0], w)],
                                  backprop(w, b, x, t)[1]),
         "the derivative of (lam / 2) W^2 is lam * W: the 2 of the square cancels the 1/2"),
    ]
    return run("check_weight_decay_gradients", fn, cases, reference="backprop plus lam * W",
               hints=hints, out=out)


def _shared_loss(w, b1, b2, x, t):
    return l2_loss(forward([w, w], [b1, b2], x)[-1], t)


def check_shared_weight_gradient(
    fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print
) -> Verdict:
    r"""Check ``fn(w, b1, b2, x, t)``: the gradient of one matrix used by both layers.

    The network is $\mathbf{y} = \sigma\bigl(\sigma(\mathbf{x}\mathbf{W} + \mathbf{b}^{(1)})
    \mathbf{W} + \mathbf{b}^{(2)}\bigr)$ with one square $\mathbf{W}$. A parameter used twice
    gets the sum of the gradients of its uses: Equation (6.2) for layer 1 plus Equation (6.2)
    for layer 2. Compared with that sum, from the book's ``backprop``, and with central
    differences of the loss with respect to $\mathbf{W}$.
    """
    rng = seeded(seed)
    items = []
    for label, n, batch in [("2 units, one sample", 2, None), ("3 units, a batch of 4", 3, 4),
                            ("4 units, a batch of 2", 4, 2)]:
        w = rng.normal(size=(n, n))
        b1, b2 = rng.normal(0, 0.5, n), rng.normal(0, 0.5, n)
        shape = (n,) if batch is None else (batch, n)
        items.append((label, w, b1, b2, rng.normal(size=shape), rng.uniform(size=shape)))
    cases = []
    for label, w, b1, b2, x, t in items:
        first, second = backprop([w, w], [b1, b2], x, t)[0]
        numeric = numerical_gradient(lambda v, b1=b1, b2=b2, x=x, t=t: _shared_loss(v, b1, b2, x, t), w)
        cases.append(Case(label, (w, b1, b2, x, t), ("w", "b1", "b2", "x", "t"), first + second, numeric))
    hints = [
        (lambda w, b1, b2, x, t: backprop([w, w], [b1, b2], x, t)[0][0],
         "this is only the first layer's gradient: a shared weight adds the gradients of every use"),
        (lambda w, b1, b2, x, t: backprop([w, w], [b1, b2], x, t)[0][1],
         "this is only the second layer's gradient: a shared weight adds the gradients of every use"),
    ]
    return run("check_shared_weight_gradient", fn, cases, reference="backprop, its two weight gradients added",
               hints=hints, out=out)


def check_skip_hidden_delta(
    fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print
) -> Verdict:
    r"""Check ``fn(delta2, w2, delta3, v, h1)``: the first layer's delta when $\mathbf{h}^{(1)}$
    also skips to the output.

    With $\mathbf{a}^{(3)} = \mathbf{h}^{(2)}\mathbf{W}^{(3)} + \mathbf{h}^{(1)}\mathbf{V} +
    \mathbf{b}^{(3)}$, layer 1 reaches the loss along two paths, so Equation (6.1) gains a
    term: $\boldsymbol{\delta}^{(1)} = \bigl(\boldsymbol{\delta}^{(2)}\mathbf{W}^{(2)\top} +
    \boldsymbol{\delta}^{(3)}\mathbf{V}^\top\bigr) \odot \mathbf{h}^{(1)} \odot (1 - \mathbf{h}^{(1)})$.
    Compared with that, built from the book's ``dL_dh``, and with central differences of
    $\sum \boldsymbol{\delta}^{(2)} \odot (\sigma(\mathbf{a})\mathbf{W}^{(2)})
    + \sum \boldsymbol{\delta}^{(3)} \odot (\sigma(\mathbf{a})\mathbf{V})$ with respect to $\mathbf{a}$.
    """
    rng = seeded(seed)
    cases = []
    for label, batch, (n1, n2, n3) in [("one sample", None, (3, 4, 2)), ("a batch of 3", 3, (4, 3, 2)),
                                       ("a batch of 2, square weights", 2, (3, 3, 3))]:
        lead = () if batch is None else (batch,)
        delta2, delta3 = rng.normal(size=(*lead, n2)), rng.normal(size=(*lead, n3))
        w2, v, a1 = rng.normal(size=(n1, n2)), rng.normal(size=(n1, n3)), rng.normal(size=(*lead, n1))
        h1 = sigmoid(a1)
        expected = (dL_dh(delta2, w2) + dL_dh(delta3, v)) * dy_da(h1)
        numeric = numerical_gradient(
            lambda q, d2=delta2, d3=delta3, w2=w2, v=v: np.sum(d2 * (sigmoid(q) @ w2))
            + np.sum(d3 * (sigmoid(q) @ v)), a1)
        cases.append(Case(label, (delta2, w2, delta3, v, h1), ("delta2", "w2", "delta3", "v", "h1"),
                          expected, numeric))
    hints = [
        (lambda d2, w2, d3, v, h1: hidden_delta(d2, w2, h1),
         "the skip path is missing: h1 also reaches the output through v, so add delta3 @ v.T"),
        (lambda d2, w2, d3, v, h1: hidden_delta(d3, v, h1),
         "only the skip path: h1 also reaches layer 2 through w2, so add delta2 @ w2.T"),
        (lambda d2, w2, d3, v, h1: dL_dh(d2, w2) + dL_dh(d3, v),
         "this is the error reaching h1; the delta also needs the slope h1 (1 - h1)"),
    ]
    return run("check_skip_hidden_delta", fn, cases, reference="dL_dh and dy_da, summed over both paths",
               hints=hints, out=out)
