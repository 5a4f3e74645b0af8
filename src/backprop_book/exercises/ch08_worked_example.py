r"""Chapter 8, a worked example: the checker for one gradient step."""

from __future__ import annotations

from typing import Any, Callable

from ..general import backprop
from ..network import running_example
from ..update import gradient_step
from .runner import Case, Verdict, run, seeded


def check_gradient_step(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(param, grad, lr)`` against $\mathbf{u} - \eta\nabla_{\mathbf{u}} L$, Equation (4.1).

    Also checks that ``param`` is left unchanged (a new array is returned).
    """
    rng = seeded(seed)
    ex = running_example()
    weight_grads, _ = backprop(ex.weights, ex.biases, ex.x, ex.t)
    items = [("the running example", ex.weights[1], weight_grads[1], 0.5),
             ("a random matrix", rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), 0.1),
             ("a vector", rng.normal(size=5), rng.normal(size=5), 2.0)]
    cases = [Case(label, (p, g, lr), ("param", "grad", "lr"), gradient_step(p, g, lr)) for label, p, g, lr in items]
    hints = [(lambda p, g, lr: p + lr * g, "the step goes along the gradient; it must go against it, to lower the loss")]
    return run("check_gradient_step", fn, cases, reference="gradient_step", hints=hints, out=out)
