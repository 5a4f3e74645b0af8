r"""Forward-mode differentiation with dual numbers (Chapter 13).

A dual number $a + \dot a\,\varepsilon$ carries a value and its derivative
along one chosen direction, with the rule $\varepsilon^2 = 0$. Evaluating a
function on dual numbers gives its value and that one directional derivative
in the same pass, with no graph and no backward sweep. The price: one pass
per direction, so one pass per weight for a full gradient, where the
reverse-mode engine needs one backward sweep for all of them.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from . import _scalars


class Dual:
    r"""A dual number $a + \dot a\,\varepsilon$ with $\varepsilon^2 = 0$: a value and its derivative.

    $$ \begin{gathered}
       (a + \dot a\varepsilon) + (b + \dot b\varepsilon) = (a + b) + (\dot a + \dot b)\varepsilon, \\
       (a + \dot a\varepsilon)(b + \dot b\varepsilon) = ab + (\dot a b + a \dot b)\varepsilon, \\
       f(a + \dot a\varepsilon) = f(a) + f'(a)\,\dot a\,\varepsilon
       \end{gathered} $$

    Equation (13.15). Each operation applies the same local derivative as the
    reverse-mode ``Value`` (Equations (13.2) to (13.11)) but forwards: the
    derivative part of the result is the local derivative times the
    derivative part of the argument.

    Parameters
    ----------
    data : float
        The value $a$.
    dot : float, default 0.0
        The derivative part $\dot a$: 1.0 for the input being differentiated
        against, 0.0 for a constant.

    Examples
    --------
    >>> x = Dual(3.0, 1.0)  # differentiate with respect to x
    >>> y = x * x + 2 * x
    >>> y.data, y.dot  # y = 15, dy/dx = 2x + 2 = 8
    (15.0, 8.0)
    >>> z = Dual(0.0, 1.0).sigmoid()
    >>> z.data, z.dot
    (0.5, 0.25)
    """

    __slots__ = ("data", "dot")

    def __init__(self, data: Any, dot: Any = 0.0) -> None:
        if type(data) is not float or type(dot) is not float:  # the operations pass floats
            for name, value in (("data", data), ("dot", dot)):
                if isinstance(value, bool) or not isinstance(value, numbers.Real):
                    raise TypeError(
                        f"{name} must be a real number, got {type(value).__name__} {value!r:.40}"
                    )
        self.data, self.dot = float(data), float(dot)

    def __repr__(self) -> str:
        return f"Dual({self.data:.6g} + {self.dot:.6g}ε)"

    def __add__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return Dual(self.data + other.data, self.dot + other.dot)  # (13.2)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return Dual(self.data - other.data, self.dot - other.dot)  # (13.3)

    def __rsub__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return other - self

    def __neg__(self) -> Dual:
        return Dual(-self.data, -self.dot)  # (13.3)

    def __mul__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return Dual(self.data * other.data, self.dot * other.data + self.data * other.dot)  # (13.4)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        a, b = self.data, other.data
        if b == 0:
            raise ZeroDivisionError(f"division by a Dual whose value is 0 (dividend {a:.6g})")
        return Dual(a / b, self.dot / b - a * other.dot / (b * b))  # (13.5)

    def __rtruediv__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return other / self

    def __pow__(self, p: Any) -> Dual:
        if isinstance(p, bool) or not isinstance(p, numbers.Real):
            raise TypeError(f"the exponent p must be a real number, got {type(p).__name__} {p!r:.40}")
        return Dual(self.data**p, p * self.data ** (p - 1) * self.dot)  # (13.6)

    def exp(self) -> Dual:
        c = math.exp(self.data)
        return Dual(c, c * self.dot)  # (13.7)

    def log(self) -> Dual:
        if self.data <= 0:
            raise ValueError(f"log needs a positive Dual, got {self.data:.6g}")
        return Dual(math.log(self.data), self.dot / self.data)  # (13.8)

    def sigmoid(self) -> Dual:
        a = self.data
        c = 1 / (1 + math.exp(-a)) if a >= 0 else math.exp(a) / (1 + math.exp(a))
        return Dual(c, c * (1 - c) * self.dot)  # (13.9)

    def tanh(self) -> Dual:
        c = math.tanh(self.data)
        return Dual(c, (1 - c * c) * self.dot)  # (13.10)

    def relu(self) -> Dual:
        a = self.data
        return Dual(max(a, 0.0), self.dot if a > 0 else 0.0)  # (13.11)


def _lift(other: Any) -> Any:
    if isinstance(other, Dual):
        return other
    if type(other) is float or isinstance(other, numbers.Real) and not isinstance(other, bool):
        return Dual(float(other))
    return NotImplemented


def forward_mode_gradients(
    weights: list[Any],
    biases: list[Any],
    x: Any,
    t: Any,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "l2",
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    r"""Every weight and bias gradient by forward mode: one pass of dual numbers per parameter.

    $$ \frac{\partial L}{\partial \theta_p}
       = \operatorname{dual}\Bigl(L\bigl(\boldsymbol{\theta} + \mathbf{e}_p\,\varepsilon\bigr)\Bigr),
       \qquad p = 1, \dots, P $$

    Equation (13.16): seed parameter $p$ with $\dot\theta_p = 1$ and every
    other with 0, run the forward pass (13.12) on dual numbers, and the
    derivative part of the loss is $\partial L / \partial \theta_p$. A network
    with $P$ weights and biases needs $P$ passes; ``reverse_mode_gradients``
    needs one forward and one backward sweep.

    Parameters
    ----------
    weights, biases, x, t, hidden, output, loss
        As for ``backprop``.

    Returns
    -------
    (weight_grads, bias_grads)
        Lists of float64 arrays shaped like ``weights`` and ``biases``.

    Examples
    --------
    >>> from backprop_book import running_example, backprop, relative_error
    >>> ex = running_example()
    >>> weight_grads, bias_grads = forward_mode_gradients(ex.weights, ex.biases, ex.x, ex.t)
    >>> bias_grads[1].round(4)
    array([-0.0983,  0.1318])
    >>> relative_error(weight_grads + bias_grads,
    ...                sum(backprop(ex.weights, ex.biases, ex.x, ex.t), [])) < 1e-12
    True
    """
    W, B, X, T = _scalars.checked(weights, biases, x, t, hidden, output, loss)
    params, X, T = [*W, *B], X.tolist(), T.tolist()
    grads = [np.zeros_like(p) for p in params]
    for q, p in enumerate(params):
        for index in np.ndindex(p.shape):  # one forward pass per weight and bias
            seeded = [_duals(r, index if r is p else None) for r in params]
            L, _, _ = _scalars.network_loss(
                seeded[: len(W)], seeded[len(W) :], X, T,
                hidden=hidden, output=output, loss=loss,
            )
            grads[q][index] = L.dot
    return grads[: len(W)], grads[len(W) :]


def _duals(p: np.ndarray, seed: tuple | None) -> list:
    """``p`` as nested lists of Dual numbers, with derivative part 1 at ``seed`` only."""
    rows = [[Dual(v) for v in row] for row in p] if p.ndim == 2 else [Dual(v) for v in p]
    if seed is not None:
        cell = rows[seed[0]][seed[1]] if p.ndim == 2 else rows[seed[0]]
        cell.dot = 1.0
    return rows
