"""The hypothesis strategies of the suite: values, layers, targets and whole networks.

A single sample has shape ``(d,)`` and a batch ``(n, d)``; ``batches`` draws either
(None for a single sample).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

widths = st.integers(1, 4)
batches = st.one_of(st.none(), st.integers(1, 4))  # None: one sample of shape (d,)


def values(shape: Any, low: float, high: float, dtype: Any = np.float64) -> st.SearchStrategy:
    """Arrays of ``shape`` with every entry drawn on its own in [low, high] (no subnormals)."""
    # fill=nothing: every element drawn on its own, not mostly one repeated fill value
    elements = st.floats(low, high, allow_subnormal=False, width=np.dtype(dtype).itemsize * 8)
    return hnp.arrays(dtype, shape, elements=elements, fill=st.nothing())


def rows(n: int | None, d: int) -> tuple[int, ...]:
    """The shape of ``n`` samples of width ``d``; ``(d,)`` for a single sample."""
    return (d,) if n is None else (n, d)


@st.composite
def targets(draw: Any, shape: tuple[int, ...], output: str = "sigmoid", loss: str = "l2") -> np.ndarray:
    """Targets the (output, loss) pair accepts: [0, 1] for sigmoid outputs, any for identity + L2,
    probability distributions (one-hot or soft) for softmax + cross-entropy."""
    if output == "identity":
        return draw(values(shape, -1.5, 1.5))
    if output == "sigmoid":
        return draw(values(shape, 0, 1))
    if draw(st.booleans()):  # one-hot
        labels = draw(hnp.arrays(np.int64, shape[:-1], elements=st.integers(0, shape[-1] - 1)))
        return np.eye(shape[-1])[labels]
    t = draw(values(shape, 0.01, 1))
    return t / t.sum(axis=-1, keepdims=True)


@st.composite
def networks(draw: Any, hidden: str = "sigmoid", output: str = "sigmoid", loss: str = "l2", *,
             max_depth: int = 3, n: st.SearchStrategy = batches) -> tuple:
    """``(weights, biases, x, t)``: 1 to ``max_depth`` weight layers of 1 to 4 units, and data."""
    depth = draw(st.integers(1, max_depth))
    sizes = draw(st.lists(widths, min_size=depth + 1, max_size=depth + 1))
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)  # a softmax over one class is constant
    count = draw(n)
    weights = [draw(values((m, k), -1.5, 1.5)) for m, k in zip(sizes, sizes[1:])]
    biases = [draw(values((k,), -1, 1)) for k in sizes[1:]]
    x = draw(values(rows(count, sizes[0]), -2, 2))
    t = draw(targets(rows(count, sizes[-1]), output, loss))
    return weights, biases, x, t


@st.composite
def layer_data(draw: Any) -> tuple:
    """One layer and what surrounds it: inputs h (n?, j), weights u (j, k), biases b (k,), targets t."""
    n, j, k = draw(batches), draw(widths), draw(widths)
    return (
        draw(values(rows(n, j), -2, 2)),
        draw(values((j, k), -1.5, 1.5)),
        draw(values((k,), -1, 1)),
        draw(values(rows(n, k), 0, 1)),
    )
