r"""The update rule and training by gradient descent (Chapters 4, 8 and 9)."""

from __future__ import annotations

from typing import Any

from . import _checks, choices
from .general import backprop
from .network import network_loss


@_checks.validated(_checks.step_of)
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
    if isinstance(param, list):
        return [gradient_step(p, g, lr) for p, g in zip(param, grad)]
    return param - lr * grad  # u - eta grad_u L


def _check_train(
    weights: Any, biases: Any, x: Any, t: Any, lr: Any, epochs: Any, **choice: str
) -> tuple[Any, tuple, dict, bool]:
    epochs = _checks.count("epochs", epochs)
    lr = _checks.learning_rate(lr)
    xp, (weights, biases, x, t), choice, _ = choices.check_network(weights, biases, x, t, **choice)
    return xp, (weights, biases, x, t, lr, epochs), choice, False


@_checks.validated(_check_train)
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
    xp = _checks.xp()
    weights = [_checks.copy(xp, w) for w in weights]  # new arrays, even for epochs=0
    biases = [_checks.copy(xp, b) for b in biases]
    choice = {"hidden": hidden, "output": output, "loss": loss}
    losses = [float(network_loss(weights, biases, x, t, **choice))]
    for _ in range(epochs):
        weight_grads, bias_grads = backprop(weights, biases, x, t, **choice)
        weights = gradient_step(weights, weight_grads, lr)  # theta - eta grad L
        biases = gradient_step(biases, bias_grads, lr)
        losses.append(float(network_loss(weights, biases, x, t, **choice)))
    return weights, biases, losses
