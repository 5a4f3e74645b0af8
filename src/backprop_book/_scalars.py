"""A network's loss written one scalar at a time, for the engines of Chapter 13.

``network_loss`` works on any number type with ``+ - * / **`` and the methods
``exp log sigmoid tanh relu``: the reverse-mode ``Value`` (engine.py) and the
forward-mode ``Dual`` (dual.py) both run this one forward pass, so the two
engines differentiate the same expression.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import choices

_HIDDEN: dict[str, Callable[[Any], Any]] = {
    "sigmoid": lambda a: a.sigmoid(),
    "tanh": lambda a: a.tanh(),
    "relu": lambda a: a.relu(),
}


def checked(weights: Any, biases: Any, x: Any, t: Any, hidden: str, output: str, loss: str):
    """The arguments checked as ``backprop`` checks them; float64 arrays, ``x`` and ``t`` 2-D.

    The names, the shapes and the targets are checked by the same code as
    ``backprop``'s, so a bad argument gets the same message from every engine.
    """
    _, (weights, biases, x, t), _, _ = choices.check_network(  # names, shapes, values and targets
        weights, biases, x, t, hidden=hidden, output=output, loss=loss
    )
    W, B = [np.asarray(w, dtype=np.float64) for w in weights], [np.asarray(b, dtype=np.float64) for b in biases]
    X, T = np.atleast_2d(np.asarray(x, dtype=np.float64)), np.atleast_2d(np.asarray(t, dtype=np.float64))
    return W, B, X, T


def leaves(make: Callable[[float, str], Any], W, B, X, T) -> tuple[list, list, list, list]:
    """Nested lists of ``make(value, label)``, shaped like the arrays: the graph's leaves."""
    weights = [[[make(v, f"W{l + 1}_{i + 1}{j + 1}") for j, v in enumerate(row)] for i, row in enumerate(w)]
               for l, w in enumerate(W)]
    biases = [[make(v, f"b{l + 1}_{j + 1}") for j, v in enumerate(b)] for l, b in enumerate(B)]
    x = [[make(v, f"x{i + 1}") for i, v in enumerate(row)] for row in X]
    t = [[make(v, f"t{k + 1}") for k, v in enumerate(row)] for row in T]
    return weights, biases, x, t


def _sum(terms: list) -> Any:
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _softplus(z: Any) -> Any:
    # log(1 + e^z) without overflow: z + log(1 + e^-z) for z > 0
    return z + (1 + (-z).exp()).log() if z.data > 0 else (1 + z.exp()).log()


def _sample_loss(a: list, y: list, t: list, output: str, loss: str) -> list:
    """The terms of one sample's loss, from its logits ``a`` and outputs ``y``."""
    if loss == "l2":
        return [(y_k - t_k) ** 2 for y_k, t_k in zip(y, t)]  # (y_k - t_k)^2, halved at the end
    if output == "sigmoid":  # t sp(-a) + (1 - t) sp(a)
        return [t_k * _softplus(-a_k) + (1 - t_k) * _softplus(a_k) for a_k, t_k in zip(a, t)]
    m = max(a_k.data for a_k in a)  # a constant: log sum e^a = m + log sum e^(a - m)
    lse = (_sum([(a_k - m).exp() for a_k in a])).log() + m
    return [t_k * (lse - a_k) for a_k, t_k in zip(a, t)]  # -t_k log y_k


def _outputs(a: list, output: str) -> list:
    if output == "sigmoid":
        return [a_k.sigmoid() for a_k in a]
    if output == "identity":
        return list(a)
    e = [(a_k - max(v.data for v in a)).exp() for a_k in a]
    total = _sum(e)
    return [e_k / total for e_k in e]


def network_loss(W: list, B: list, X: list, T: list, *, hidden: str, output: str, loss: str):
    """``(L, A, H)``: the loss node, the pre-activations and the activations, layer by layer.

    ``A[l]`` and ``H[l + 1]`` are lists of rows, one per sample; ``H[0]`` is ``X``.
    """
    f = _HIDDEN[hidden]
    A, H = [], [X]
    for l, (w, b) in enumerate(zip(W, B)):
        rows = [[_sum([h_i * w[i][j] for i, h_i in enumerate(h)]) + b[j] for j in range(len(b))]
                for h in H[-1]]  # a_j = sum_i h_i w_ij + b_j
        A.append(rows)
        last = l == len(W) - 1
        H.append([_outputs(a, output) for a in rows] if last else [[f(a_j) for a_j in a] for a in rows])
    terms = [term for a, y, t in zip(A[-1], H[-1], T) for term in _sample_loss(a, y, t, output, loss)]
    L = _sum(terms)
    return (0.5 * L if loss == "l2" else L), A, H


def grads(nested: list) -> list[np.ndarray]:
    """``[array of .grad]`` for each layer of a nested list of nodes."""

    def of(v: Any) -> Any:
        return [of(u) for u in v] if isinstance(v, list) else v.grad

    return [np.array(of(layer), dtype=np.float64) for layer in nested]
