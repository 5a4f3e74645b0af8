r"""Chapter 15, mini-batches: checkers for the noise of a batch's gradient."""

from __future__ import annotations

from typing import Any, Callable

from ..minibatch import batch_gradient_variance
from .runner import Case, Verdict, run, seeded


def check_batch_gradient_variance(
    fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print
) -> Verdict:
    r"""Check ``fn(grads, batch_size)`` against Equation (15.2).

    ``grads`` has one row per sample (its gradient, flattened); the answer is
    the mean squared error of $\frac{M}{N}\sum_{s \in B}\mathbf{g}_s$ about
    $\mathbf{g} = \sum_s \mathbf{g}_s$ for batches of $N$ drawn without replacement
    from the $M$ samples (rows).
    """
    rng = seeded(seed)
    tiny = rng.normal(size=(4, 1)).round(1)
    grads = rng.normal(size=(30, 5))
    items = [("four samples, batches of 2", tiny, 2), ("30 samples, batches of 1", grads, 1),
             ("30 samples, batches of 7", grads, 7), ("edge: the whole data set", grads, 30)]
    cases = [Case(label, (G, N), ("grads", "batch_size"), batch_gradient_variance(G, N))
             for label, G, N in items]
    n2 = lambda G: G.shape[0] ** 2 * float(((G - G.mean(0)) ** 2).sum()) / G.shape[0]  # noqa: E731
    hints = [
        (lambda G, N: n2(G) / N, "this is the variance for draws with replacement; a batch draws "
         "without replacement, which multiplies it by (M - N)/(M - 1)"),
        (lambda G, N: n2(G) * (G.shape[0] - N) / (N * G.shape[0]), "the finite-population factor "
         "is (M - N)/(M - 1), not (M - N)/M"),
    ]
    return run("check_batch_gradient_variance", fn, cases, reference="batch_gradient_variance",
               hints=hints, out=out)


def _half_noise_batch(M: int, batch_size: int) -> int:
    # the smallest N' with (M - N')/N' <= (M - N)/(4N), i.e. N' >= 4MN/(M + 3N), in integers
    return -(-4 * M * batch_size // (M + 3 * batch_size))


def check_half_noise_batch(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(M, batch_size)``: the smallest batch whose noise is half that of ``batch_size``.

    The noise is the square root of (15.2); from $M$ samples, the answer is the
    smallest integer $N'$ with $\sqrt{E\|\hat{\mathbf{g}}_{N'} - \mathbf{g}\|^2} \le
    \tfrac12\sqrt{E\|\hat{\mathbf{g}}_{N} - \mathbf{g}\|^2}$.
    """
    rng = seeded(seed)
    items = [("the digits, batches of 8", 1257, 8), ("the digits, one sample", 1257, 1),
             ("half the data set", 100, 50), ("edge: the whole data set", 10, 10),
             ("random sizes", int(rng.integers(200, 2000)), int(rng.integers(2, 100)))]
    cases = [Case(label, (M, N), ("M", "batch_size"), _half_noise_batch(M, N)) for label, M, N in items]
    hints = [
        (lambda M, N: 4 * N, "4N is right only with replacement (or M much larger than N): "
         "the factor (M - N)/(M - 1) of (15.2) makes the noise fall faster"),
        (lambda M, N: 2 * N, "2N halves the mean squared error; the noise is its square root"),
    ]
    return run("check_half_noise_batch", fn, cases, reference="noise of (15.2)", hints=hints, out=out)
