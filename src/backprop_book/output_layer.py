r"""Backpropagation for the output layer (Chapter 4)."""

from __future__ import annotations


from . import _checks
from ._checks import Array
from .activation import dy_da
from .loss import dL_dy


@_checks.validated(_checks.outputs_and_targets)
def output_delta(y: Array, t: Array) -> Array:
    r"""The error signal of a sigmoid output unit under the L2 loss.

    $$ \delta_k = \frac{\partial L}{\partial y_k}\frac{\partial y_k}{\partial a^{(2)}_k}
                = (y_k - t_k)\, y_k (1 - y_k) $$

    Equation (4.4): the product of Equations (4.2) and (4.3). It is
    $\partial L / \partial a^{(2)}_k$, the loss's sensitivity to output $k$'s
    pre-activation.

    Parameters
    ----------
    y : array, shape (n_D,) or (N, n_D)
        Outputs $y_k$ (one row per sample).
    t : array, same shape as y
        Targets.

    Returns
    -------
    array, same shape as y
        $\delta_k$ for every output $k$ (and sample).

    Examples
    --------
    >>> from backprop_book import running_example, forward, dL_dy, dy_da
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> output_delta(y, ex.t).round(4)
    array([-0.0983,  0.1318])
    >>> import numpy as np
    >>> bool(np.allclose(output_delta(y, ex.t), dL_dy(y, ex.t) * dy_da(y)))
    True
    """
    return dL_dy(y, t) * dy_da(y)  # (y_j - t_j) y_j (1 - y_j)


@_checks.validated(_checks.inputs_and_delta)
def weight_gradient(inputs: Array, delta: Array) -> Array:
    r"""Gradient of the loss with respect to a weight matrix: input times delta.

    $$ \frac{\partial L}{\partial u_{jk}} = \delta_k h_j, \qquad
       \frac{\partial L}{\partial w_{ij}} = \delta_j x_i, \qquad
       \nabla_{\mathbf{W}^{(l)}} L = \mathbf{H}^{(l-1)\top} \boldsymbol{\Delta}^{(l)} $$

    Equation (4.5) for $\mathbf{u}$ (``inputs`` = $\mathbf{h}$), Equation (5.3)
    for $\mathbf{w}$ (``inputs`` = $\mathbf{x}$) and Equation (6.2) for any
    layer and a batch: one function, because a pre-activation's slope with
    respect to a weight is the input at the weight's tail in every layer.

    Parameters
    ----------
    inputs : array, shape (n_in,) or (N, n_in)
        What the layer received: $\mathbf{x}$, $\mathbf{h}$, ... ($\mathbf{h}^{(l-1)}$).
    delta : array, shape (n_out,) or (N, n_out)
        The layer's deltas, with the same batch size as ``inputs``.

    Returns
    -------
    array, shape (n_in, n_out)
        The outer product of input and delta (entry $(i, j)$ is $h^{(l-1)}_i \delta^{(l)}_j$),
        summed over the batch.

    Examples
    --------
    >>> from backprop_book import running_example, forward, output_delta
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> weight_gradient(h, output_delta(y, ex.t)).round(4)
    array([[-0.0564,  0.0757],
           [-0.0528,  0.0708],
           [-0.0467,  0.0626]])

    A batch's gradient is the sum of its samples' gradients:

    >>> import numpy as np
    >>> H, D = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5], [-1.0]])
    >>> weight_gradient(H, D)
    array([[-2.5],
           [-3. ]])
    """
    if inputs.ndim == 1:
        return _checks.xp().reshape(inputs, (-1, 1)) * delta  # x_i delta_j
    return inputs.T @ delta  # sum_n x_ni delta_nj
