r"""Backpropagation for any depth, batched (Chapter 6)."""

from __future__ import annotations


from . import _checks, choices
from ._checks import Array
from .bias import bias_gradient
from .network import forward
from .output_layer import weight_gradient


@_checks.validated(choices.check_network)
def backprop(
    weights: list[Array],
    biases: list[Array],
    x: Array,
    t: Array,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "l2",
) -> tuple[list[Array], list[Array]]:
    r"""Every weight and bias gradient of a sigmoid network under the L2 loss.

    $$ \begin{aligned}
       \boldsymbol{\delta}^{(D)} &= (\mathbf{y} - \mathbf{t}) \odot \mathbf{y} \odot (1 - \mathbf{y}), \\
       \boldsymbol{\delta}^{(l)} &= \bigl(\boldsymbol{\delta}^{(l+1)} \mathbf{W}^{(l+1)\top}\bigr)
           \odot \mathbf{h}^{(l)} \odot (1 - \mathbf{h}^{(l)}), \\
       \frac{\partial L}{\partial w^{(l)}_{ij}} &= \delta^{(l)}_j h^{(l-1)}_i
       \end{aligned} $$

    Equation (6.3): one forward pass (2.2), the output delta (4.4), then the
    recursion (6.1) from the last layer to the first, with the weight (6.2)
    and bias (7.1) gradients of each layer on the way. Built only from those
    functions: no second copy of the math.

    Other activations and losses (Chapter 11) change only the two local
    factors, Equation (11.14): the output delta comes from the (output, loss)
    pair, Equations (4.4), (11.9), (11.11) or (11.12), and each hidden delta
    multiplies the error reaching the layer by its activation's slope,
    Equations (6.1), (11.5) or (11.6). The names are resolved once per call.

    Parameters
    ----------
    weights, biases : lists of D arrays
        The network, as for ``forward``: $\mathbf{W}^{(l)}$ and $\mathbf{b}^{(l)}$ are
        ``weights[l - 1]`` and ``biases[l - 1]``.
    x : array, shape (n_0,) or (N, n_0)
        Inputs, one row per sample.
    t : array, shape (n_D,) or (N, n_D)
        Targets.
    hidden : str
        Activation of every hidden layer: a name of :data:`backprop_book.choices.HIDDEN`.
    output, loss : str
        The output activation and the loss: a pair of :data:`backprop_book.choices.PAIRS`
        (the source's network is ``("sigmoid", "l2")``); binary cross-entropy wants
        ``t`` in [0, 1], softmax with cross-entropy a probability distribution per row.

    Returns
    -------
    (weight_grads, bias_grads)
        Lists shaped like ``weights`` and ``biases``; for a batch, gradients of
        the summed loss.

    Raises
    ------
    ValueError
        For shapes that do not chain (see ``forward``), an unknown name or an
        unsupported (output, loss) pair (the message lists the valid ones), or
        a target the pair does not accept.

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

    With softmax and cross-entropy the output delta is $y - t$ (Chapter 11):

    >>> weight_grads, bias_grads = backprop(ex.weights, ex.biases, ex.x, ex.t,
    ...                                     hidden="tanh", output="softmax", loss="cross_entropy")
    >>> bias_grads[1].round(4)
    array([-0.3689,  0.3689])
    """
    output_delta = choices.pair(output, loss).delta  # (4.4), (11.9), (11.11) or (11.12)
    hidden_delta = choices.hidden(hidden).delta  # (6.1), (11.5) or (11.6)
    activations = forward(weights, biases, x, hidden=hidden, output=output)  # [x, h, ..., y]
    delta = output_delta(activations[-1], t)  # delta^(D), from the (output, loss) pair
    weight_grads, bias_grads = [], []
    for l in range(len(weights) - 1, -1, -1):
        weight_grads.append(weight_gradient(activations[l], delta))  # dL/dW = h^T delta
        bias_grads.append(bias_gradient(delta))  # dL/db = delta
        if l > 0:
            delta = hidden_delta(delta, weights[l], activations[l])  # the layer below's delta
    return weight_grads[::-1], bias_grads[::-1]
