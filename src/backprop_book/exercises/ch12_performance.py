r"""Chapter 12, why backprop is fast: the checker for counting its products."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from .runner import Case, Verdict, run, seeded


def _multiply_adds(sizes: Sequence[int], batch: int) -> int:
    """Multiply-adds in the matrix products of one forward and backward pass.

    Forward: ``X W`` per layer. Backward: ``H^T Delta`` per layer, and
    ``Delta W^T`` for every layer but the first (no delta is needed below it).
    """
    pairs = [m * n for m, n in zip(sizes, sizes[1:])]
    return batch * (2 * sum(pairs) + sum(pairs[1:]))


def check_multiply_adds(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(sizes, batch)``: the multiply-adds in the matrix products of one ``backprop`` call.

    For layer sizes $n_0, \dots, n_D$ and a batch of $N$: the forward products
    $\mathbf{H}^{(l-1)}\mathbf{W}^{(l)}$ and the weight gradients
    $\mathbf{H}^{(l-1)\top}\boldsymbol{\Delta}^{(l)}$ cost $N n_{l-1} n_l$ each,
    and the products $\boldsymbol{\Delta}^{(l)}\mathbf{W}^{(l)\top}$ that carry
    deltas back cost the same, for every layer but the first (Equations (2.1),
    (6.2) and (6.1)). Returns an integer.
    """
    rng = seeded(seed)
    items = [("the running example", [2, 3, 2], 1), ("one layer", [5, 3], 8),
             ("three layers", [int(v) for v in rng.integers(2, 20, 4)], 16),
             ("the benchmark's MNIST-sized net", [784, 256, 10], 512)]
    cases = [Case(label, (sizes, batch), ("sizes", "batch"), _multiply_adds(sizes, batch))
             for label, sizes, batch in items]
    hints = [
        (lambda s, n: 3 * n * sum(a * b for a, b in zip(s, s[1:])),
         "the first layer needs no Delta W^T: nothing lies below it to receive a delta"),
        (lambda s, n: _multiply_adds(s, 1), "every product is done for each of the batch's samples"),
    ]
    return run("check_multiply_adds", fn, cases, reference="count of the products", hints=hints, out=out)
