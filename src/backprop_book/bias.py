r"""The bias gradient, which the source writes in the forward pass but never derives (Chapter 7)."""

from __future__ import annotations


from . import _checks
from ._checks import Array


@_checks.validated(_checks.delta_only)
def bias_gradient(delta: Array) -> Array:
    r"""Gradient of the loss with respect to a layer's biases: the layer's delta.

    $$ \frac{\partial L}{\partial b_j} = \frac{\partial L}{\partial a_j}
       \frac{\partial a_j}{\partial b_j} = \delta_j \cdot 1, \qquad
       \nabla_{\mathbf{b}^{(l)}} L = \sum_{s=1}^{N} \boldsymbol{\delta}^{(l)}_s $$

    Equation (7.1). A bias is a weight whose input is always 1, so Equation
    (4.5) with $h_j = 1$ gives it; over a batch of $N$ samples their deltas add up.

    Parameters
    ----------
    delta : array, shape (n_l,) or (N, n_l)
        The layer's deltas.

    Returns
    -------
    array, shape (n_l,)
        A new array (never ``delta`` itself).

    Examples
    --------
    >>> from backprop_book import running_example, forward, output_delta, weight_gradient
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> delta = output_delta(y, ex.t)
    >>> bias_gradient(delta).round(4)
    array([-0.0983,  0.1318])

    It is the weight gradient of a unit whose input is constantly 1:

    >>> import numpy as np
    >>> bool(np.allclose(bias_gradient(delta), weight_gradient(np.ones(1), delta)[0]))
    True
    """
    xp = _checks.xp()
    if delta.ndim == 1:
        return _checks.copy(xp, delta)  # delta_j
    return xp.sum(delta, axis=0)  # sum_n delta_nj
