r"""Chapter 14, why depth is hard: checkers for the initialisation scales."""

from __future__ import annotations

import math
from typing import Any, Callable

from .runner import Case, Verdict, run, seeded


def check_he_std(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(fan_in)``: the standard deviation of He's weights, from Equation (14.4).

    A ReLU layer keeps $\operatorname{Var}(a)$ flat when
    $n_{l-1}\operatorname{Var}(w)\,E[h^2] = \operatorname{Var}(a)$ with
    $E[h^2] = \operatorname{Var}(a)/2$; ``fn`` returns $\sqrt{\operatorname{Var}(w)}$.
    """
    rng = seeded(seed)
    fan_ins = [("64 inputs, as in the chapter", 64), ("one input", 1), ("784 pixels", 784),
               ("a random width", int(rng.integers(2, 500)))]
    cases = [Case(label, (n,), ("fan_in",), math.sqrt(2.0 / n)) for label, n in fan_ins]
    hints = [
        (lambda n: math.sqrt(1.0 / n), "that keeps Var(a) flat for units that are linear near 0; "
         "a ReLU passes only half of E[a^2], so the variance must double"),
        (lambda n: 2.0 / n, "this is the variance Var(w); return its square root, the standard deviation"),
        (lambda n: 1.0 / n, "this is the variance for linear units; a ReLU needs twice it, and the square root"),
    ]
    return run("check_he_std", fn, cases, reference="derivation of (14.4)", hints=hints, out=out)


def check_xavier_uniform_limit(
    fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print
) -> Verdict:
    r"""Check ``fn(fan_in, fan_out)``: the $r$ of $\mathcal{U}(-r, r)$ with Xavier's variance (14.3).

    $\mathcal{U}(-r, r)$ has variance $r^2/3$; setting it to $2/(n_{l-1} + n_l)$
    gives $r = \sqrt{6/(n_{l-1} + n_l)}$.
    """
    rng = seeded(seed)
    pairs = [("64 to 64", 64, 64), ("784 to 100", 784, 100), ("1 to 1", 1, 1),
             ("random widths", int(rng.integers(2, 300)), int(rng.integers(2, 300)))]
    cases = [Case(label, (m, n), ("fan_in", "fan_out"), math.sqrt(6.0 / (m + n))) for label, m, n in pairs]
    hints = [
        (lambda m, n: math.sqrt(2.0 / (m + n)), "that is the standard deviation of (14.3); a uniform "
         "U(-r, r) has variance r^2/3, not r^2"),
        (lambda m, n: math.sqrt(3.0 / (m + n)), "U(-r, r) has variance r^2/3: set r^2/3 = 2/(n_in + n_out)"),
        (lambda m, n: 6.0 / (m + n), "this is r^2; return r"),
    ]
    return run("check_xavier_uniform_limit", fn, cases, reference="derivation of (14.3)", hints=hints, out=out)
