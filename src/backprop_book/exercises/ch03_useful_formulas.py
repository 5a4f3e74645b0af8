r"""Chapter 3, the useful formulas: checkers for the sigmoid and the L2 loss."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..activation import sigmoid, sigmoid_prime
from ..loss import l2_loss
from .runner import (
    Case,
    Verdict,
    elementwise_derivative,
    logits_outputs_targets,
    run,
    running,
    seeded,
)


def check_sigmoid(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(a)`` against the sigmoid $1/(1 + e^{-a})$, Equation (3.2), including $a = \pm 1000$.

    The edge cases need the stable form. At $a = -720$, $\sigma(a) \approx 2.0
    \times 10^{-313}$ is still a float64 number but $e^{720}$ is not, so
    ``1 / (1 + np.exp(-a))`` returns 0 there, a wrong value compared relatively
    (where there are floating-point flags, NumPy also raises on that overflow
    while ``fn`` runs; WebAssembly has none, and the value catches it anyway).
    """
    rng = seeded(seed)
    _, a1, *_ = running()
    cases = [
        Case("the running example", (a1,), ("a",), sigmoid(a1)),
        Case("a batch", (rng.normal(0, 3, (3, 4)),), ("a",), None),
        Case("edge: a = -720, where e^(-a) overflows", (np.array([-720.0, -700.0, 0.0]),), ("a",), None,
             atol=0.0),
        Case("edge: large inputs", (np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0]),), ("a",), None),
    ]
    for c in cases[1:]:
        c.expected = sigmoid(c.args[0])
    return run("check_sigmoid", fn, cases, reference="sigmoid", out=out, hints=[
        (lambda a: 1 / (1 + np.exp(-a)), "1 / (1 + e^(-a)) overflows for a < -709: e^720 is inf, so it "
         "returns 0 where sigma(-720) = 2.0e-313; for a < 0 use e^a / (1 + e^a)"),
        (lambda a: np.exp(a) / (1 + np.exp(a)), "e^a / (1 + e^a) is right in exact arithmetic; "
         "see Chapter 3 for a form that cannot overflow"),
    ])


def check_sigmoid_prime(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(a)`` against $\sigma'(a) = \sigma(a)(1 - \sigma(a))$, Equation (3.3).

    Compared with the book's ``sigmoid_prime`` and with central differences of
    the sigmoid, on the running example, a batch and $a \in \{-40, 0, 40\}$.
    """
    rng = seeded(seed)
    _, a1, *_ = running()
    cases = []
    for label, a in [("the running example", a1), ("a batch", rng.normal(0, 2, (3, 4))),
                     ("edge: a = -40, 0, 40", np.array([-40.0, 0.0, 40.0]))]:
        cases.append(Case(label, (a,), ("a",), sigmoid_prime(a), elementwise_derivative(sigmoid, a)))
    hints = [
        (lambda a: a * (1 - a), "y(1 - y) takes the output y = sigma(a), not a: use sigma(a)(1 - sigma(a))"),
        (lambda a: sigmoid(a), "this is sigma(a) itself, not its derivative"),
    ]
    return run("check_sigmoid_prime", fn, cases, reference="sigmoid_prime", hints=hints, out=out)


def check_l2_loss(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y, t)`` against $L = \frac12 \sum_k (y_k - t_k)^2$, Equation (3.1), summed over a batch."""
    rng = seeded(seed)
    ex, _, _, _, y = running()
    cases = [Case("the running example", (y, ex.t), ("y", "t"), float(l2_loss(y, ex.t)))]
    for label, shape in [("one sample", (3,)), ("a batch of 4 samples", (4, 2))]:
        _, yy, tt = logits_outputs_targets(rng, shape)
        cases.append(Case(label, (yy, tt), ("y", "t"), float(l2_loss(yy, tt))))
    cases.append(Case("edge: y equals t", (y, y.copy()), ("y", "t"), 0.0))
    hints = [(lambda y, t: np.mean((y - t) ** 2) / 2, "a batch's loss is the sum over samples and outputs, not the mean")]
    return run("check_l2_loss", fn, cases, reference="l2_loss", hints=hints, out=out)
