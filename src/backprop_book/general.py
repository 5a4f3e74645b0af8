r"""Backpropagation for any depth, batched (Chapter 6)."""

from __future__ import annotations

from typing import Any

from . import _checks
from .bias import bias_gradient
from .hidden_layer import hidden_delta
from .network import forward
from .output_layer import output_delta, weight_gradient


def backprop(
    weights: list[Any], biases: list[Any], x: Any, t: Any
) -> tuple[list[Any], list[Any]]:
    r"""Every weight and bias gradient of a sigmoid network under the L2 loss.

    $$ \boldsymbol{\delta}^{(L)} = (\mathbf{y} - \mathbf{t}) \odot \mathbf{y} \odot (1 - \mathbf{y}), \quad
       \boldsymbol{\delta}^{(l)} = \bigl(\boldsymbol{\delta}^{(l+1)} \mathbf{W}^{(l+1)\top}\bigr)
           \odot \mathbf{h}^{(l)} \odot (1 - \mathbf{h}^{(l)}), \quad
       \frac{\partial L}{\partial w^{(l)}_{ij}} = \delta^{(l)}_j h^{(l-1)}_i $$

    Equation (6.3): one forward pass (2.2), the output delta (4.4), then the
    recursion (6.1) from the last layer to the first, with the weight (6.2)
    and bias (7.1) gradients of each layer on the way. Built only from those
    functions: no second copy of the math.

    Parameters
    ----------
    weights : list of arrays
        ``weights[l]`` has shape (n_l, n_(l+1)).
    biases : list of arrays
        ``biases[l]`` has shape (n_(l+1),).
    x : array, shape (n_0,) or (batch, n_0)
        Inputs.
    t : array, shape (n_L,) or (batch, n_L)
        Targets.

    Returns
    -------
    (weight_grads, bias_grads)
        Lists shaped like ``weights`` and ``biases``; for a batch, gradients of
        the summed loss.

    Examples
    --------
    >>> from backprop_book import running_example
    >>> ex = running_example()
    >>> weight_grads, bias_grads = backprop(ex.weights, ex.biases, ex.x, ex.t)
    >>> weight_grads[0].round(4)
    array([[-0.0265,  0.0188,  0.0189],
           [-0.0132,  0.0094,  0.0095]])
    >>> bias_grads[1].round(4)
    array([-0.0983,  0.1318])
    """
    xp, weights, biases, x, t = _checks.network(weights, biases, x, t)
    activations = forward(weights, biases, x)  # [x, h, ..., y]
    delta = output_delta(activations[-1], t)  # delta^(L)
    weight_grads, bias_grads = [], []
    for l in range(len(weights) - 1, -1, -1):
        weight_grads.append(weight_gradient(activations[l], delta))  # dL/dW^(l) = h^T delta
        bias_grads.append(bias_gradient(delta))  # dL/db^(l) = delta
        if l > 0:
            delta = hidden_delta(delta, weights[l], activations[l])  # delta^(l-1)
    return weight_grads[::-1], bias_grads[::-1]
