r"""Other activations and losses: tanh, ReLU, softmax and cross-entropy (Chapter 11).

The source fixes one network: sigmoid units and the L2 loss. Changing either
changes only two local factors of the chain rule, the slope of a hidden unit
and the output delta, so each choice here is a small function, and
``forward``, ``backprop``, ``gradient_check`` and ``train`` pick them by name
(``hidden=``, ``output=``, ``loss=``) from the tables of ``backprop_book.choices``.

The cross-entropy losses take the output layer's pre-activation $a$ (the
logits), not its output $y$: $\log y$ and $\log(1 - y)$ are computed from $a$
without ever forming $y$, which is the only way to keep every digit when a unit
saturates ($\sigma(40)$ is exactly 1.0 in float64, so $\log(1 - y)$ would be
$\log 0$).
"""

from __future__ import annotations

import sys
from typing import Any

from . import _checks
from ._checks import Array
from .hidden_layer import dL_dh

# ------------------------------------------------------------------ hidden activations


@_checks.validated(_checks.elementwise("a"))
def tanh(a: Array) -> Array:
    r"""The hyperbolic tangent, squashing a pre-activation into (-1, 1).

    $$ h = \tanh(a) = \frac{e^{a} - e^{-a}}{e^{a} + e^{-a}} = 2\sigma(2a) - 1 $$

    Equation (11.1). A sigmoid stretched to (-1, 1) and centred on 0, so a
    layer of tanh units passes on inputs of either sign.

    Parameters
    ----------
    a : array of any shape, or a Python number
        Pre-activations $a = xW + b$.

    Returns
    -------
    array of the same shape and dtype (a float for a number)
        $\tanh(a)$, elementwise.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_book import running_example, pre_activation, sigmoid
    >>> ex = running_example()
    >>> a1 = pre_activation(ex.x, ex.weights[0], ex.biases[0])
    >>> tanh(a1).round(4)
    array([ 0.2913,  0.1489, -0.0997])
    >>> tanh(0.0), tanh(-1000.0), tanh(1000.0)
    (0.0, -1.0, 1.0)

    It is a rescaled sigmoid: $\tanh(a) = 2\sigma(2a) - 1$.

    >>> bool(np.allclose(tanh(a1), 2 * sigmoid(2 * a1) - 1))
    True
    """
    return _checks.xp().tanh(a)  # (e^a - e^-a) / (e^a + e^-a)


@_checks.validated(_checks.elementwise("h"))
def dtanh_da(h: Array) -> Array:
    r"""Slope of a tanh unit, from its output.

    $$ \frac{\partial h}{\partial a} = 1 - \tanh^2(a) = 1 - h^2 $$

    Equation (11.2). Like ``dy_da`` for the sigmoid, it takes the activation
    $h = \tanh(a)$, which the forward pass has already computed.

    Parameters
    ----------
    h : array of any shape, or a Python number
        tanh outputs, each in [-1, 1].

    Returns
    -------
    array of the same shape (a float for a number)
        $1 - h^2$, elementwise.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_book import running_example, pre_activation
    >>> ex = running_example()
    >>> a1 = pre_activation(ex.x, ex.weights[0], ex.biases[0])
    >>> dtanh_da(tanh(a1)).round(4)
    array([0.9151, 0.9778, 0.9901])

    Its peak is 1, at $a = 0$: four times the sigmoid's peak of $1/4$.
    It matches a central difference of tanh:

    >>> dtanh_da(0.0)
    1.0
    >>> eps = 1e-6
    >>> bool(np.allclose(dtanh_da(tanh(a1)), (tanh(a1 + eps) - tanh(a1 - eps)) / (2 * eps)))
    True
    """
    return 1 - h * h  # 1 - h^2


@_checks.validated(_checks.elementwise("a"))
def relu(a: Array) -> Array:
    r"""The rectified linear unit: the pre-activation where it is positive, else 0.

    $$ h = \operatorname{relu}(a) = \max(0, a) $$

    Equation (11.3). It never saturates for $a > 0$, and it is exactly 0
    (with slope 0) for $a \le 0$.

    Parameters
    ----------
    a : array of any shape, or a Python number
        Pre-activations.

    Returns
    -------
    array of the same shape and dtype (a float for a number)
        $\max(0, a)$, elementwise.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_book import running_example, pre_activation
    >>> ex = running_example()
    >>> a1 = pre_activation(ex.x, ex.weights[0], ex.biases[0])
    >>> relu(a1)
    array([0.3 , 0.15, 0.  ])
    >>> relu(-2.0), relu(0.0), relu(3.0)
    (0.0, 0.0, 3.0)

    It splits every number into its positive and negative parts:
    $a = \operatorname{relu}(a) - \operatorname{relu}(-a)$.

    >>> bool(np.all(relu(a1) - relu(-a1) == a1))
    True
    """
    xp = _checks.xp()
    return xp.where(a < 0, xp.zeros_like(a), a)  # max(0, a), and NaN stays NaN


@_checks.validated(_checks.elementwise("h"))
def drelu_da(h: Array) -> Array:
    r"""Slope of a ReLU unit, from its output: 1 where the unit is on, else 0.

    $$ \frac{\partial h}{\partial a} = [a > 0] = [h > 0] $$

    Equation (11.4), where $[\,\cdot\,]$ is 1 when the condition holds and 0
    otherwise. At $a = 0$ the ReLU has a kink: its slope is 0 from the
    left and 1 from the right, so it has no derivative there. Any number in
    [0, 1] is a valid subgradient; this function uses **0** at $a = 0$, as
    PyTorch and JAX do. Since $h > 0$ exactly when $a > 0$, passing $a$
    instead of $h$ gives the same answer.

    Parameters
    ----------
    h : array of any shape, or a Python number
        ReLU outputs (or the pre-activations).

    Returns
    -------
    array of the same shape and dtype (a float for a number)
        1.0 where $h > 0$, 0.0 elsewhere, including at $h = 0$.

    Examples
    --------
    >>> from backprop_book import running_example, pre_activation
    >>> ex = running_example()
    >>> a1 = pre_activation(ex.x, ex.weights[0], ex.biases[0])
    >>> drelu_da(relu(a1))
    array([1., 1., 0.])
    >>> drelu_da(0.0)  # the convention at the kink
    0.0

    Away from the kink it matches a central difference of relu:

    >>> eps = 1e-6
    >>> (relu(a1 + eps) - relu(a1 - eps)) / (2 * eps)
    array([1., 1., 0.])
    """
    return _checks.xp().astype(h > 0, h.dtype)  # 1[h > 0], and 0 at the kink h = 0


@_checks.validated(_checks.hidden_layer)
def tanh_hidden_delta(delta: Array, u: Array, h: Array) -> Array:
    r"""The delta of a hidden tanh unit: the error reaching it times its slope.

    $$ \delta_j = \Bigl(\sum_k \delta_k u_{jk}\Bigr)\bigl(1 - h_j^2\bigr), \qquad
       \boldsymbol{\Delta}^{(l)} = \bigl(\boldsymbol{\Delta}^{(l+1)} \mathbf{W}^{(l+1)\top}\bigr)
       \odot \bigl(1 - \mathbf{H}^{(l)} \odot \mathbf{H}^{(l)}\bigr) $$

    Equation (11.5): the hidden delta (5.2) with the sigmoid's slope
    $h_j(1 - h_j)$ replaced by tanh's slope (11.2). The error
    $\sum_k \delta_k u_{jk}$ reaching the unit is (5.1), whatever the activation.

    Parameters
    ----------
    delta : array, shape (k,) or (N, k)
        Deltas of the next layer.
    u : array, shape (j, k)
        Weights from this layer to the next.
    h : array, shape (j,) or (N, j)
        This layer's tanh activations.

    Returns
    -------
    array, same shape as h

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_book import running_example, forward, dL_dh, output_delta
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x, hidden="tanh")
    >>> delta2 = output_delta(y, ex.t)
    >>> tanh_hidden_delta(delta2, ex.weights[1], h).round(4)
    array([-0.0992,  0.0743,  0.0471])
    >>> bool(np.allclose(tanh_hidden_delta(delta2, ex.weights[1], h),
    ...                  dL_dh(delta2, ex.weights[1]) * dtanh_da(h)))
    True
    """
    delta_h = dL_dh(delta, u)  # sum_k delta_k u_jk, a new array
    delta_h *= dtanh_da(h)  # times 1 - h_j^2, in place
    return delta_h


@_checks.validated(_checks.hidden_layer)
def relu_hidden_delta(delta: Array, u: Array, h: Array) -> Array:
    r"""The delta of a hidden ReLU unit: the error reaching it where the unit is on, else 0.

    $$ \delta_j = \Bigl(\sum_k \delta_k u_{jk}\Bigr)\,[h_j > 0], \qquad
       \boldsymbol{\Delta}^{(l)} = \bigl(\boldsymbol{\Delta}^{(l+1)} \mathbf{W}^{(l+1)\top}\bigr)
       \odot \bigl[\mathbf{H}^{(l)} > 0\bigr] $$

    Equation (11.6): the hidden delta (5.2) with the ReLU's slope (11.4). A unit
    that is off ($h_j = 0$) passes no error back and its incoming weights get
    no gradient from this sample.

    Parameters
    ----------
    delta : array, shape (k,) or (N, k)
        Deltas of the next layer.
    u : array, shape (j, k)
        Weights from this layer to the next.
    h : array, shape (j,) or (N, j)
        This layer's ReLU activations.

    Returns
    -------
    array, same shape as h

    Examples
    --------
    >>> from backprop_book import running_example, forward, output_delta
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x, hidden="relu")
    >>> h
    array([0.3 , 0.15, 0.  ])
    >>> relu_hidden_delta(output_delta(y, ex.t), ex.weights[1], h).round(4)
    array([-0.1083,  0.0758,  0.    ])
    """
    delta_h = dL_dh(delta, u)  # sum_k delta_k u_jk, a new array
    delta_h *= drelu_da(h)  # times 1[h_j > 0], in place
    return delta_h


# ------------------------------------------------------------- outputs and their losses


@_checks.validated(_checks.logits)
def softmax(a: Array) -> Array:
    r"""Turn each row of pre-activations into a probability distribution.

    $$ y_k = \frac{e^{a_k}}{\sum_j e^{a_j}} = \frac{e^{a_k - m}}{\sum_j e^{a_j - m}},
       \qquad m = \max_j a_j $$

    Equation (11.7). Subtracting the row's largest entry $m$ changes nothing
    (it cancels between numerator and denominator) but makes every exponent
    at most 0: nothing overflows, and the largest term is exactly 1, so the
    denominator is at least 1.

    Parameters
    ----------
    a : array, shape (k,) or (N, k)
        Pre-activations of the output layer (logits), one row per sample.

    Returns
    -------
    array, same shape
        Each row is non-negative and sums to 1.

    Raises
    ------
    ValueError
        If ``a`` is not 1-D or 2-D, or holds NaN or infinity.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_book import running_example, forward, pre_activation
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> a2 = pre_activation(h, ex.weights[1], ex.biases[1])
    >>> softmax(a2).round(4)
    array([0.5648, 0.4352])
    >>> softmax(np.array([1000.0, 1000.0, -1000.0]))
    array([0.5, 0.5, 0. ])

    Adding the same number to every logit of a row changes nothing:

    >>> bool(np.allclose(softmax(a2 + 123.0), softmax(a2)))
    True
    """
    xp = _checks.xp()
    e = xp.exp(a - xp.max(a, axis=-1, keepdims=True))  # e^{a_k - m}, each in (0, 1]
    return e / xp.sum(e, axis=-1, keepdims=True)  # e^{a_k - m} / sum_j e^{a_j - m}


@_checks.validated(_checks.logits_and_distributions)
def softmax_cross_entropy(a: Array, t: Array) -> Array:
    r"""Cross-entropy of softmax outputs, computed from the logits.

    $$ L = -\sum_k t_k \log y_k = \sum_k t_k \Bigl(\log \sum_j e^{a_j} - a_k\Bigr),
       \qquad \mathbf{y} = \operatorname{softmax}(\mathbf{a}) $$

    Equation (11.8). $\log y_k = a_k - \log\sum_j e^{a_j}$, and the log-sum-exp
    is taken as $m + \log\sum_j e^{a_j - m}$ with $m = \max_j a_j$: no
    overflow, and no $\log 0$ even when $y_k$ itself would round to 0. Each
    row of $\mathbf{t}$ must be a probability distribution (one-hot, or soft
    labels); for a batch the rows' losses add up, as for the L2 loss (3.1).

    Parameters
    ----------
    a : array, shape (k,) or (N, k)
        Output pre-activations (logits).
    t : array, same shape as a
        Targets: entries >= 0, each row summing to 1.

    Returns
    -------
    0-d array (a float for NumPy input)
        The loss $L \ge 0$.

    Raises
    ------
    ValueError
        If the shapes differ, either holds NaN or infinity, or a row of ``t``
        is not a probability distribution.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_book import running_example, forward, pre_activation
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> a2 = pre_activation(h, ex.weights[1], ex.biases[1])
    >>> round(float(softmax_cross_entropy(a2, ex.t)), 6)
    0.571255
    >>> float(softmax_cross_entropy(np.array([1000.0, -1000.0]), np.array([0.0, 1.0])))
    2000.0

    It is $-\log$ of the probability given to the true class:

    >>> bool(np.isclose(softmax_cross_entropy(a2, ex.t), -np.log(softmax(a2)[0])))
    True
    >>> softmax_cross_entropy(a2, np.array([1.0, 1.0]))
    Traceback (most recent call last):
    ...
    ValueError: t must hold probability distributions for softmax with cross_entropy (entries >= 0, each row summing to 1), but a row of t sums to 2.0
    """
    xp = _checks.xp()
    m = xp.max(a, axis=-1, keepdims=True)
    log_sum = xp.log(xp.sum(xp.exp(a - m), axis=-1, keepdims=True))  # log sum_j e^{a_j - m}
    # -log y_k = (m - a_k) + log sum_j e^{a_j - m}, kept apart: m + log 2 would round to m at 1e308;
    # a class with t_k = 0 adds 0, even where m - a_k overflows to infinity
    gaps = xp.where(t > 0, t * (m - a), xp.zeros_like(a))
    return xp.sum(gaps) + xp.sum(xp.sum(t, axis=-1, keepdims=True) * log_sum)


@_checks.validated(_checks.logits_and_probabilities)
def sigmoid_cross_entropy(a: Array, t: Array) -> Array:
    r"""Binary cross-entropy of sigmoid outputs, computed from the logits.

    $$ L = -\sum_k \bigl[t_k \log y_k + (1 - t_k)\log(1 - y_k)\bigr]
         = \sum_k \bigl[t_k\, \operatorname{sp}(-a_k) + (1 - t_k)\, \operatorname{sp}(a_k)\bigr] $$

    Equation (11.10), with $y_k = \sigma(a_k)$ and the softplus
    $\operatorname{sp}(a) = \log(1 + e^{a}) = \max(a, 0) + \log(1 + e^{-|a|})$,
    since $-\log\sigma(a) = \operatorname{sp}(-a)$ and
    $-\log(1 - \sigma(a)) = \operatorname{sp}(a)$. The exponential is never of a
    positive number, and no logarithm sees 0. Every output is its own yes/no
    question, so every entry of $\mathbf{t}$ must lie in [0, 1].

    Parameters
    ----------
    a : array, shape (k,) or (N, k)
        Output pre-activations (logits).
    t : array, same shape as a
        Targets, each in [0, 1].

    Returns
    -------
    0-d array (a float for NumPy input)
        The loss $L \ge 0$, summed over outputs and samples.

    Raises
    ------
    ValueError
        If the shapes differ, either holds NaN or infinity, or an entry of
        ``t`` is outside [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_book import running_example, forward, pre_activation
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> a2 = pre_activation(h, ex.weights[1], ex.biases[1])
    >>> round(float(sigmoid_cross_entropy(a2, ex.t)), 6)
    1.275146

    At a saturated unit the loss keeps its digits: $\sigma(40)$ rounds to 1.0,
    yet the loss of $a = 40$ against $t = 1$ is $\log(1 + e^{-40})$, not 0:

    >>> float(sigmoid_cross_entropy(np.array([40.0]), np.array([1.0])))
    4.248354255291589e-18
    >>> float(sigmoid_cross_entropy(np.array([-1000.0]), np.array([1.0])))
    1000.0

    It equals the textbook formula where that one is safe:

    >>> bool(np.isclose(sigmoid_cross_entropy(a2, ex.t),
    ...                 -np.sum(ex.t * np.log(y) + (1 - ex.t) * np.log(1 - y))))
    True
    """
    xp = _checks.xp()
    zero = xp.zeros_like(a)
    r = xp.log1p(xp.exp(-xp.abs(a)))  # log(1 + e^{-|a|})
    on, off = xp.where(-a > 0, -a, zero) + r, xp.where(a > 0, a, zero) + r  # sp(-a), sp(a)
    return xp.sum(t * on + (1 - t) * off)  # sum_k t_k sp(-a_k) + (1 - t_k) sp(a_k)


@_checks.validated(_checks.outputs_and_distributions)
def softmax_cross_entropy_delta(y: Array, t: Array) -> Array:
    r"""The output delta of softmax with cross-entropy: output minus target.

    $$ \delta_k = \frac{\partial L}{\partial a_k}
       = \sum_m \frac{\partial L}{\partial y_m}\frac{\partial y_m}{\partial a_k}
       = \sum_m \Bigl(-\frac{t_m}{y_m}\Bigr) y_m\bigl([m = k] - y_k\bigr)
       = y_k - t_k $$

    Equation (11.9): the softmax's slope $y_m([m = k] - y_k)$ cancels the
    $1/y_m$ of the logarithm, and $\sum_m t_m = 1$ leaves $y_k - t_k$.

    Parameters
    ----------
    y : array, shape (k,) or (N, k)
        Softmax outputs.
    t : array, same shape as y
        Targets, each row a probability distribution.

    Returns
    -------
    array, same shape as y
        $\delta = y - t$.

    Raises
    ------
    ValueError
        If the shapes differ or a row of ``t`` is not a probability distribution.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_book import running_example, forward
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x, output="softmax")
    >>> softmax_cross_entropy_delta(y, ex.t).round(4)
    array([-0.4352,  0.4352])

    The deltas of a sample sum to 0, since both $y$ and $t$ sum to 1:

    >>> abs(float(softmax_cross_entropy_delta(y, ex.t).sum())) < 1e-15
    True
    """
    return y - t  # delta_k = y_k - t_k


@_checks.validated(_checks.outputs_and_probabilities)
def sigmoid_cross_entropy_delta(y: Array, t: Array) -> Array:
    r"""The output delta of a sigmoid with binary cross-entropy: output minus target.

    $$ \delta_k = \frac{\partial L}{\partial y_k}\frac{\partial y_k}{\partial a_k}
       = \frac{y_k - t_k}{y_k(1 - y_k)}\; y_k(1 - y_k) = y_k - t_k $$

    Equation (11.11): the derivative of the loss has $y_k(1 - y_k)$ in its
    denominator, and the sigmoid's slope (4.3) cancels it. Compare the L2
    delta (4.4), where nothing cancels the slope.

    Parameters
    ----------
    y : array, shape (k,) or (N, k)
        Sigmoid outputs.
    t : array, same shape as y
        Targets, each in [0, 1].

    Returns
    -------
    array, same shape as y
        $\delta = y - t$.

    Raises
    ------
    ValueError
        If the shapes differ or an entry of ``t`` is outside [0, 1].

    Examples
    --------
    >>> from backprop_book import running_example, forward, output_delta
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> sigmoid_cross_entropy_delta(y, ex.t).round(4)
    array([-0.4071,  0.5288])

    The L2 delta (4.4) is this one times the slope $y(1 - y) \le 1/4$:

    >>> output_delta(y, ex.t).round(4)
    array([-0.0983,  0.1318])
    """
    return y - t  # delta_k = y_k - t_k


# Names this module held before the choices moved to ``choices`` (issue 9). The old import
# paths keep working; they are read from there when asked for, since ``choices`` sits above
# this module and importing it here would close a cycle.
_MOVED = {
    "HIDDEN": lambda choices: tuple(choices.HIDDEN),
    "OUTPUT": lambda choices: tuple(choices.OUTPUT),
    "LOSS": lambda choices: choices.LOSS,
    "PAIRS": lambda choices: tuple(choices.PAIRS),
    "loss_value": lambda choices: choices.loss_value,
}


def __getattr__(name: str) -> Any:
    if name in _MOVED:  # the package's __init__ has imported choices before anyone asks
        return _MOVED[name](sys.modules[f"{__package__}.choices"])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
