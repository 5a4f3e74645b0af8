r"""The sigmoid activation and its derivative (Chapter 3, used again in Chapters 4 and 5)."""

from __future__ import annotations


from . import _checks
from ._checks import Array


@_checks.validated(_checks.elementwise("a"))
def sigmoid(a: Array) -> Array:
    r"""The logistic sigmoid, squashing a pre-activation into (0, 1).

    $$ \sigma(a) = \frac{1}{1 + e^{-a}} $$

    Equation (3.2). Computed as $e^{-|a|}$ divided by $1 + e^{-|a|}$ on the
    negative side and $1/(1 + e^{-|a|})$ on the positive side: one
    exponential, never of a positive number, so no input overflows. The
    numerator is $\max(e^{-|a|}, \operatorname{sign} a)$, which picks the
    side without a branch (``where`` with a random mask is several times slower).
    A library with a sigmoid kernel of its own (PyTorch's ``torch.sigmoid``)
    computes the same function in one call instead of seven.

    Parameters
    ----------
    a : array of any shape, or a Python number
        Pre-activations $a = xW + b$.

    Returns
    -------
    array of the same shape and dtype (a float for a number)
        $\sigma(a)$, elementwise.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_book import running_example, pre_activation
    >>> ex = running_example()
    >>> a1 = pre_activation(ex.x, ex.weights[0], ex.biases[0])
    >>> sigmoid(a1).round(4)
    array([0.5744, 0.5374, 0.475 ])
    >>> sigmoid(0.0)
    0.5
    >>> float(sigmoid(-1000.0)), float(sigmoid(1000.0))
    (0.0, 1.0)

    The sigmoid is antisymmetric about one half: $\sigma(-a) = 1 - \sigma(a)$.

    >>> bool(np.allclose(sigmoid(-a1), 1 - sigmoid(a1)))
    True
    """
    xp = _checks.xp()
    if hasattr(xp, "sigmoid"):  # PyTorch's own kernel of this formula: one call, not seven
        return xp.sigmoid(a)
    e = xp.exp(-xp.abs(a))  # e^{-|a|} lies in (0, 1]
    s = xp.maximum(e, xp.sign(a)) / (1 + e)  # numerator 1 where a > 0, e^{-|a|} where a <= 0
    return xp.asarray(s) if s.ndim == 0 else s  # NumPy operators turn a 0-d result into a scalar


@_checks.validated(_checks.elementwise("y"))
def dy_da(y: Array) -> Array:
    r"""Derivative of a sigmoid unit's output with respect to its pre-activation, from the output.

    $$ \frac{\partial y_k}{\partial a^{(2)}_k} = \sigma\bigl(a^{(2)}_k\bigr)\bigl(1 - \sigma\bigl(a^{(2)}_k\bigr)\bigr)
       = y_k (1 - y_k) $$

    Equation (4.3); the same factor for a hidden unit, $h_j(1 - h_j)$, is
    Equation (5.2)'s last term. It takes the *activation* $y = \sigma(a)$, not
    $a$: backpropagation already has $y$ from the forward pass.

    Parameters
    ----------
    y : array of any shape
        Sigmoid outputs, each in [0, 1].

    Returns
    -------
    array of the same shape
        $y(1 - y)$, elementwise.

    Examples
    --------
    >>> from backprop_book import running_example, forward
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> dy_da(y).round(4)
    array([0.2414, 0.2492])

    It peaks at one quarter, where $y = 1/2$:

    >>> float(dy_da(0.5))
    0.25
    """
    return y * (1 - y)  # y_j (1 - y_j)


@_checks.validated(_checks.elementwise("a"))
def sigmoid_prime(a: Array) -> Array:
    r"""Derivative of the sigmoid, written with the sigmoid itself.

    $$ \sigma'(a) = \sigma(a)\bigl(1 - \sigma(a)\bigr) $$

    Equation (3.3). Computed as $\sigma(a)\,\sigma(-a)$, the same number since
    $1 - \sigma(a) = \sigma(-a)$: subtracting from 1 would lose every digit for
    large positive $a$ ($\sigma(40)$ rounds to 1.0), so $\sigma'(a) = \sigma'(-a)$ holds.

    Parameters
    ----------
    a : array of any shape, or a Python number
        Pre-activations.

    Returns
    -------
    array of the same shape (a float for a number)
        $\sigma'(a)$, elementwise; at most $1/4$, reached at $a = 0$.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_book import running_example, pre_activation
    >>> ex = running_example()
    >>> a1 = pre_activation(ex.x, ex.weights[0], ex.biases[0])
    >>> sigmoid_prime(a1).round(4)
    array([0.2445, 0.2486, 0.2494])
    >>> sigmoid_prime(0.0)
    0.25

    It matches a central difference of the sigmoid:

    >>> eps = 1e-6
    >>> numeric = (sigmoid(a1 + eps) - sigmoid(a1 - eps)) / (2 * eps)
    >>> bool(np.allclose(sigmoid_prime(a1), numeric))
    True
    """
    return sigmoid(a) * sigmoid(-a)  # sigma(a) (1 - sigma(a)), with 1 - sigma(a) = sigma(-a)
