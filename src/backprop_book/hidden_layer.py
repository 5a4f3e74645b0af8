r"""Backpropagation for a hidden layer (Chapter 5) and its matrix form (Chapter 6)."""

from __future__ import annotations


from . import _checks
from ._checks import Array
from .activation import dy_da


@_checks.validated(_checks.delta_and_weights)
def dL_dh(delta: Array, u: Array) -> Array:
    r"""The error reaching a hidden unit from every unit it feeds.

    $$ \frac{\partial L}{\partial h_j} = \sum_k \delta_k u_{jk} $$

    Equation (5.1). A hidden unit has no target of its own; its share of the
    loss arrives through every weight $u_{jk}$ leaving it, weighted by that
    output's $\delta_k$.

    Parameters
    ----------
    delta : array, shape (n_D,) or (N, n_D)
        Deltas $\delta_k$ of the next layer.
    u : array, shape (n_1, n_D)
        Weights $u_{jk}$ from this layer to the next.

    Returns
    -------
    array, shape (n_1,) or (N, n_1)
        $\partial L / \partial h_j$ for every hidden unit (and sample).

    Examples
    --------
    >>> from backprop_book import running_example, forward, output_delta
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> dL_dh(output_delta(y, ex.t), ex.weights[1]).round(4)
    array([-0.1083,  0.0755,  0.0759])
    """
    return delta @ u.T  # sum_k delta_k u_jk


@_checks.validated(_checks.hidden_layer)
def hidden_delta(delta: Array, u: Array, h: Array) -> Array:
    r"""The delta of a hidden sigmoid unit: the error reaching it times its slope.

    $$ \delta_j = \sum_k \delta_k u_{jk}\, h_j (1 - h_j), \qquad
       \boldsymbol{\Delta}^{(l)} = \bigl(\boldsymbol{\Delta}^{(l+1)} \mathbf{W}^{(l+1)\top}\bigr)
       \odot \mathbf{H}^{(l)} \odot (1 - \mathbf{H}^{(l)}) $$

    Equation (5.2), and Equation (6.1) for any layer and a batch: the recursion
    that carries deltas from the output back to the first layer.

    Parameters
    ----------
    delta : array, shape (n_{l+1},) or (N, n_{l+1})
        Deltas $\delta_k$ of the next layer, $\boldsymbol{\delta}^{(l+1)}$.
    u : array, shape (n_l, n_{l+1})
        Weights $u_{jk}$ from this layer to the next, $\mathbf{W}^{(l+1)}$.
    h : array, shape (n_l,) or (N, n_l)
        This layer's activations $h_j$, $\mathbf{h}^{(l)}$.

    Returns
    -------
    array, same shape as h

    Examples
    --------
    >>> from backprop_book import running_example, forward, output_delta
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> hidden_delta(output_delta(y, ex.t), ex.weights[1], h).round(4)
    array([-0.0265,  0.0188,  0.0189])
    """
    delta_h = dL_dh(delta, u)  # sum_k delta_k u_jk, a new array
    delta_h *= dy_da(h)  # times h_j (1 - h_j), in place: one batch-sized array fewer
    return delta_h
