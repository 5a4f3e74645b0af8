r"""Chapter 6, any depth: the checker for the whole of backprop."""

from __future__ import annotations

from typing import Any, Callable

from ..general import backprop
from ..gradcheck import numerical_gradient
from ..loss import l2_loss
from ..network import forward, running_example
from .runner import Case, Verdict, random_network, run, seeded


def _numeric_network_gradients(weights, biases, x, t):
    params = list(weights) + list(biases)
    n = len(weights)
    numeric = []
    for l, p in enumerate(params):
        def loss_of(q, l=l):
            trial = params[:l] + [q] + params[l + 1:]
            return l2_loss(forward(trial[:n], trial[n:], x)[-1], t)
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
                           backprop(w, b, x, t), _numeric_network_gradients(w, b, x, t)))
    hints = [(lambda w, b, x, t: backprop(w, b, x, t)[0], "return both lists: (weight_grads, bias_grads)")]
    return run("check_backprop", fn, cases, reference="backprop", hints=hints, out=out)
