r"""The network, its running example and the forward pass (Chapter 2)."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import _checks, choices
from ._checks import Array


class Example(NamedTuple):
    """The book's running example: a 2-3-2 network, one input and its target."""

    weights: list[Array]
    biases: list[Array]
    x: Array
    t: Array


def running_example() -> Example:
    r"""The 2-3-2 network and the sample that every chapter computes with.

    Defined in Chapter 2 (the running example). ``weights[0]`` is the source's
    $w$ (input to hidden, shape (2, 3)), ``weights[1]`` its $u$ (hidden to
    output, shape (3, 2)); ``biases`` are $b^{(1)}$ and $b^{(2)}$. Every call
    returns fresh arrays, so changing them cannot change the book.

    Returns
    -------
    Example
        A named tuple ``(weights, biases, x, t)`` of float64 arrays.

    Examples
    --------
    >>> ex = running_example()
    >>> [w.shape for w in ex.weights], ex.x, ex.t
    ([(2, 3), (3, 2)], array([1. , 0.5]), array([1., 0.]))
    >>> ex.weights[0]
    array([[ 0.1, -0.2,  0.3],
           [ 0.4,  0.5, -0.6]])
    """
    w = np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]])  # w_ij: x_i -> h_j
    u = np.array([[0.7, -0.3], [-0.5, 0.2], [0.3, 0.8]])  # u_jk: h_j -> y_k
    b1 = np.array([0.0, 0.1, -0.1])
    b2 = np.array([0.1, -0.2])
    return Example([w, u], [b1, b2], np.array([1.0, 0.5]), np.array([1.0, 0.0]))


@_checks.validated(_checks.layer_input)
def pre_activation(x: Array, w: Array, b: Array) -> Array:
    r"""The linear combination a layer computes before its activation.

    $$ a_j = \sum_i x_i w_{ij} + b_j, \qquad \mathbf{a} = \mathbf{x}\mathbf{W} + \mathbf{b} $$

    Equation (2.1): $\mathbf{a}^{(1)} = \mathbf{x}\mathbf{w} + \mathbf{b}^{(1)}$
    for the hidden layer, $\mathbf{a}^{(2)} = \mathbf{h}\mathbf{u} + \mathbf{b}^{(2)}$
    for the output layer. Row vectors, batch first.

    Parameters
    ----------
    x : array, shape (n_in,) or (N, n_in)
        The layer's inputs, one row per sample.
    w : array, shape (n_in, n_out)
        ``w[i - 1, j - 1]`` is $w_{ij}$, joining input unit $i$ to unit $j$.
    b : array, shape (n_out,)
        Biases.

    Returns
    -------
    array, shape (n_out,) or (batch, n_out)

    Examples
    --------
    >>> ex = running_example()
    >>> pre_activation(ex.x, ex.weights[0], ex.biases[0])
    array([ 0.3 ,  0.15, -0.1 ])
    """
    a = x @ w  # x W, a new array
    a += b  # + b, added into it: the numbers of x @ w + b with one batch-sized array fewer
    return a


def _check_forward(
    weights: list[Array], biases: list[Array], x: Array, *, hidden: str = "sigmoid", output: str = "sigmoid"
) -> tuple[Any, tuple, dict, bool]:
    choices.hidden(hidden), choices.output(output)  # unknown names first, listing the choices
    xp, weights, biases, x, _ = _checks.network(weights, biases, x)
    x = _checks.copy(xp, x)  # activations[0] is returned: writing into it must not change x
    return xp, (weights, biases, x), {"hidden": hidden, "output": output}, False


@_checks.validated(_check_forward)
def forward(
    weights: list[Array],
    biases: list[Array],
    x: Array,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
) -> list[Array]:
    r"""Run the network forward and keep every layer's activation.

    $$ \mathbf{h} = \sigma\bigl(\mathbf{x}\mathbf{w} + \mathbf{b}^{(1)}\bigr), \qquad
       \mathbf{y} = \sigma\bigl(\mathbf{h}\mathbf{u} + \mathbf{b}^{(2)}\bigr) $$

    Equation (2.2), for any number of layers: each layer's output is the next
    one's input. Backpropagation needs every activation, so all are returned.

    Parameters
    ----------
    weights : list of D arrays
        ``weights[l - 1]`` is $\mathbf{W}^{(l)}$, of shape (n_{l-1}, n_l).
    biases : list of D arrays
        ``biases[l - 1]`` is $\mathbf{b}^{(l)}$, of shape (n_l,).
    x : array, shape (n_0,) or (N, n_0)
        Inputs, one row per sample.
    hidden : str
        Activation of every hidden layer, a name of :data:`backprop_book.choices.HIDDEN`
        (Chapter 11); the source's is the sigmoid.
    output : str
        Activation of the output layer, a name of :data:`backprop_book.choices.OUTPUT`.

    Returns
    -------
    list of arrays
        ``[x, h, ..., y]``, that is $[\mathbf{h}^{(0)}, \dots, \mathbf{h}^{(D)}]$: the input,
        each hidden layer's activation and the output.

    Raises
    ------
    ValueError
        If the layers do not chain, a bias or ``x`` has the wrong width (the
        message names the layer and the shapes), or any input is NaN or infinite;
        or if ``hidden`` or ``output`` is not one of the choices (the message lists them).

    Examples
    --------
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> h.round(4), y.round(4)
    (array([0.5744, 0.5374, 0.475 ]), array([0.5929, 0.5288]))
    >>> forward(ex.weights, ex.biases, [1.0, 0.5, 2.0])
    Traceback (most recent call last):
    ...
    ValueError: layer 0: x has shape (3,) with 3 features but weights[0] has shape (2, 3) and expects 2

    Other activations (Chapter 11), chosen by name:

    >>> x, h, y = forward(ex.weights, ex.biases, ex.x, hidden="tanh", output="softmax")
    >>> h.round(4), y.round(4)
    (array([ 0.2913,  0.1489, -0.0997]), array([0.6311, 0.3689]))
    """
    f, g = choices.hidden(hidden).activation, choices.output(output)  # h = f(a), y = g(a)
    activations = [x]
    last = len(weights) - 1
    for l, (w, b) in enumerate(zip(weights, biases)):
        phi = g if l == last else f
        activations.append(phi(pre_activation(activations[-1], w, b)))  # h = f(x W + b)
    return activations


@_checks.validated(choices.check_network)
def network_loss(
    weights: list[Array],
    biases: list[Array],
    x: Array,
    t: Array,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "l2",
) -> Array:
    r"""The loss of a whole network on inputs and targets: the forward pass, then the loss.

    $$ L = \ell\bigl(\mathbf{a}^{(D)}, \mathbf{t}\bigr), \qquad
       \mathbf{a}^{(D)} = \mathbf{h}^{(D-1)}\mathbf{W}^{(D)} + \mathbf{b}^{(D)} $$

    Equation (11.13) applied to the last layer's pre-activation, which the forward
    pass (2.2) computes; for the source's network it is the L2 loss (3.1) of
    $\mathbf{y} = \sigma(\mathbf{a}^{(D)})$. This is the number that ``train``
    reports and the function whose gradient ``backprop`` computes and
    ``gradient_check`` estimates.

    Parameters
    ----------
    weights, biases, x, t
        As for :func:`backprop_book.backprop`.
    hidden, output, loss : str
        The activations and loss, names from :mod:`backprop_book.choices`.

    Returns
    -------
    0-d array (a float for NumPy input)
        The loss, summed over outputs and samples.

    Examples
    --------
    >>> ex = running_example()
    >>> round(float(network_loss(ex.weights, ex.biases, ex.x, ex.t)), 6)
    0.222666
    >>> round(float(network_loss(ex.weights, ex.biases, ex.x, ex.t,
    ...                          output="softmax", loss="cross_entropy")), 6)
    0.571255
    """
    logits = forward(weights, biases, x, hidden=hidden, output="identity")[-1]  # a^(D)
    return choices.pair(output, loss).value(logits, t)  # L(a^(D), t)
