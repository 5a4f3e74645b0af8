r"""Chapter 9, training: the checker for gradient descent."""

from __future__ import annotations

from typing import Any, Callable

from ..network import running_example
from ..update import train
from .runner import Case, Verdict, random_network, run, seeded


def check_train(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(weights, biases, x, t, lr, epochs)`` against full-batch gradient descent, Equation (9.1).

    It must return ``(weights, biases, losses)`` with ``epochs + 1`` losses: the
    loss before the first step and after each step.
    """
    rng = seeded(seed)
    ex = running_example()
    w, b = random_network(rng, [2, 3, 1])
    x, t = rng.normal(size=(6, 2)), rng.uniform(size=(6, 1))
    items = [("the running example, 5 steps", ex.weights, ex.biases, ex.x, ex.t, 0.5, 5),
             ("a batch of 6, 8 steps", w, b, x, t, 0.2, 8),
             ("edge: 0 steps", ex.weights, ex.biases, ex.x, ex.t, 0.5, 0)]
    cases = []
    for label, w, b, x, t, lr, epochs in items:
        cases.append(Case(label, (w, b, x, t, lr, epochs), ("weights", "biases", "x", "t", "lr", "epochs"),
                           train(w, b, x, t, lr, epochs)))
    return run("check_train", fn, cases, reference="train", out=out)
