r"""How the book checks its own derivatives (Chapter 10)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import _checks


def numerical_gradient(f: Callable[[Any], Any], param: Any, eps: float = 1e-5) -> np.ndarray:
    r"""Estimate a gradient by central differences, one coordinate at a time.

    $$ \frac{\partial f}{\partial \theta_i} \approx
       \frac{f(\boldsymbol{\theta} + \varepsilon \mathbf{e}_i) - f(\boldsymbol{\theta} - \varepsilon \mathbf{e}_i)}{2\varepsilon} $$

    Equation (10.1). The error of the estimate shrinks like $\varepsilon^2$, so
    $\varepsilon = 10^{-5}$ gives about ten correct digits in float64.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``param`` and returns a scalar.
    param : array
        Where to take the gradient. Not modified: ``f`` receives copies.
    eps : float
        The step $\varepsilon$.

    Returns
    -------
    numpy.ndarray, float64, shaped like ``param``

    Examples
    --------
    >>> from backprop_book import running_example, backprop, forward, l2_loss
    >>> ex = running_example()
    >>> def loss_of_u(u):
    ...     return l2_loss(forward([ex.weights[0], u], ex.biases, ex.x)[-1], ex.t)
    >>> numerical_gradient(loss_of_u, ex.weights[1]).round(4)
    array([[-0.0564,  0.0757],
           [-0.0528,  0.0708],
           [-0.0467,  0.0626]])
    >>> f = lambda v: (v ** 3).sum()
    >>> numerical_gradient(f, np.array([1.0, 2.0])).round(6)
    array([ 3., 12.])
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    _checks.arrays(param=param)  # a TypeError naming param unless it holds numbers
    theta = np.array(param, dtype=np.float64, copy=True)
    grad = np.empty_like(theta)
    for i in np.ndindex(theta.shape):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += eps  # theta + eps e_i
        minus[i] -= eps  # theta - eps e_i
        grad[i] = (float(f(plus)) - float(f(minus))) / (2 * eps)
    return grad


def _flat(name: str, a: Any) -> np.ndarray:
    parts = a if isinstance(a, (list, tuple)) else [a]
    # through _checks.arrays: None or text is a TypeError naming the argument, not a NaN
    flat = [np.ravel(np.asarray(_checks.arrays(**{name: p})[1], dtype=np.float64)) for p in parts]
    return np.concatenate(flat) if flat else np.zeros(0)


def relative_error(a: Any, b: Any) -> float:
    r"""How far apart two gradients are, relative to the larger one.

    $$ \mathrm{err}(\mathbf{a}, \mathbf{b}) = \frac{\lVert \mathbf{a} - \mathbf{b} \rVert}
       {\max(\lVert \mathbf{a} \rVert, \lVert \mathbf{b} \rVert)} $$

    Equation (10.2); zero when both are zero. Norms rather than elementwise
    ratios, since an entry near zero makes its own ratio meaningless.

    Parameters
    ----------
    a, b : array, or list of arrays
        Same total size; lists are compared as one long vector.

    Returns
    -------
    float
        In [0, 2]; below 1e-7 means agreement to about seven digits.

    Examples
    --------
    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9])) < 1e-9
    True
    >>> relative_error(np.zeros(3), np.zeros(3))
    0.0
    """
    a, b = _flat("a", a), _flat("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a has {a.size} numbers but b has {b.size}; they must match")
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def gradient_check(
    weights: list[Any],
    biases: list[Any],
    x: Any,
    t: Any,
    eps: float = 1e-5,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "l2",
) -> float:
    r"""Compare ``backprop`` with central differences on every weight and bias.

    $$ \mathrm{err}\bigl(\nabla_{\boldsymbol{\theta}} L_{\text{backprop}},\;
       \nabla_{\boldsymbol{\theta}} L_{\text{numerical}}\bigr) < 10^{-7} $$

    Equation (10.3): Equation (10.2) applied to all parameters at once, with
    the numerical gradient of Equation (10.1).

    Parameters
    ----------
    weights, biases, x, t
        As for :func:`backprop_book.backprop`.
    eps : float
        Step of the central differences.
    hidden, output, loss : str
        The activations and loss (Chapter 11), as for :func:`backprop_book.backprop`;
        the numerical gradient is taken of the same loss.

    Returns
    -------
    float
        The relative error over all parameters together.

    Examples
    --------
    >>> from backprop_book import running_example
    >>> ex = running_example()
    >>> gradient_check(ex.weights, ex.biases, ex.x, ex.t) < 1e-7
    True
    >>> gradient_check(ex.weights, ex.biases, ex.x, ex.t,
    ...                hidden="tanh", output="softmax", loss="cross_entropy") < 1e-7
    True
    """
    from .activations_and_losses import _network_loss
    from .general import backprop

    weight_grads, bias_grads = backprop(weights, biases, x, t, hidden=hidden, output=output, loss=loss)
    params = list(weights) + list(biases)
    numeric = []
    for l, p in enumerate(params):

        def loss_of(q: np.ndarray, l: int = l) -> float:
            trial = params[:l] + [q] + params[l + 1 :]
            n = len(weights)
            return _network_loss(trial[:n], trial[n:], x, t, hidden, output, loss)

        numeric.append(numerical_gradient(loss_of, p, eps))
    return relative_error(weight_grads + bias_grads, numeric)
