r"""The update rule and training by gradient descent (Chapters 4, 8 and 9)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _checks


def _check_lr(lr: Any) -> None:
    """Raise unless ``lr`` is a positive, finite real number (not a bool)."""
    if isinstance(lr, (bool, np.bool_)) or not _checks.is_scalar(lr):
        raise TypeError(f"lr must be a number, got {type(lr).__name__}")
    if not 0 < lr < float("inf"):
        raise ValueError(f"lr must be a positive finite number, got {lr}")


def gradient_step(param: Any, grad: Any, lr: float) -> Any:
    r"""One step of gradient descent: move against the gradient.

    $$ \mathbf{u} \leftarrow \mathbf{u} - \eta \nabla_{\mathbf{u}} L, \qquad
       u_{jk} \leftarrow u_{jk} - \eta\, \delta_k h_j $$

    Equation (4.1). Returns new arrays; ``param`` is left as it was.

    Parameters
    ----------
    param : array, or list of arrays
        Parameters (one matrix, or a list such as ``weights``).
    grad : array, or list of arrays
        Gradients of the same shapes.
    lr : float
        The learning rate $\eta > 0$.

    Returns
    -------
    array, or list of arrays
        ``param - lr * grad``, shaped like ``param``.

    Examples
    --------
    >>> from backprop_book import running_example, backprop
    >>> ex = running_example()
    >>> weight_grads, bias_grads = backprop(ex.weights, ex.biases, ex.x, ex.t)
    >>> gradient_step(ex.weights[1], weight_grads[1], lr=0.5).round(4)
    array([[ 0.7282, -0.3378],
           [-0.4736,  0.1646],
           [ 0.3233,  0.7687]])
    >>> ex.weights[1][0, 0]  # unchanged
    np.float64(0.7)
    """
    _check_lr(lr)
    if isinstance(param, (list, tuple)):
        if not isinstance(grad, (list, tuple)) or len(grad) != len(param):
            raise ValueError("param is a list, so grad must be a list of the same length")
        return [gradient_step(p, g, lr) for p, g in zip(param, grad)]
    xp, param, grad = _checks.arrays(param=param, grad=grad)
    _checks.same_shape(param=param, grad=grad)
    return param - lr * grad  # u - eta grad_u L


def train(
    weights: list[Any],
    biases: list[Any],
    x: Any,
    t: Any,
    lr: float,
    epochs: int,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "l2",
) -> tuple[list[Any], list[Any], list[float]]:
    r"""Full-batch gradient descent: backpropagate, step, repeat.

    $$ \boldsymbol{\theta}_{\tau+1} = \boldsymbol{\theta}_\tau - \eta\, \nabla_{\boldsymbol{\theta}} L(\boldsymbol{\theta}_\tau) $$

    Equation (9.1), where $\boldsymbol{\theta}$ is every weight and bias and
    $\tau$ counts the steps.

    Parameters
    ----------
    weights, biases : lists of arrays
        The starting network (not modified).
    x : array, shape (N, n_0) or (n_0,)
        Inputs.
    t : array, shape of the output
        Targets.
    lr : float
        Learning rate $\eta$.
    epochs : int
        Number of steps.
    hidden, output, loss : str
        The activations and loss (Chapter 11), as for :func:`backprop_book.backprop`;
        ``losses`` are values of that loss.

    Returns
    -------
    (weights, biases, losses)
        The trained network as new arrays, and the loss before the first step
        and after each step (``epochs + 1`` floats).

    Examples
    --------
    >>> from backprop_book import running_example
    >>> ex = running_example()
    >>> w, b, losses = train(ex.weights, ex.biases, ex.x, ex.t, lr=0.5, epochs=100)
    >>> round(losses[0], 4), round(losses[-1], 4)
    (0.2227, 0.006)
    >>> all(later < earlier for earlier, later in zip(losses, losses[1:]))
    True
    """
    from .activations_and_losses import _network_loss
    from .general import backprop

    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
    _check_lr(lr)
    xp, weights, biases, x, t = _checks.network(weights, biases, x, t)
    weights = [xp.asarray(w, copy=True) for w in weights]  # new arrays, even for epochs=0
    biases = [xp.asarray(b, copy=True) for b in biases]
    choice = {"hidden": hidden, "output": output, "loss": loss}
    losses = [_network_loss(weights, biases, x, t, **choice)]
    for _ in range(epochs):
        weight_grads, bias_grads = backprop(weights, biases, x, t, **choice)
        weights = gradient_step(weights, weight_grads, lr)  # theta - eta grad L
        biases = gradient_step(biases, bias_grads, lr)
        losses.append(_network_loss(weights, biases, x, t, **choice))
    return weights, biases, losses
