r"""The update rule and training by gradient descent (Chapters 4, 8 and 9)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _checks, choices
from ._checks import Array
from .general import backprop
from .network import network_loss


@_checks.validated(_checks.step_of)
def gradient_step(param: Array, grad: Array, lr: float) -> Array:
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
    if isinstance(param, list):
        return [gradient_step(p, g, lr) for p, g in zip(param, grad)]
    return param - lr * grad  # u - eta grad_u L


def _check_train(
    weights: Any, biases: Any, x: Any, t: Any, lr: Any, epochs: Any, *, batch_size: Any = None,
    seed: Any = 0, **choice: str
) -> tuple[Any, tuple, dict, bool]:
    epochs = _checks.count("epochs", epochs)
    lr = _checks.learning_rate(lr)
    if batch_size is not None:
        batch_size = _checks.integer("batch_size", batch_size, 1)
    seed = _checks.integer("seed", seed, 0)
    xp, (weights, biases, x, t), choice, _ = choices.check_network(weights, biases, x, t, **choice)
    if batch_size is not None:
        _checks.batch_of_samples(x)
    return xp, (weights, biases, x, t, lr, epochs), {**choice, "batch_size": batch_size, "seed": seed}, False


@_checks.validated(_check_train)
def train(
    weights: list[Array],
    biases: list[Array],
    x: Array,
    t: Array,
    lr: float,
    epochs: int,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "l2",
    batch_size: int | None = None,
    seed: int = 0,
) -> tuple[list[Array], list[Array], list[float]]:
    r"""Gradient descent, full-batch or on mini-batches: backpropagate, step, repeat.

    $$ \boldsymbol{\theta}_{\tau+1} = \boldsymbol{\theta}_\tau - \eta\, \nabla_{\boldsymbol{\theta}} L(\boldsymbol{\theta}_\tau) $$

    Equation (9.1), where $\boldsymbol{\theta}$ is every weight and bias and
    $\tau$ counts the steps. With ``batch_size`` $N$, each epoch shuffles the
    samples and steps once per batch $B_\tau$ of $N$ of them, Equation (15.1):
    $\boldsymbol{\theta}_{\tau+1} = \boldsymbol{\theta}_\tau - \eta \sum_{s \in B_\tau}
    \nabla_{\boldsymbol{\theta}} L_s(\boldsymbol{\theta}_\tau)$.

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
        Number of passes over the data: steps, when full-batch.
    hidden, output, loss : str
        The activations and loss (Chapter 11), as for :func:`backprop_book.backprop`;
        ``losses`` are values of that loss.
    batch_size : int, optional
        Samples per step (rows of ``x``); the last batch of an epoch may be
        smaller. ``None``, the default, is full-batch gradient descent.
    seed : int
        Seed of the shuffles (one NumPy generator, one permutation per epoch);
        unused when full-batch.

    Returns
    -------
    (weights, biases, losses)
        The trained network as new arrays, and the loss on all of ``x`` before
        the first epoch and after each epoch (``epochs + 1`` floats).

    Examples
    --------
    >>> from backprop_book import running_example
    >>> ex = running_example()
    >>> w, b, losses = train(ex.weights, ex.biases, ex.x, ex.t, lr=0.5, epochs=100)
    >>> round(losses[0], 4), round(losses[-1], 4)
    (0.2227, 0.006)
    >>> all(later < earlier for earlier, later in zip(losses, losses[1:]))
    True

    On mini-batches of 2 samples out of 6, three steps per epoch:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x, t = rng.normal(size=(6, 2)), rng.uniform(size=(6, 2))
    >>> w, b, losses = train(ex.weights, ex.biases, x, t, lr=0.5, epochs=20, batch_size=2, seed=1)
    >>> len(losses), losses[-1] < losses[0]
    (21, True)
    """
    xp = _checks.xp()
    weights = [_checks.copy(xp, w) for w in weights]  # new arrays, even for epochs=0
    biases = [_checks.copy(xp, b) for b in biases]
    choice = {"hidden": hidden, "output": output, "loss": loss}
    losses = [float(network_loss(weights, biases, x, t, **choice))]
    if batch_size is None:
        for _ in range(epochs):
            weight_grads, bias_grads = backprop(weights, biases, x, t, **choice)
            weights = gradient_step(weights, weight_grads, lr)  # theta - eta grad L
            biases = gradient_step(biases, bias_grads, lr)
            losses.append(float(network_loss(weights, biases, x, t, **choice)))
        return weights, biases, losses
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            rows = xp.asarray(order[start : start + batch_size])  # the batch B_tau
            x_batch, t_batch = xp.take(x, rows, axis=0), xp.take(t, rows, axis=0)
            weight_grads, bias_grads = backprop(weights, biases, x_batch, t_batch, **choice)
            weights = gradient_step(weights, weight_grads, lr)  # theta - eta sum_(s in B) grad L_s
            biases = gradient_step(biases, bias_grads, lr)
        losses.append(float(network_loss(weights, biases, x, t, **choice)))
    return weights, biases, losses
