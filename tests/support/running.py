"""The running example, worked once, and the network losses the gradient tests differentiate.

``EX`` is the book's 2-3-2 network (Chapter 2). Its intermediate values are given twice:

- ``A1, H, A2, Y, DELTA2, DELTA1, WEIGHT_GRADS, BIAS_GRADS``: computed by the package, as
  NumPy float64 arrays, for tests that need valid inputs of the right shapes;
- ``HAND``: the same numbers in plain Python (loops, ``math.exp``), from the chapters'
  formulas, without the package: the independent reference that unit tests compare with.

Never mutate these: tests that must change an input copy it first (``running_example()``
returns fresh arrays).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from backprop_book import backprop, forward, loss_value, numerical_gradient, output_delta, pre_activation
from backprop_book import hidden_delta, running_example

EX = running_example()
W, U = EX.weights
B1, B2 = EX.biases
X, T = EX.x, EX.t

A1 = pre_activation(X, W, B1)
_, H, Y = forward(EX.weights, EX.biases, X)
A2 = pre_activation(H, U, B2)
DELTA2 = output_delta(Y, T)
DELTA1 = hidden_delta(DELTA2, U, H)
WEIGHT_GRADS, BIAS_GRADS = backprop(EX.weights, EX.biases, X, T)

# a batch through the same network (Chapter 6)
BATCH_X = np.array([[1.0, 0.5], [0.3, -0.2], [0.0, 1.0]])
BATCH_T = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])


def _sigma(a: float) -> float:
    return 1 / (1 + math.exp(-a))


@dataclass(frozen=True)
class Hand:
    """The running example in plain Python: every value a chapter computes, as lists of floats."""

    x: list[float]
    t: list[float]
    w: list[list[float]]
    u: list[list[float]]
    a1: list[float]  # (2.1)
    h: list[float]  # (2.2)
    a2: list[float]
    y: list[float]
    loss: float  # (3.1)
    delta2: list[float]  # (4.4)
    delta1: list[float]  # (5.2)
    dw: list[list[float]]  # (5.3): dL/dw_ij = delta1_j x_i
    du: list[list[float]]  # (4.5): dL/du_ij = delta2_j h_i


def _by_hand() -> Hand:
    x, t = X.tolist(), T.tolist()
    w, u, b1, b2 = W.tolist(), U.tolist(), B1.tolist(), B2.tolist()
    a1 = [x[0] * w[0][j] + x[1] * w[1][j] + b1[j] for j in range(3)]
    h = [_sigma(a) for a in a1]
    a2 = [sum(h[j] * u[j][k] for j in range(3)) + b2[k] for k in range(2)]
    y = [_sigma(a) for a in a2]
    loss = 0.5 * sum((y[k] - t[k]) ** 2 for k in range(2))
    d2 = [(y[k] - t[k]) * y[k] * (1 - y[k]) for k in range(2)]
    d1 = [sum(d2[k] * u[j][k] for k in range(2)) * h[j] * (1 - h[j]) for j in range(3)]
    dw = [[d1[j] * x[i] for j in range(3)] for i in range(2)]
    du = [[d2[j] * h[i] for j in range(2)] for i in range(3)]
    return Hand(x, t, w, u, a1, h, a2, y, loss, d2, d1, dw, du)


HAND = _by_hand()


def sigma(a: float) -> float:
    """The sigmoid in plain Python, on the side where ``exp`` cannot overflow."""
    return 1 / (1 + math.exp(-a)) if a >= 0 else math.exp(a) / (1 + math.exp(a))


def hand_layer(x: list[float], w: Any, b: Any) -> list[float]:
    """A sigmoid layer in plain Python: sigma(sum_i x_i w_ij + b_j)."""
    w, b = np.asarray(w).tolist(), np.asarray(b).tolist()
    return [sigma(sum(x[i] * w[i][j] for i in range(len(w))) + b[j]) for j in range(len(b))]


def random_network(sizes: tuple[int, ...] = (3, 4, 2), batch: int | None = 5, seed: int = 0) -> tuple:
    """``(weights, biases, x, t)``: a seeded random network, a batch (or one sample) and targets in (0.1, 0.9)."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 1, (m, n)) for m, n in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.5, n) for n in sizes[1:]]
    x = rng.normal(0, 1, (sizes[0],) if batch is None else (batch, sizes[0]))
    t = rng.uniform(0.1, 0.9, (*x.shape[:-1], sizes[-1]))
    return weights, biases, x, t


def network_loss(weights: list, biases: list, x: Any, t: Any, *, hidden: str = "sigmoid",
                 output: str = "sigmoid", loss: str = "l2") -> float:
    """The loss of a whole network through the package: forward to the last logits, then loss_value (11.13).

    For the source's network (sigmoid, l2) this is exactly ``l2_loss(forward(...)[-1], t)``.
    """
    activations = forward(weights, biases, x, hidden=hidden, output=output)
    a = pre_activation(activations[-2], weights[-1], biases[-1])
    return float(loss_value(a, t, output=output, loss=loss))


def loss_of_parameter(weights: list, biases: list, x: Any, t: Any, index: int, *,
                      to: Callable[[Any], Any] = np.asarray, **choice: str) -> Callable[[np.ndarray], float]:
    """L as a function of parameter number ``index`` of ``weights + biases``, for numerical_gradient.

    ``weights`` and ``biases`` are NumPy arrays; ``to`` moves each trial network into the
    library of ``x`` and ``t``, so the loss is evaluated by that library.
    """
    params = [*weights, *biases]
    depth = len(weights)

    def loss(q: np.ndarray) -> float:
        trial = [to(p) for p in params[:index]] + [to(q)] + [to(p) for p in params[index + 1 :]]
        return network_loss(trial[:depth], trial[depth:], x, t, **choice)

    return loss


def numerical_gradients(weights: list, biases: list, x: Any, t: Any, *,
                        to: Callable[[Any], Any] = np.asarray, **choice: str) -> list[np.ndarray]:
    """Central differences (10.1) of the network loss for every weight, then every bias."""
    params = [*weights, *biases]
    return [numerical_gradient(loss_of_parameter(weights, biases, x, t, i, to=to, **choice), p)
            for i, p in enumerate(params)]
