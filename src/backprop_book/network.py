r"""The network, its running example and the forward pass (Chapter 2)."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import _checks
from .activations_and_losses import _layers


class Example(NamedTuple):
    """The book's running example: a 2-3-2 network, one input and its target."""

    weights: list[Any]
    biases: list[Any]
    x: Any
    t: Any


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


def pre_activation(x: Any, w: Any, b: Any) -> Any:
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
    xp, x, w, b = _checks.arrays(x=x, w=w, b=b)
    _checks.ndim_in("w", w, (2,), "a 2-D array (inputs, outputs)")
    _checks.ndim_in("x", x, (1, 2), "1-D (one sample) or 2-D (batch, features)")
    if x.shape[-1] != w.shape[0] or tuple(b.shape) != (w.shape[1],):
        raise ValueError(
            f"x has shape {tuple(x.shape)}, w has shape {tuple(w.shape)} and b has shape "
            f"{tuple(b.shape)}: need x of width {w.shape[0]} and b of shape ({w.shape[1]},)"
        )
    return x @ w + b  # a = x W + b


def forward(
    weights: list[Any], biases: list[Any], x: Any, *, hidden: str = "sigmoid", output: str = "sigmoid"
) -> list[Any]:
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
    hidden : {"sigmoid", "tanh", "relu"}
        Activation of every hidden layer (Chapter 11); the source's is the sigmoid.
    output : {"sigmoid", "softmax", "identity"}
        Activation of the output layer (Chapter 11).

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
    f, g = _layers(hidden, output)  # hidden and output activations, names checked once
    xp, weights, biases, x, _ = _checks.network(weights, biases, x)
    x = xp.asarray(x, copy=True)  # a copy: writing into activations[0] must not change the caller's x
    return _forward(weights, biases, x, f, g)


def _forward(weights: list[Any], biases: list[Any], x: Any, f: Any, g: Any) -> list[Any]:
    # The loop of forward, on a network _checks.network has already checked. backprop calls it
    # after its own check: checking twice cost 10 us of a 50 us gradient on the 2-3-2 net, and
    # copying a 512 x 784 float64 batch 6 ms of page faults when the floor is 10 ms.
    activations = [x]
    last = len(weights) - 1
    for l, (w, b) in enumerate(zip(weights, biases)):
        phi = g if l == last else f
        activations.append(phi(pre_activation(activations[-1], w, b)))  # h = f(a), y = g(a)
    return activations
