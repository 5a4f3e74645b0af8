r"""How the book checks its own derivatives (Chapter 10)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import _checks, choices
from ._checks import Array
from .general import backprop
from .network import network_loss


def _check_numerical_gradient(f: Any, param: Any, eps: Any = 1e-5) -> tuple[Any, tuple, dict, bool]:
    f = _checks.scalar_function(f)  # the user's f: checked again, and its value too
    eps = _checks.step(eps)
    xp, param = _checks.arrays(param=param)
    return xp, (f, param, eps), {}, False


@_checks.validated(_check_numerical_gradient)
def numerical_gradient(f: Callable[[Array], Any], param: Array, eps: float = 1e-5) -> np.ndarray:
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
    numpy.ndarray, float64, shaped like param

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
    xp = _checks.xp()
    theta = _checks.copy(xp, param, xp.float64)  # differences need float64's digits
    grad = np.empty(tuple(theta.shape))
    for i in np.ndindex(grad.shape):
        plus, minus = _checks.copy(xp, theta), _checks.copy(xp, theta)
        plus[i] = theta[i] + eps  # theta + eps e_i
        minus[i] = theta[i] - eps  # theta - eps e_i
        grad[i] = (float(f(plus)) - float(f(minus))) / (2 * eps)
    return grad if xp is _checks.NUMPY else xp.asarray(grad.tolist(), dtype=xp.float64)


def _vector(xp: Any, value: Any) -> Any:
    # one flat float64 vector from an array or a list of arrays (a list is one long vector)
    parts = value if isinstance(value, (list, tuple)) else [value]
    vectors = [xp.reshape(xp.astype(_checks.plain(p), xp.float64), (-1,)) for p in parts]
    return xp.concat(vectors) if vectors else xp.zeros(0, dtype=xp.float64)


@_checks.validated(_checks.two_gradients)
def relative_error(a: Array, b: Array) -> float:
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
    xp = _checks.xp()
    a, b = _vector(xp, a), _vector(xp, b)
    # divide by the largest magnitude first: the norms neither underflow nor overflow
    scale = max([float(xp.max(xp.abs(v))) for v in (a, b) if v.shape[0]], default=0.0)
    if scale == 0:
        return 0.0
    a, b = a / scale, b / scale
    norm = max(float(xp.linalg.vector_norm(a)), float(xp.linalg.vector_norm(b)))
    return float(xp.linalg.vector_norm(a - b)) / norm


def _check_gradient_check(
    weights: Any, biases: Any, x: Any, t: Any, eps: Any = 1e-5, **choice: str
) -> tuple[Any, tuple, dict, bool]:
    eps = _checks.step(eps)
    xp, (weights, biases, x, t), choice, _ = choices.check_network(weights, biases, x, t, **choice)
    return xp, (weights, biases, x, t, eps), choice, False


@_checks.validated(_check_gradient_check)
def numerical_backprop(
    weights: list[Array],
    biases: list[Array],
    x: Array,
    t: Array,
    eps: float = 1e-5,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "l2",
) -> tuple[list[Array], list[Array]]:
    r"""Every weight and bias gradient by central differences: what ``backprop`` should return.

    $$ \frac{\partial L}{\partial \theta_i} \approx
       \frac{L(\boldsymbol{\theta} + \varepsilon \mathbf{e}_i) - L(\boldsymbol{\theta} - \varepsilon \mathbf{e}_i)}{2\varepsilon} $$

    Equation (10.1) for every parameter of the network, in float64, with the
    loss of ``network_loss``: two forward passes per weight and bias, where
    ``backprop`` needs one forward and one backward pass for all of them.

    Parameters
    ----------
    weights, biases, x, t, hidden, output, loss
        As for :func:`backprop_book.backprop`.
    eps : float
        The step $\varepsilon$ of the central differences.

    Returns
    -------
    (weight_grads, bias_grads)
        Lists shaped like ``weights`` and ``biases``, float64.

    Examples
    --------
    >>> from backprop_book import running_example, backprop
    >>> ex = running_example()
    >>> weight_grads, bias_grads = numerical_backprop(ex.weights, ex.biases, ex.x, ex.t)
    >>> bias_grads[1].round(4)
    array([-0.0983,  0.1318])
    """
    choice = {"hidden": hidden, "output": output, "loss": loss}
    xp = _checks.xp()
    *params, x, t = [_checks.copy(xp, p, xp.float64) for p in [*weights, *biases, x, t]]  # in float64
    n = len(weights)
    numeric = []
    for l, p in enumerate(params):

        def loss_of(q: Any, l: int = l) -> Any:  # L as a function of parameter l alone
            trial = params[:l] + [q] + params[l + 1 :]
            return network_loss(trial[:n], trial[n:], x, t, **choice)

        numeric.append(numerical_gradient(loss_of, p, eps))  # (10.1) for every entry of p
    return numeric[:n], numeric[n:]


@_checks.validated(_check_gradient_check)
def gradient_check(
    weights: list[Array],
    biases: list[Array],
    x: Array,
    t: Array,
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
    the numerical gradients of ``numerical_backprop``, Equation (10.1).

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
    choice = {"hidden": hidden, "output": output, "loss": loss}
    weight_grads, bias_grads = backprop(weights, biases, x, t, **choice)
    numeric_weights, numeric_biases = numerical_backprop(weights, biases, x, t, eps, **choice)
    return relative_error(weight_grads + bias_grads, numeric_weights + numeric_biases)  # (10.2)
