r"""Backpropagation for the output layer (Chapter 4)."""

from __future__ import annotations

from typing import Any

from . import _checks
from .activation import dy_da
from .loss import dL_dy


@_checks.validated(_checks.outputs_and_targets)
def output_delta(y: Any, t: Any) -> Any:
    r"""The error signal of a sigmoid output unit under the L2 loss.

    $$ \delta_j = \frac{\partial L}{\partial y_j}\frac{\partial y_j}{\partial a^{(2)}_j}
                = (y_j - t_j)\, y_j (1 - y_j) $$

    Equation (4.4): the product of Equations (4.2) and (4.3). It is
    $\partial L / \partial a^{(2)}_j$, the loss's sensitivity to the unit's
    pre-activation.

    Parameters
    ----------
    y : array, shape (k,) or (n, k)
        Outputs.
    t : array, same shape as ``y``
        Targets.

    Returns
    -------
    array, same shape as ``y``
        $\delta$ for every output unit (and sample).

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
def weight_gradient(inputs: Any, delta: Any) -> Any:
    r"""Gradient of the loss with respect to a weight matrix: input times delta.

    $$ \frac{\partial L}{\partial u_{ij}} = \delta_j h_i, \qquad
       \frac{\partial L}{\partial w_{ij}} = \delta_j x_i, \qquad
       \nabla_{\mathbf{W}} L = \mathbf{X}^\top \boldsymbol{\Delta} $$

    Equation (4.5) for $u$ (``inputs`` = $h$), Equation (5.3) for $w$
    (``inputs`` = $x$) and Equation (6.2) for a batch: one function, because
    $\partial a_j / \partial w_{ij}$ is the input $x_i$ in every layer.

    Parameters
    ----------
    inputs : array, shape (n_in,) or (batch, n_in)
        What the layer received: $x$, $h$, ...
    delta : array, shape (n_out,) or (batch, n_out)
        The layer's deltas, with the same batch size as ``inputs``.

    Returns
    -------
    array, shape (n_in, n_out)
        The outer product $x_i \delta_j$, summed over the batch.

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
