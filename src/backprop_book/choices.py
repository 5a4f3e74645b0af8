r"""The choices of activation and loss, in one table each (Chapter 11).

Changing a network's activation or loss changes only two local factors of the
chain rule: the slope of a hidden unit and the output delta. So a choice is a
record of a few functions, and ``forward``, ``backprop``, ``gradient_check`` and
``train`` look a name up here once per call (``hidden=``, ``output=``,
``loss=``; the defaults are the source's network). Adding an activation is one
new record.

>>> sorted(HIDDEN)
['relu', 'sigmoid', 'tanh']
>>> list(PAIRS)  # the (output, loss) pairs backprop supports
[('sigmoid', 'l2'), ('sigmoid', 'cross_entropy'), ('softmax', 'cross_entropy'), ('identity', 'l2')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import _checks
from .activation import dy_da, sigmoid
from .activations_and_losses import (
    drelu_da,
    dtanh_da,
    relu,
    relu_hidden_delta,
    sigmoid_cross_entropy,
    sigmoid_cross_entropy_delta,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_delta,
    tanh,
    tanh_hidden_delta,
)
from .hidden_layer import hidden_delta
from .loss import dL_dy, l2_loss
from .output_layer import output_delta


@dataclass(frozen=True)
class Hidden:
    """A hidden activation: $h = f(a)$, its slope from $h$, and its hidden delta."""

    name: str
    activation: Callable[[Any], Any]  # h = f(a)
    slope: Callable[[Any], Any]  # dh/da, from h
    delta: Callable[[Any, Any, Any], Any]  # delta^(l) from delta^(l+1), W^(l+1), h^(l)
    equations: str


@dataclass(frozen=True)
class Pair:
    """An output activation with its loss: $y = g(a)$, the output delta, the loss from $a$."""

    output: str
    loss: str
    activation: Callable[[Any], Any]  # y = g(a)
    delta: Callable[[Any, Any], Any]  # delta = dL/da, from y and t
    value: Callable[[Any, Any], Any]  # L, from the logits a and t
    targets: Callable[[Any, Any], None] | None  # raises unless t suits the loss
    equations: str


def identity(a: Any) -> Any:
    r"""The identity output, $y = a$, for regression with the L2 loss (Chapter 11)."""
    return a  # y = a


def sigmoid_l2(a: Any, t: Any) -> Any:
    r"""The source's loss from the logits: $L = \frac12\sum_k (\sigma(a_k) - t_k)^2$."""
    return l2_loss(sigmoid(a), t)  # (3.1) of y = sigma(a)


HIDDEN: dict[str, Hidden] = {
    h.name: h
    for h in [
        Hidden("sigmoid", sigmoid, dy_da, hidden_delta, "(3.2), (4.3), (5.2)"),
        Hidden("tanh", tanh, dtanh_da, tanh_hidden_delta, "(11.1), (11.2), (11.5)"),
        Hidden("relu", relu, drelu_da, relu_hidden_delta, "(11.3), (11.4), (11.6)"),
    ]
}
# softmax + l2 and identity + cross_entropy are left out on purpose: the first learns as slowly
# as sigmoid + l2 at saturation, and the second is not a loss (an identity output is no probability).
PAIRS: dict[tuple[str, str], Pair] = {
    (p.output, p.loss): p
    for p in [
        Pair("sigmoid", "l2", sigmoid, output_delta, sigmoid_l2, None, "(3.1), (4.4)"),
        Pair("sigmoid", "cross_entropy", sigmoid, sigmoid_cross_entropy_delta, sigmoid_cross_entropy,
             _checks.probabilities, "(11.10), (11.11)"),
        Pair("softmax", "cross_entropy", softmax, softmax_cross_entropy_delta, softmax_cross_entropy,
             _checks.distributions, "(11.8), (11.9)"),
        Pair("identity", "l2", identity, dL_dy, l2_loss, None, "(3.1), (11.12)"),
    ]
}
OUTPUT: dict[str, Callable[[Any], Any]] = {p.output: p.activation for p in PAIRS.values()}
LOSS: tuple[str, ...] = tuple(dict.fromkeys(p.loss for p in PAIRS.values()))


def hidden(name: str) -> Hidden:
    """The record of a hidden activation; ``ValueError`` listing the choices for another name."""
    _checks.one_of("hidden", name, HIDDEN)
    return HIDDEN[name]


def output(name: str) -> Callable[[Any], Any]:
    """An output activation by name; ``ValueError`` listing the choices for another name."""
    _checks.one_of("output", name, OUTPUT)
    return OUTPUT[name]


def pair(output: str, loss: str) -> Pair:
    """The record of an (output, loss) pair; ``ValueError`` listing the valid ones otherwise."""
    _checks.one_of("output", output, OUTPUT)
    _checks.one_of("loss", loss, LOSS)
    if (output, loss) not in PAIRS:
        raise _checks.unsupported_pair(output, loss, PAIRS)
    return PAIRS[output, loss]


def _check_loss_value(a: Any, t: Any, *, output: str = "sigmoid", loss: str = "l2") -> tuple:
    chosen = pair(output, loss)
    xp, (a, t), _, _ = _checks.logits_and_targets(a, t)
    if chosen.targets is not None:
        chosen.targets(xp, t)
    return xp, (a, t), {"output": output, "loss": loss}, False


@_checks.validated(_check_loss_value)
def loss_value(a: Any, t: Any, *, output: str = "sigmoid", loss: str = "l2") -> Any:
    r"""The loss of a network's output layer, for each supported choice, from its pre-activation.

    $$ L(\mathbf{a}, \mathbf{t}) = \begin{cases}
       \frac12 \sum_k (\sigma(a_k) - t_k)^2 & \text{sigmoid, l2} \\
       -\sum_k \bigl[t_k \log\sigma(a_k) + (1 - t_k)\log\sigma(-a_k)\bigr] & \text{sigmoid, CE} \\
       -\sum_k t_k \log \operatorname{softmax}(\mathbf{a})_k & \text{softmax, CE} \\
       \frac12 \sum_k (a_k - t_k)^2 & \text{identity, l2}
       \end{cases} $$

    Equation (11.13). Its gradient with respect to $\mathbf{a}$ is the output
    delta $\boldsymbol{\delta} = \partial L / \partial \mathbf{a}$ that
    ``backprop`` starts from, which is why it takes $\mathbf{a}$ rather than
    $\mathbf{y}$ (and why the cross-entropies stay exact at saturation).

    Parameters
    ----------
    a : array, shape (k,) or (N, k)
        Pre-activations of the output layer.
    t : array, same shape as a
        Targets.
    output, loss : str
        An (output, loss) pair of :data:`PAIRS`; with ``output="sigmoid"``,
        ``"cross_entropy"`` is binary cross-entropy.

    Returns
    -------
    0-d array (a float for NumPy input)
        The loss, summed over outputs and samples.

    Raises
    ------
    ValueError
        For an unknown name or an unsupported pair (the message lists the
        valid ones), or a target that the pair does not accept.

    Examples
    --------
    >>> from backprop_book import running_example, forward, pre_activation, l2_loss
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> a2 = pre_activation(h, ex.weights[1], ex.biases[1])
    >>> round(float(loss_value(a2, ex.t)), 6)  # the source's network
    0.222666
    >>> round(float(loss_value(a2, ex.t, output="softmax", loss="cross_entropy")), 6)
    0.571255
    >>> loss_value(a2, ex.t, output="softmax", loss="l2")
    Traceback (most recent call last):
    ...
    ValueError: output='softmax' with loss='l2' is not supported; the valid (output, loss) pairs are ('sigmoid', 'l2'), ('sigmoid', 'cross_entropy'), ('softmax', 'cross_entropy'), ('identity', 'l2')
    """
    return PAIRS[output, loss].value(a, t)  # L(a, t) for the chosen pair


def check_network(
    weights: Any, biases: Any, x: Any, t: Any, *, hidden: str = "sigmoid", output: str = "sigmoid",
    loss: str = "l2",
) -> tuple[Any, tuple, dict, bool]:
    """The checker of a network's arguments with targets: names, shapes, values, and targets that suit the loss.

    Shared by ``backprop``, ``network_loss``, ``gradient_check`` and ``train``, which
    run it once, at the outermost call.
    """
    _checks.one_of("hidden", hidden, HIDDEN)
    chosen = pair(output, loss)
    xp, weights, biases, x, t = _checks.network(weights, biases, x, t)
    if chosen.targets is not None:
        chosen.targets(xp, t)
    return xp, (weights, biases, x, t), {"hidden": hidden, "output": output, "loss": loss}, False
