r"""Why depth is hard, and the starting weights that fix it (Chapter 14).

Backpropagation multiplies the error by one layer's transposed weights and its
slopes per layer (6.1), so in a deep network the gradient of the first layers is
a long product: it shrinks or grows geometrically with the depth unless each
factor is about 1. ``layer_gradient_norms`` measures that, layer by layer.
The initialisations choose the variance of the starting weights so that the
variance of the pre-activations stays the same from layer to layer: Glorot and
Bengio's for tanh- and sigmoid-like units, He et al.'s for ReLU, and the plain
$\mathcal{N}(0, \sigma^2)$ for comparison.

Each initialiser draws with NumPy's generator from ``seed`` and hands the
numbers to the namespace of ``like`` (PyTorch, JAX, array-api-strict, ...), so
one seed gives the same network in every library. Biases start at zero.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import array_api_compat
import numpy as np

from . import _checks
from ._checks import Array
from .general import backprop


def _check_sizes(sizes: Any) -> list[int]:
    """The layer widths ``[n_0, ..., n_D]`` as Python ints, or an error naming ``sizes``."""
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
        raise ValueError(
            f"sizes must list at least two layer widths (n_0, ..., n_D), got {sizes!r}"
        )
    return [_checks.integer(f"sizes[{l}]", n, 1) for l, n in enumerate(sizes)]


def _check_like(like: Any) -> None:
    if like is None:
        return
    if not (type(like) is np.ndarray or (
            array_api_compat.is_array_api_obj(like) and not isinstance(like, np.generic))):
        raise TypeError(
            "like must be an array (its library, dtype and device are used), "
            f"got {type(like).__name__}"
        )
    xp = array_api_compat.array_namespace(like)
    if not xp.isdtype(like.dtype, "real floating"):
        raise TypeError(f"like must have a real floating dtype, got {like.dtype}")


def _draw(
    sizes: Any, seed: Any, like: Any, variance: Callable[[int, int], float]
) -> tuple[list[Any], list[Any]]:
    """Check the arguments; weights ``N(0, variance(n_(l-1), n_l))`` and zero biases, in ``like``'s library."""
    sizes = _check_sizes(sizes)
    _checks.integer("seed", seed, 0)
    _check_like(like)
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((m, n)) * math.sqrt(variance(m, n)) for m, n in zip(sizes, sizes[1:])]
    biases = [np.zeros(n) for n in sizes[1:]]
    if like is None:
        return weights, biases
    xp = array_api_compat.array_namespace(like)
    device = array_api_compat.device(like)

    def convert(a: np.ndarray) -> Any:
        return xp.asarray(a, dtype=like.dtype, device=device)

    return [convert(w) for w in weights], [convert(b) for b in biases]


def normal_init(
    sizes: Sequence[int], sigma: float = 1.0, *, seed: int = 0, like: Array | None = None
) -> tuple[list[Array], list[Array]]:
    r"""Starting weights drawn from one normal distribution, whatever the layer's width.

    $$ w^{(l)}_{ij} \sim \mathcal{N}(0, \sigma^2) $$

    Equation (14.2). With $\sigma = 1$ (the earlier chapters' choice) a wide
    layer's pre-activations have variance $n_{l-1} \cdot E[h^2]$, so deep
    networks saturate or explode; with a tiny $\sigma$ the signal dies out.

    Parameters
    ----------
    sizes : sequence of int
        The layer widths $n_0, n_1, \dots, n_D$ (at least two).
    sigma : float
        The standard deviation $\sigma > 0$.
    seed : int
        Seed of NumPy's generator: the same seed gives the same weights.
    like : array, optional
        An array whose library, dtype and device the weights take (NumPy
        float64 when omitted).

    Returns
    -------
    (weights, biases)
        ``weights[l-1]`` of shape (n_(l-1), n_l) and zero ``biases[l-1]`` of
        shape (n_l,), ready for ``forward``, ``backprop`` and ``train``.

    Examples
    --------
    >>> weights, biases = normal_init([2, 3, 2], sigma=0.5, seed=0)
    >>> [w.shape for w in weights], biases[0]
    ([(2, 3), (3, 2)], array([0., 0., 0.]))
    >>> weights[0].round(3)
    array([[ 0.063, -0.066,  0.32 ],
           [ 0.052, -0.268,  0.181]])
    """
    if isinstance(sigma, (bool, np.bool_)) or not _checks.is_scalar(sigma):
        raise TypeError(f"sigma must be a number, got {type(sigma).__name__}")
    if not 0 < sigma < math.inf:
        raise ValueError(f"sigma must be a positive finite number, got {sigma}")
    return _draw(sizes, seed, like, lambda m, n: float(sigma) ** 2)  # Var(w) = sigma^2


def xavier_init(
    sizes: Sequence[int], *, seed: int = 0, like: Array | None = None
) -> tuple[list[Array], list[Array]]:
    r"""Glorot and Bengio's (Xavier) starting weights, for tanh- and sigmoid-like units.

    $$ w^{(l)}_{ij} \sim \mathcal{N}\Bigl(0, \frac{2}{n_{l-1} + n_l}\Bigr) $$

    Equation (14.3): $n_{l-1}\operatorname{Var}(w) = 1$ keeps the variance of
    the pre-activations from layer to layer, $n_l \operatorname{Var}(w) = 1$
    keeps that of the deltas; the harmonic compromise serves both.

    Parameters
    ----------
    sizes, seed, like
        As for :func:`normal_init`, which also describes the ``(weights, biases)`` returned.

    Examples
    --------
    >>> weights, biases = xavier_init([1000, 400, 10], seed=0)
    >>> [round(float(w.var() * (w.shape[0] + w.shape[1])), 1) for w in weights]  # (n_(l-1) + n_l) Var(w)
    [2.0, 2.0]
    """
    return _draw(sizes, seed, like, lambda m, n: 2.0 / (m + n))  # Var(w) = 2/(n_(l-1) + n_l)


def he_init(sizes: Sequence[int], *, seed: int = 0, like: Array | None = None) -> tuple[list[Array], list[Array]]:
    r"""He et al.'s starting weights, for ReLU units.

    $$ w^{(l)}_{ij} \sim \mathcal{N}\Bigl(0, \frac{2}{n_{l-1}}\Bigr) $$

    Equation (14.4): a ReLU passes half of a symmetric pre-activation's second
    moment, $E[h^2] = \operatorname{Var}(a)/2$, so keeping
    $\operatorname{Var}(a)$ flat needs twice the variance Xavier's
    forward condition gives.

    Parameters
    ----------
    sizes, seed, like
        As for :func:`normal_init`, which also describes the ``(weights, biases)`` returned.

    Examples
    --------
    >>> weights, biases = he_init([1000, 400, 10], seed=0)
    >>> [round(float(w.var() * w.shape[0]), 1) for w in weights]  # n_(l-1) Var(w)
    [2.0, 2.0]
    """
    return _draw(sizes, seed, like, lambda m, n: 2.0 / m)  # Var(w) = 2/n_(l-1)


def layer_gradient_norms(
    weights: list[Array],
    biases: list[Array],
    x: Array,
    t: Array,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "l2",
) -> list[float]:
    r"""The size of each layer's weight gradient: how much of the error reaches it.

    $$ \bigl\|\nabla_{\mathbf{W}^{(l)}} L\bigr\| =
       \Bigl(\sum_{i,j} \bigl(\tfrac{\partial L}{\partial w^{(l)}_{ij}}\bigr)^2\Bigr)^{1/2},
       \qquad l = 1, \dots, D $$

    Equation (14.1), the Frobenius norm of each weight gradient that
    :func:`backprop_book.backprop` returns (Equation (6.2)).

    Parameters
    ----------
    weights, biases, x, t
        The network and a batch, as for :func:`backprop_book.backprop`.
    hidden, output, loss : str
        The activations and loss (Chapter 11).

    Returns
    -------
    list of float
        One norm per weight layer, first layer first.

    Examples
    --------
    >>> from backprop_book import running_example
    >>> ex = running_example()
    >>> [round(g, 3) for g in layer_gradient_norms(ex.weights, ex.biases, ex.x, ex.t)]
    [0.042, 0.151]
    """
    weight_grads, _ = backprop(weights, biases, x, t, hidden=hidden, output=output, loss=loss)
    xp = array_api_compat.array_namespace(*weight_grads)
    return [math.sqrt(float(xp.sum(g * g))) for g in weight_grads]  # ||dL/dW^(l)||
