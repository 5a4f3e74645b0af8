r"""Mini-batches: how noisy a batch's gradient is (Chapter 15).

The gradient of the summed loss is a sum over the samples, Equation (6.2). A
batch of $N$ of the $M$ samples, drawn without replacement and scaled by
$M/N$, estimates that sum without bias; this module gives the size of its
error. Training on mini-batches is ``train(..., batch_size=N, seed=...)``.
"""

from __future__ import annotations



from . import _checks
from ._checks import Array


def batch_gradient_variance(grads: Array, batch_size: int) -> float:
    r"""The mean squared error of a batch's scaled gradient as an estimate of the full one.

    $$ E\Bigl\|\tfrac{M}{N}\sum_{s \in B} \mathbf{g}_s - \mathbf{g}\Bigr\|^2
       = M^2\,\frac{M - N}{N(M - 1)}\,\sigma^2, \qquad
       \sigma^2 = \frac1M \sum_{s=1}^{M} \bigl\|\mathbf{g}_s - \bar{\mathbf{g}}\bigr\|^2 $$

    Equation (15.2), for a batch $B$ of $N$ samples drawn uniformly without
    replacement from the $M$ samples; $\mathbf{g}_s$ is sample $s$'s gradient (one term of
    the sum (6.2)), $\mathbf{g} = \sum_s \mathbf{g}_s$ and $\bar{\mathbf{g}} = \mathbf{g}/M$.
    It falls like $1/N$ while $N \ll M$ and reaches 0 at $N = M$.

    Parameters
    ----------
    grads : array, shape (M, P)
        One row per sample: that sample's gradient, every parameter flattened.
        At least two rows.
    batch_size : int
        $N$, from 1 to $M$.

    Returns
    -------
    float

    Examples
    --------
    Four samples whose gradients are the numbers 1, 2, 3, 6 (sum 12). The six
    batches of two give the estimates $2(1+2), \dots, 2(3+6)$: 6, 8, 14, 10,
    16, 18, whose mean squared error about 12 is 112/6:

    >>> import numpy as np
    >>> g = np.array([[1.0], [2.0], [3.0], [6.0]])
    >>> round(batch_gradient_variance(g, 2), 4), round(112 / 6, 4)
    (18.6667, 18.6667)
    >>> batch_gradient_variance(g, 4)  # the whole data set: no noise
    0.0
    """
    xp, grads = _checks.arrays(grads=grads)
    _checks.ndim_in("grads", grads, (2,), "2-D (samples, parameters)")
    M = grads.shape[0]  # the number of samples
    if M < 2:
        raise ValueError(f"grads must hold at least two samples' gradients, got shape {tuple(grads.shape)}")
    N = _checks.integer("batch_size", batch_size, 1)
    if N > M:
        raise ValueError(f"batch_size must be at most the {M} samples of grads (shape {tuple(grads.shape)}), got {N}")
    _checks.finite(xp, grads=grads)
    spread = grads - xp.mean(grads, axis=0)  # g_s - g_bar
    sigma2 = float(xp.sum(spread * spread)) / M  # sigma^2
    return M * M * (M - N) / (N * (M - 1)) * sigma2  # M^2 (M - N) / (N (M - 1)) sigma^2
