r"""The L2 loss and its derivative with respect to the outputs (Chapters 3 and 4)."""

from __future__ import annotations


from . import _checks
from ._checks import Array


@_checks.validated(_checks.finite_outputs_and_targets)
def l2_loss(y: Array, t: Array) -> Array:
    r"""Half the squared distance between outputs and targets.

    $$ L = \frac{1}{2} \sum_k (y_k - t_k)^2 $$

    Equation (3.1). For a batch the sum runs over every sample and every output,
    so a batch's loss is the sum of its samples' losses.

    Parameters
    ----------
    y : array, shape (n_D,) or (N, n_D)
        Network outputs $y_k$ (one row per sample).
    t : array, same shape as y
        Targets $t_k$.

    Returns
    -------
    0-d array (a float for NumPy input)
        The loss $L$.

    Raises
    ------
    ValueError
        If the shapes differ or either array holds NaN or infinity.

    Examples
    --------
    >>> from backprop_book import running_example, forward
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> round(float(l2_loss(y, ex.t)), 6)
    0.222666

    A batch's loss is the sum of its samples' losses:

    >>> import numpy as np
    >>> Y, T = np.array([[0.5, 0.5], [0.9, 0.1]]), np.array([[1.0, 0.0], [1.0, 0.0]])
    >>> float(l2_loss(Y, T)) == float(l2_loss(Y[0], T[0])) + float(l2_loss(Y[1], T[1]))
    True
    """
    r = y - t
    return 0.5 * _checks.xp().sum(r * r)  # 1/2 sum_i (y_i - t_i)^2


@_checks.validated(_checks.outputs_and_targets)
def dL_dy(y: Array, t: Array) -> Array:
    r"""Derivative of the L2 loss with respect to each output.

    $$ \frac{\partial L}{\partial y_k} = y_k - t_k $$

    Equation (4.2). The one-half in the loss cancels the 2 from the square.
    For an identity output unit ($y = a$, slope 1) it is the whole output
    delta, Equation (11.12).

    Parameters
    ----------
    y : array, shape (n_D,) or (N, n_D)
        Network outputs $y_k$ (one row per sample).
    t : array, same shape as y
        Targets $t_k$.

    Returns
    -------
    array, same shape as y
        $y - t$.

    Raises
    ------
    ValueError
        If ``y`` and ``t`` differ in shape: NumPy would broadcast (2,) against
        (2, 1) into a (2, 2) answer that is silently wrong.

    Examples
    --------
    >>> from backprop_book import running_example, forward
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> dL_dy(y, ex.t).round(4)
    array([-0.4071,  0.5288])
    >>> import numpy as np
    >>> dL_dy(np.zeros(2), np.zeros((2, 1)))
    Traceback (most recent call last):
    ...
    ValueError: y has shape (2,) but t has shape (2, 1); they must match (no broadcasting)
    """
    return y - t  # y_j - t_j
