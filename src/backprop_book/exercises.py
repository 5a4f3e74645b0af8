r"""Checkers for the exercises at the end of each chapter.

Each chapter asks the reader to derive a formula and then implement it. A
checker takes the reader's function, runs it on seeded random inputs (single
samples, batches and edge values) and compares the answer with the book's own
function and, for a derivative, with central differences (Equation (10.1) of
the book, via ``numerical_gradient``). It prints a short verdict and returns it:

>>> from backprop_book.exercises import check_output_delta
>>> def my_output_delta(y, t):
...     return (y - t) * y * (1 - y)
>>> verdict = check_output_delta(my_output_delta)  # doctest: +ELLIPSIS
check_output_delta: passed all ... cases ...
>>> bool(verdict)
True

A wrong answer is reported with the first input where it went wrong, what the
book expected and what the function returned, and a hint when the mistake is
a common one:

>>> verdict = check_output_delta(lambda y, t: y - t)  # doctest: +ELLIPSIS
check_output_delta: FAILED on case 1 of ... (the running example)
  y = [0.5929 0.5288]
  t = [1. 0.]
  expected: [-0.0983  0.1318]
  got:      [-0.4071  0.5288]
  problem: wrong values: the largest difference is 0.397 at index (1,)
  hint: this is dL/dy = y - t alone; the delta also needs the slope dy/da = y(1 - y) (4.3)
>>> bool(verdict)
False

Every checker takes two keywords: ``seed`` (default 0) picks the random
inputs, and ``out`` (default ``print``) is called with the verdict's text; pass
``out=None`` to print nothing. The book's pages pass ``out=print`` explicitly,
so that the verdict lands in the page (markdown-exec captures only the
``print`` of the executed block).

A checker never raises because of the function it checks: an exception inside
it is reported like a wrong answer. NumPy is set to raise on overflow, division
by zero and invalid operations while the function runs (the book's functions
trigger none of them), so an overflowing ``exp`` is reported too. Only
something that is not callable is refused, with ``TypeError``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .activation import dy_da, sigmoid, sigmoid_prime
from .activations_and_losses import (
    drelu_da,
    dtanh_da,
    relu,
    sigmoid_cross_entropy,
    sigmoid_cross_entropy_delta,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_delta,
    tanh,
)
from .bias import bias_gradient
from .general import backprop
from .gradcheck import numerical_gradient, relative_error
from .hidden_layer import dL_dh, hidden_delta
from .loss import dL_dy, l2_loss
from .network import forward, pre_activation, running_example
from .output_layer import output_delta, weight_gradient
from .update import gradient_step, train

__all__ = [
    "Verdict",
    "check_backprop",
    "check_bias_gradient",
    "check_dL_dh",
    "check_dL_dy",
    "check_drelu_da",
    "check_dtanh_da",
    "check_dy_da",
    "check_forward",
    "check_gradient_step",
    "check_hidden_delta",
    "check_l2_loss",
    "check_multiply_adds",
    "check_numerical_gradient",
    "check_output_delta",
    "check_pre_activation",
    "check_relative_error",
    "check_sigmoid",
    "check_sigmoid_cross_entropy_delta",
    "check_sigmoid_prime",
    "check_softmax",
    "check_softmax_cross_entropy_delta",
    "check_train",
    "check_weight_gradient",
]

RTOL, ATOL = 1e-6, 1e-9  # agreement with the book's answer, entry by entry
FD_TOL = 1e-6  # norm relative error against central differences


@dataclass(frozen=True)
class Verdict:
    """What a checker found. True (in an ``if`` or ``assert``) exactly when every case passed.

    Attributes
    ----------
    checker : str
        The checker's name, e.g. ``"check_output_delta"``.
    passed : bool
        Whether every case passed.
    cases : int
        How many cases ran: all of them when passed, up to the first failure otherwise.
    total : int
        How many cases the checker has.
    report : str
        The printed verdict.
    """

    checker: str
    passed: bool
    cases: int
    total: int
    report: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return self.report


@dataclass
class _Case:
    label: str
    args: tuple
    names: tuple
    expected: Any
    numeric: Any = None  # central differences, for a derivative
    shown: dict | None = None  # how to print an argument that is not an array


# ---------------------------------------------------------------------------- the runner


def _show(value: Any) -> str:
    if callable(value):
        return getattr(value, "__name__", repr(value))
    if isinstance(value, (list, tuple)) and any(isinstance(v, (list, tuple, np.ndarray)) for v in value):
        inner = ", ".join(_brief(v) for v in value)  # a list of layers: their shapes
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=4, suppress_small=True, threshold=30)
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)) or (hasattr(value, "shape") and np.ndim(value) == 0):
        try:
            return f"{float(value):.10g}"
        except (TypeError, ValueError):
            pass
    return repr(value)


def _line(label: str, text: str, width: int) -> str:
    """``  label text``, with the text's later lines indented under its first."""
    head = f"  {label:<{width}} "
    return head + text.replace("\n", "\n" + " " * len(head))


def _brief(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return _show(value)
    shape = getattr(value, "shape", None)
    return f"array of shape {tuple(shape)}" if shape is not None else _show(value)


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, (list, tuple)):
        out = []
        for i, v in enumerate(value):
            out += _leaves(v, f"{path}[{i}]")
        return out
    return [(path, value)]


def _structure(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_structure(v) for v in value]
    return None


def _as_float_array(value: Any) -> np.ndarray | None:
    try:
        if hasattr(value, "detach"):  # a torch tensor that requires grad
            value = value.detach()
        return np.asarray(value, dtype=np.float64)
    except Exception:
        return None


def _same_shape_structure(got: Any, expected: Any) -> str | None:
    """None when ``got`` has ``expected``'s nesting of lists/tuples, else what differs."""
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return (
                f"expected a {type(expected).__name__} of {len(expected)} items, "
                f"got {type(got).__name__}"
            )
        if len(got) != len(expected):
            return f"expected {len(expected)} items, got {len(got)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            problem = _same_shape_structure(g, e)
            if problem:
                return f"item [{i}]: {problem}"
    return None


def _difference(got: Any, expected: Any, rtol: float = RTOL, atol: float = ATOL) -> str | None:
    """None when ``got`` matches ``expected`` (same nesting, shapes and values), else why not."""
    problem = _same_shape_structure(got, expected)
    if problem:
        return problem
    for (path, g), (_, e) in zip(_leaves(got), _leaves(expected)):
        where = f"{path}: " if path else ""
        e = np.asarray(e, dtype=np.float64)
        if g is None:
            return f"{where}returned None (is a return statement missing?)"
        g_arr = _as_float_array(g)
        if g_arr is None:
            return f"{where}returned {type(g).__name__}, which is not a number or an array of numbers"
        if g_arr.shape != e.shape:
            return f"{where}expected shape {e.shape}, got shape {g_arr.shape}"
        if not np.all(np.isfinite(g_arr)):
            return f"{where}the answer holds NaN or infinity"
        if not np.allclose(g_arr, e, rtol=rtol, atol=atol):
            gap = np.abs(g_arr - e)
            at = np.unravel_index(int(np.argmax(gap)), gap.shape) if gap.ndim else ()
            index = f" at index {tuple(int(i) for i in at)}" if at else ""
            return f"{where}wrong values: the largest difference is {gap.max():.3g}{index}"
    return None


def _first_wrong_leaf(got: Any, expected: Any) -> str:
    """The path ("[0][1]") of the first wrong part of a nested answer, or "" for a plain one."""
    if not isinstance(expected, (list, tuple)) or _same_shape_structure(got, expected):
        return ""
    for (path, g), (_, e) in zip(_leaves(got), _leaves(expected)):
        if _difference(g, e) is not None:
            return path
    return ""


def _flat_error(got: Any, numeric: Any) -> float:
    """Equation (10.2) over every number of two equally nested answers."""
    flat = [np.concatenate([np.ravel(_as_float_array(v)) for _, v in _leaves(x)]) for x in (got, numeric)]
    return relative_error(*flat)


def _hint_for(got: Any, expected: Any, case: _Case, hints: Sequence) -> str | None:
    g = _as_float_array(got) if not isinstance(got, (list, tuple)) else None
    for candidate, message in hints:
        try:
            value = candidate(*case.args)
            if value is not None and _difference(got, value) is None:
                return message
        except Exception:  # a hint that does not apply to this case
            continue
    if g is None or isinstance(expected, (list, tuple)):
        return None
    e = np.asarray(expected, dtype=np.float64)
    if g.shape != e.shape:
        if g.shape == e.T.shape and g.ndim == 2:
            return "the shape is transposed"
        return None
    if not np.all(np.isfinite(g)) or not np.any(e):
        return None
    if e.ndim == 2 and e.shape[0] == e.shape[1] and np.allclose(g, e.T, rtol=RTOL, atol=ATOL):
        return "the answer is the transpose of the expected one"
    if np.allclose(g, -e, rtol=RTOL, atol=ATOL):
        return "the sign is flipped"
    nonzero = np.abs(e) > 1e-12
    ratio = g[nonzero] / e[nonzero]
    if ratio.size and np.allclose(ratio, ratio.flat[0], rtol=1e-6) and ratio.flat[0] != 0:
        return f"every entry is off by the same factor, {ratio.flat[0]:.6g}"
    return None


def _run(
    checker: str,
    fn: Any,
    cases: list[_Case],
    *,
    reference: str,
    hints: Sequence = (),
    out: Callable[[str], Any] | None = print,
) -> Verdict:
    if not callable(fn):
        raise TypeError(
            f"{checker} checks a function, but got {type(fn).__name__} {fn!r:.60}; "
            "pass the function itself, without calling it"
        )
    total = len(cases)
    for i, case in enumerate(cases, 1):
        received = copy.deepcopy(case.args)
        failure = None
        try:
            with np.errstate(over="raise", divide="raise", invalid="raise"):
                got = fn(*received)
        except Exception as error:  # the reader's bug is reported, never raised
            hint = None
            if isinstance(error, FloatingPointError):
                hint = ("while a checker runs, NumPy raises on overflow, division by zero and invalid "
                        "operations instead of warning; the book's functions never trigger them")
            failure = (f"your function raised {type(error).__name__}: {error}", None, hint)
        else:
            changed = [
                n for n, before, after in zip(case.names, case.args, received)
                if not callable(before) and _difference(after, before, rtol=0, atol=0) is not None
            ]
            problem = _difference(got, case.expected)
            if changed:
                failure = (
                    f"your function changed its argument {', '.join(changed)} in place; "
                    "return new arrays and leave the inputs as they were", None, None,
                )
            elif problem:
                failure = (problem, got, _hint_for(got, case.expected, case, hints))
            elif case.numeric is not None and _flat_error(got, case.numeric) > FD_TOL:
                failure = (
                    f"disagrees with central differences (relative error "
                    f"{_flat_error(got, case.numeric):.1e})", got, None,
                )
        if failure is not None:
            problem, got, hint = failure
            lines = [f"{checker}: FAILED on case {i} of {total} ({case.label})"]
            shown = case.shown or {}
            for name, value in zip(case.names, case.args):
                lines.append(_line(f"{name} =", shown.get(name, _show(value)), 0))
            if got is not None:
                path = _first_wrong_leaf(got, case.expected)
                expected_leaf = dict(_leaves(case.expected)).get(path, case.expected)
                got_leaf = dict(_leaves(got)).get(path, got) if path else got
                width = len(f"expected{path}:")
                lines.append(_line(f"expected{path}:", _show(expected_leaf), width))
                lines.append(_line(f"got{path}:", _show(got_leaf), width))
            lines.append(f"  problem: {problem}")
            if hint:
                lines.append(f"  hint: {hint}")
            report = "\n".join(lines)
            if out is not None:
                out(report)
            return Verdict(checker, False, i, total, report)
    numeric = any(c.numeric is not None for c in cases)
    report = (
        f"{checker}: passed all {total} cases ({'; '.join(c.label for c in cases)}), against the "
        f"book's {reference}" + (" and central differences" if numeric else "")
    )
    if out is not None:
        out(report)
    return Verdict(checker, True, total, total, report)


# ------------------------------------------------------------------------ random inputs


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _elementwise_derivative(f: Callable, a: np.ndarray) -> np.ndarray:
    """Central differences of an elementwise f: the gradient of sum(f(a))."""
    return numerical_gradient(lambda v: float(np.sum(f(v))), a)


def _running():
    ex = running_example()
    x, h, y = forward(ex.weights, ex.biases, ex.x)
    a1 = pre_activation(ex.x, ex.weights[0], ex.biases[0])
    a2 = pre_activation(h, ex.weights[1], ex.biases[1])
    return ex, a1, h, a2, y


def _network(rng: np.random.Generator, sizes: list[int]) -> tuple[list, list]:
    weights = [rng.normal(0, 1, (m, n)) for m, n in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.5, n) for n in sizes[1:]]
    return weights, biases


# ------------------------------------------------------------------- Chapter 2: forward


def check_pre_activation(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(x, w, b)`` against $\mathbf{a} = \mathbf{x}\mathbf{W} + \mathbf{b}$, Equation (2.1).

    Cases: the running example, one random sample, a batch (one row per sample)
    and a layer with zero weights. Prints and returns a :class:`Verdict`.
    """
    rng = _rng(seed)
    ex = running_example()
    cases = []
    for label, x, w, b in [
        ("the running example", ex.x, ex.weights[0], ex.biases[0]),
        ("one sample", rng.normal(size=3), rng.normal(size=(3, 2)), rng.normal(size=2)),
        ("a batch of 4 samples", rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)),
        ("edge: zero weights", rng.normal(size=(2, 2)), np.zeros((2, 3)), rng.normal(size=3)),
    ]:
        cases.append(_Case(label, (x, w, b), ("x", "w", "b"), pre_activation(x, w, b)))
    hints = [(lambda x, w, b: x @ w, "the bias b is missing: a = x W + b")]
    return _run("check_pre_activation", fn, cases, reference="pre_activation", hints=hints, out=out)


def check_forward(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(weights, biases, x)``, the forward pass of Equation (2.2), returning ``[x, h, ..., y]``.

    Cases: the running example, a one-layer network, and a three-layer network on
    a batch. Prints and returns a :class:`Verdict`.
    """
    rng = _rng(seed)
    ex = running_example()
    cases = [_Case("the running example", (ex.weights, ex.biases, ex.x), ("weights", "biases", "x"),
                   forward(ex.weights, ex.biases, ex.x))]
    for label, sizes, x in [
        ("one layer, one sample", [3, 2], rng.normal(size=3)),
        ("three layers, a batch of 4", [2, 4, 3, 2], rng.normal(size=(4, 2))),
    ]:
        w, b = _network(rng, sizes)
        cases.append(_Case(label, (w, b, x), ("weights", "biases", "x"), forward(w, b, x)))
    hints = [(lambda w, b, x: forward(w, b, x)[-1], "return every activation [x, h, ..., y], not just y"),
             (lambda w, b, x: forward(w, b, x)[1:], "the list starts with the input x itself")]
    return _run("check_forward", fn, cases, reference="forward", hints=hints, out=out)


# ------------------------------------------------------- Chapter 3: the useful formulas


def check_sigmoid(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(a)`` against the sigmoid $1/(1 + e^{-a})$, Equation (3.2), including $a = \pm 1000$.

    The edge case needs the stable form: NumPy raises on overflow while ``fn``
    runs, so ``1 / (1 + np.exp(-a))`` is reported at $a = -1000$.
    """
    rng = _rng(seed)
    _, a1, *_ = _running()
    cases = [
        _Case("the running example", (a1,), ("a",), sigmoid(a1)),
        _Case("a batch", (rng.normal(0, 3, (3, 4)),), ("a",), None),
        _Case("edge: large inputs", (np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0]),), ("a",), None),
    ]
    for c in cases[1:]:
        c.expected = sigmoid(c.args[0])
    return _run("check_sigmoid", fn, cases, reference="sigmoid", out=out, hints=[
        (lambda a: np.exp(a) / (1 + np.exp(a)), "e^a / (1 + e^a) is right in exact arithmetic; "
         "see Chapter 3 for a form that cannot overflow"),
    ])


def check_sigmoid_prime(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(a)`` against $\sigma'(a) = \sigma(a)(1 - \sigma(a))$, Equation (3.3).

    Compared with the book's ``sigmoid_prime`` and with central differences of
    the sigmoid, on the running example, a batch and $a \in \{-40, 0, 40\}$.
    """
    rng = _rng(seed)
    _, a1, *_ = _running()
    cases = []
    for label, a in [("the running example", a1), ("a batch", rng.normal(0, 2, (3, 4))),
                     ("edge: a = -40, 0, 40", np.array([-40.0, 0.0, 40.0]))]:
        cases.append(_Case(label, (a,), ("a",), sigmoid_prime(a), _elementwise_derivative(sigmoid, a)))
    hints = [
        (lambda a: a * (1 - a), "y(1 - y) takes the output y = sigma(a), not a: use sigma(a)(1 - sigma(a))"),
        (lambda a: sigmoid(a), "this is sigma(a) itself, not its derivative"),
    ]
    return _run("check_sigmoid_prime", fn, cases, reference="sigmoid_prime", hints=hints, out=out)


def _y_t(rng: np.random.Generator, shape: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a = rng.normal(0, 1.5, shape)
    return a, sigmoid(a), rng.uniform(0, 1, shape)


def check_l2_loss(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y, t)`` against $L = \frac12 \sum_i (y_i - t_i)^2$, Equation (3.1), summed over a batch."""
    rng = _rng(seed)
    ex, _, _, _, y = _running()
    cases = [_Case("the running example", (y, ex.t), ("y", "t"), float(l2_loss(y, ex.t)))]
    for label, shape in [("one sample", (3,)), ("a batch of 4 samples", (4, 2))]:
        _, yy, tt = _y_t(rng, shape)
        cases.append(_Case(label, (yy, tt), ("y", "t"), float(l2_loss(yy, tt))))
    cases.append(_Case("edge: y equals t", (y, y.copy()), ("y", "t"), 0.0))
    hints = [(lambda y, t: np.mean((y - t) ** 2) / 2, "a batch's loss is the sum over samples and outputs, not the mean")]
    return _run("check_l2_loss", fn, cases, reference="l2_loss", hints=hints, out=out)


# --------------------------------------------------------- Chapter 4: the output layer


def check_dL_dy(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y, t)`` against $\partial L / \partial y_j = y_j - t_j$, Equation (4.2).

    Compared with the book's ``dL_dy`` and with central differences of the L2 loss.
    """
    rng = _rng(seed)
    ex, _, _, _, y = _running()
    cases = []
    items = [("the running example", y, ex.t)]
    for label, shape in [("one sample", (3,)), ("a batch of 4 samples", (4, 2))]:
        _, yy, tt = _y_t(rng, shape)
        items.append((label, yy, tt))
    for label, yy, tt in items:
        numeric = numerical_gradient(lambda v, tt=tt: l2_loss(v, tt), yy)
        cases.append(_Case(label, (yy, tt), ("y", "t"), dL_dy(yy, tt), numeric))
    hints = [(lambda y, t: t - y, "the sign is flipped: the loss grows when y moves away from t, so it is y - t"),
             (lambda y, t: 2 * (y - t), "the 1/2 in the loss cancels the 2 from the square")]
    return _run("check_dL_dy", fn, cases, reference="dL_dy", hints=hints, out=out)


def check_dy_da(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y)`` against $\partial y / \partial a = y(1 - y)$, Equation (4.3), from the output $y$."""
    rng = _rng(seed)
    ex, _, _, a2, y = _running()
    cases = [_Case("the running example", (y,), ("y",), dy_da(y), _elementwise_derivative(sigmoid, a2))]
    a = rng.normal(0, 2, (3, 4))
    cases.append(_Case("a batch", (sigmoid(a),), ("y",), dy_da(sigmoid(a)), _elementwise_derivative(sigmoid, a)))
    edge = np.array([0.0, 0.5, 1.0])
    cases.append(_Case("edge: y = 0, 1/2, 1", (edge,), ("y",), dy_da(edge)))
    hints = [(lambda y: sigmoid(y) * (1 - sigmoid(y)),
              "the argument is already the output y = sigma(a): do not apply the sigmoid again")]
    return _run("check_dy_da", fn, cases, reference="dy_da", hints=hints, out=out)


def check_output_delta(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y, t)`` against $\delta_j = (y_j - t_j)\,y_j(1 - y_j)$, Equation (4.4).

    Compared with the book's ``output_delta`` and with central differences of
    $L(\sigma(\mathbf{a}))$ with respect to $\mathbf{a}$, on the running example,
    one sample, a batch and the edge values $y \in \{0, 1/2, 1\}$.
    """
    rng = _rng(seed)
    ex, _, _, a2, y = _running()
    items = [("the running example", a2, ex.t)]
    for label, shape in [("one sample", (3,)), ("a batch of 4 samples", (4, 2))]:
        a, _, tt = _y_t(rng, shape)
        items.append((label, a, tt))
    cases = []
    for label, a, tt in items:
        numeric = numerical_gradient(lambda v, tt=tt: l2_loss(sigmoid(v), tt), a)
        cases.append(_Case(label, (sigmoid(a), tt), ("y", "t"), output_delta(sigmoid(a), tt), numeric))
    edge_y, edge_t = np.array([[0.0, 0.5, 1.0], [1.0, 0.5, 0.0]]), np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    cases.append(_Case("edge: y = 0, 1/2, 1", (edge_y, edge_t), ("y", "t"), output_delta(edge_y, edge_t)))
    hints = [
        (lambda y, t: y - t, "this is dL/dy = y - t alone; the delta also needs the slope dy/da = y(1 - y) (4.3)"),
        (lambda y, t: (y - t) * y, "the slope of the sigmoid is y(1 - y): the (1 - y) factor is missing"),
        (lambda y, t: (t - y) * y * (1 - y), "the sign is flipped: dL/dy = y - t"),
    ]
    return _run("check_output_delta", fn, cases, reference="output_delta", hints=hints, out=out)


def _linear_case(rng, label, inputs_shape, n_out):
    """Inputs and deltas for a layer a = inputs W + b, with the gradient of sum(delta * a)."""
    inputs = rng.normal(size=inputs_shape)
    delta = rng.normal(size=(*inputs_shape[:-1], n_out))
    return label, inputs, delta


def check_weight_gradient(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(inputs, delta)`` against $\partial L / \partial w_{ij} = \delta_j x_i$, Equations (4.5) and (6.2).

    For a batch the answer is $\mathbf{X}^\top\boldsymbol{\Delta}$, summed over
    the samples. Compared with the book's ``weight_gradient`` and with central
    differences of $\sum \boldsymbol{\Delta} \odot (\mathbf{X}\mathbf{W})$ with
    respect to $\mathbf{W}$ (whose gradient it is).
    """
    rng = _rng(seed)
    ex, _, h, _, y = _running()
    items = [("the running example", h, output_delta(y, ex.t)),
             _linear_case(rng, "one sample", (3,), 2),
             _linear_case(rng, "a batch of 5 samples", (5, 3), 2),
             _linear_case(rng, "a batch of 4, square weights", (4, 3), 3),
             _linear_case(rng, "edge: a batch of 1 sample", (1, 2), 3)]
    cases = []
    for label, inputs, delta in items:
        w0 = np.zeros((inputs.shape[-1], delta.shape[-1]))
        numeric = numerical_gradient(lambda w, i=inputs, d=delta: np.sum(d * (i @ w)), w0)
        cases.append(_Case(label, (inputs, delta), ("inputs", "delta"), weight_gradient(inputs, delta), numeric))
    hints = [
        (lambda i, d: (i.T @ d) / i.shape[0] if i.ndim == 2 else None,
         "this is the mean over the batch; the book's loss is a sum, so its gradient sums over samples"),
        (lambda i, d: np.outer(i[0], d[0]) if i.ndim == 2 else None,
         "only the first sample is used; a batch's gradient sums over every sample (6.2)"),
        (lambda i, d: np.outer(d, i) if i.ndim == 1 else d.T @ i,
         "rows are inputs and columns are outputs: w_ij joins input i to unit j, so it is x_i delta_j"),
    ]
    return _run("check_weight_gradient", fn, cases, reference="weight_gradient", hints=hints, out=out)


# ---------------------------------------------------------- Chapter 5: a hidden layer


def check_dL_dh(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(delta, u)`` against $\partial L / \partial h_j = \sum_k \delta_k u_{jk}$, Equation (5.1).

    Compared with the book's ``dL_dh`` and with central differences of
    $\sum \boldsymbol{\delta} \odot (\mathbf{h}\mathbf{u})$ with respect to $\mathbf{h}$.
    """
    rng = _rng(seed)
    ex, _, h, _, y = _running()
    items = [("the running example", output_delta(y, ex.t), ex.weights[1]),
             ("one sample", rng.normal(size=2), rng.normal(size=(4, 2))),
             ("a batch of 3 samples", rng.normal(size=(3, 2)), rng.normal(size=(4, 2))),
             ("a batch of 3, square weights", rng.normal(size=(3, 3)), rng.normal(size=(3, 3)))]
    cases = []
    for label, delta, u in items:
        h0 = np.zeros((*delta.shape[:-1], u.shape[0]))
        numeric = numerical_gradient(lambda v, d=delta, u=u: np.sum(d * (v @ u)), h0)
        cases.append(_Case(label, (delta, u), ("delta", "u"), dL_dh(delta, u), numeric))
    hints = [(lambda d, u: d @ u, "u is used untransposed: h_j's error sums over the weights u_jk leaving "
              "unit j, which is row j of u, so it is delta @ u.T")]
    return _run("check_dL_dh", fn, cases, reference="dL_dh", hints=hints, out=out)


def check_hidden_delta(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(delta, u, h)`` against $\delta_j = \sum_k \delta_k u_{jk}\, h_j(1 - h_j)$, Equations (5.2) and (6.1).

    Compared with the book's ``hidden_delta`` and with central differences of
    $\sum \boldsymbol{\delta} \odot (\sigma(\mathbf{a})\mathbf{u})$ with respect
    to the hidden pre-activations $\mathbf{a}$, where $\mathbf{h} = \sigma(\mathbf{a})$.
    """
    rng = _rng(seed)
    ex, a1, h, _, y = _running()
    items = [("the running example", output_delta(y, ex.t), ex.weights[1], a1),
             ("one sample", rng.normal(size=2), rng.normal(size=(4, 2)), rng.normal(size=4)),
             ("a batch of 3 samples", rng.normal(size=(3, 2)), rng.normal(size=(4, 2)), rng.normal(size=(3, 4))),
             ("a batch of 3, square weights", rng.normal(size=(3, 3)), rng.normal(size=(3, 3)),
              rng.normal(size=(3, 3)))]
    cases = []
    for label, delta, u, a in items:
        numeric = numerical_gradient(lambda v, d=delta, u=u: np.sum(d * (sigmoid(v) @ u)), a)
        hh = sigmoid(a)
        cases.append(_Case(label, (delta, u, hh), ("delta", "u", "h"), hidden_delta(delta, u, hh), numeric))
    hh = np.array([[0.0, 0.5, 1.0], [1.0, 0.25, 0.0]])
    delta, u = rng.normal(size=(2, 2)), rng.normal(size=(3, 2))
    cases.append(_Case("edge: h = 0, 1/2, 1", (delta, u, hh), ("delta", "u", "h"), hidden_delta(delta, u, hh)))
    hints = [
        (lambda d, u, h: d @ u.T, "this is the error dL/dh reaching the unit (5.1); the delta also needs "
         "the unit's slope h(1 - h)"),
        (lambda d, u, h: (d @ u) * h * (1 - h), "u is used untransposed: the error reaching h_j sums over "
         "the weights u_jk leaving unit j, so it is delta @ u.T"),
    ]
    return _run("check_hidden_delta", fn, cases, reference="hidden_delta", hints=hints, out=out)


# ----------------------------------------------------------- Chapter 6: the whole thing


def _numeric_network_gradients(weights, biases, x, t):
    params = list(weights) + list(biases)
    n = len(weights)
    numeric = []
    for l, p in enumerate(params):
        def loss_of(q, l=l):
            trial = params[:l] + [q] + params[l + 1:]
            return l2_loss(forward(trial[:n], trial[n:], x)[-1], t)
        numeric.append(numerical_gradient(loss_of, p))
    return numeric[:n], numeric[n:]


def check_backprop(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(weights, biases, x, t)``, returning ``(weight_grads, bias_grads)``, Equation (6.3).

    Sigmoid layers and the L2 loss, as in Chapters 2 to 7. Compared with the
    book's ``backprop`` and with central differences of the loss with respect to
    every weight and bias, on the running example, a one-layer network, and
    deeper networks on batches.
    """
    rng = _rng(seed)
    ex = running_example()
    items = [("the running example", ex.weights, ex.biases, ex.x, ex.t)]
    for label, sizes, n in [("one layer, one sample", [3, 2], None),
                            ("two layers, a batch of 4", [2, 3, 2], 4),
                            ("three layers, a batch of 3", [3, 4, 3, 2], 3)]:
        w, b = _network(rng, sizes)
        shape = (sizes[0],) if n is None else (n, sizes[0])
        x = rng.normal(size=shape)
        t = rng.uniform(size=(*shape[:-1], sizes[-1]))
        items.append((label, w, b, x, t))
    cases = []
    for label, w, b, x, t in items:
        cases.append(_Case(label, (w, b, x, t), ("weights", "biases", "x", "t"),
                           backprop(w, b, x, t), _numeric_network_gradients(w, b, x, t)))
    hints = [(lambda w, b, x, t: backprop(w, b, x, t)[0], "return both lists: (weight_grads, bias_grads)")]
    return _run("check_backprop", fn, cases, reference="backprop", hints=hints, out=out)


# ------------------------------------------------------------------ Chapter 7: biases


def check_bias_gradient(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(delta)`` against $\partial L / \partial b_j = \delta_j$, summed over a batch, Equation (7.1).

    Compared with the book's ``bias_gradient`` and with central differences of
    $\sum \boldsymbol{\Delta} \odot (\mathbf{1}\mathbf{b}^\top)$ with respect to $\mathbf{b}$.
    """
    rng = _rng(seed)
    ex, _, _, _, y = _running()
    items = [("the running example", output_delta(y, ex.t)), ("one sample", rng.normal(size=3)),
             ("a batch of 5 samples", rng.normal(size=(5, 3))), ("edge: a batch of 1 sample", rng.normal(size=(1, 2)))]
    cases = []
    for label, delta in items:
        numeric = numerical_gradient(lambda b, d=delta: np.sum(d * b), np.zeros(delta.shape[-1]))
        cases.append(_Case(label, (delta,), ("delta",), bias_gradient(delta), numeric))
    hints = [(lambda d: d.mean(axis=0) if d.ndim == 2 else None,
              "this is the mean over the batch; the book's loss is a sum, so its gradient sums over samples")]
    return _run("check_bias_gradient", fn, cases, reference="bias_gradient", hints=hints, out=out)


# ----------------------------------------------------- Chapters 8 and 9: training


def check_gradient_step(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(param, grad, lr)`` against $\mathbf{u} - \eta\nabla_{\mathbf{u}} L$, Equation (4.1).

    Also checks that ``param`` is left unchanged (a new array is returned).
    """
    rng = _rng(seed)
    ex = running_example()
    weight_grads, _ = backprop(ex.weights, ex.biases, ex.x, ex.t)
    items = [("the running example", ex.weights[1], weight_grads[1], 0.5),
             ("a random matrix", rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), 0.1),
             ("a vector", rng.normal(size=5), rng.normal(size=5), 2.0)]
    cases = [_Case(label, (p, g, lr), ("param", "grad", "lr"), gradient_step(p, g, lr)) for label, p, g, lr in items]
    hints = [(lambda p, g, lr: p + lr * g, "the step goes along the gradient; it must go against it, to lower the loss")]
    return _run("check_gradient_step", fn, cases, reference="gradient_step", hints=hints, out=out)


def check_train(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(weights, biases, x, t, lr, epochs)`` against full-batch gradient descent, Equation (9.1).

    It must return ``(weights, biases, losses)`` with ``epochs + 1`` losses: the
    loss before the first step and after each step.
    """
    rng = _rng(seed)
    ex = running_example()
    w, b = _network(rng, [2, 3, 1])
    x, t = rng.normal(size=(6, 2)), rng.uniform(size=(6, 1))
    items = [("the running example, 5 steps", ex.weights, ex.biases, ex.x, ex.t, 0.5, 5),
             ("a batch of 6, 8 steps", w, b, x, t, 0.2, 8),
             ("edge: 0 steps", ex.weights, ex.biases, ex.x, ex.t, 0.5, 0)]
    cases = []
    for label, w, b, x, t, lr, epochs in items:
        cases.append(_Case(label, (w, b, x, t, lr, epochs), ("weights", "biases", "x", "t", "lr", "epochs"),
                           train(w, b, x, t, lr, epochs)))
    return _run("check_train", fn, cases, reference="train", out=out)


# ---------------------------------------------------------- Chapter 10: the self-check


def check_numerical_gradient(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(f, param, eps)``, central differences, Equation (10.1), against exact gradients.

    The functions: $\sum \theta_i^3$ on a vector, $\sum \sin \Theta_{ij}$ on a
    matrix, and the running example's loss as a function of $\mathbf{u}$ (whose
    exact gradient ``backprop`` gives). ``param`` must be left unchanged.
    """
    rng = _rng(seed)
    ex = running_example()

    def cube_sum(theta):
        return float(np.sum(theta ** 3))

    def sin_sum(theta):
        return float(np.sum(np.sin(theta)))

    def loss_of_u(u):
        return float(l2_loss(forward([ex.weights[0], u], ex.biases, ex.x)[-1], ex.t))

    v, m = rng.normal(size=4), rng.normal(size=(2, 3))
    cases = [
        _Case("a vector", (cube_sum, v, 1e-5), ("f", "param", "eps"), 3 * v ** 2,
              shown={"f": "sum(theta ** 3)"}),
        _Case("a matrix", (sin_sum, m, 1e-5), ("f", "param", "eps"), np.cos(m),
              shown={"f": "sum(sin(theta))"}),
        _Case("the running example's loss in u", (loss_of_u, ex.weights[1], 1e-5), ("f", "param", "eps"),
              backprop(ex.weights, ex.biases, ex.x, ex.t)[0][1], shown={"f": "L(u)"}),
    ]
    hints = [(lambda f, p, eps: np.zeros_like(p), "every entry is 0: perturb one coordinate at a time")]
    return _run("check_numerical_gradient", fn, cases, reference="exact gradients", hints=hints, out=out)


def check_relative_error(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(a, b)`` against $\lVert a - b\rVert / \max(\lVert a\rVert, \lVert b\rVert)$, Equation (10.2).

    Includes the edge case where both are zero, whose error is defined as 0.
    """
    rng = _rng(seed)
    a = rng.normal(size=5)
    m = rng.normal(size=(2, 3))
    items = [("two close vectors", a, a + 1e-6 * rng.normal(size=5)),
             ("two matrices", m, rng.normal(size=(2, 3))),
             ("one of them zero", np.zeros(3), rng.normal(size=3)),
             ("edge: both zero", np.zeros(4), np.zeros(4))]
    cases = [_Case(label, (x, y), ("a", "b"), relative_error(x, y)) for label, x, y in items]
    hints = [(lambda a, b: float(np.linalg.norm(a - b) / np.linalg.norm(a)),
              "divide by the larger of the two norms, so the error is symmetric in a and b")]
    return _run("check_relative_error", fn, cases, reference="relative_error", hints=hints, out=out)


# --------------------------------------------------- Chapter 11: activations and losses


def check_dtanh_da(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(h)`` against tanh's slope $1 - h^2$ from its output $h = \tanh(a)$, Equation (11.2)."""
    rng = _rng(seed)
    _, a1, *_ = _running()
    cases = []
    for label, a in [("the running example", a1), ("a batch", rng.normal(0, 1.5, (3, 4)))]:
        cases.append(_Case(label, (tanh(a),), ("h",), dtanh_da(tanh(a)), _elementwise_derivative(tanh, a)))
    edge = np.array([-1.0, 0.0, 1.0])
    cases.append(_Case("edge: h = -1, 0, 1", (edge,), ("h",), dtanh_da(edge)))
    hints = [(lambda h: 1 - np.tanh(h) ** 2, "the argument is already the output h = tanh(a): the slope is 1 - h^2"),
             (lambda h: h * (1 - h), "h(1 - h) is the sigmoid's slope; tanh's is 1 - h^2")]
    return _run("check_dtanh_da", fn, cases, reference="dtanh_da", hints=hints, out=out)


def check_drelu_da(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(h)`` against ReLU's slope $[h > 0]$, Equation (11.4), with the book's 0 at $h = 0$.

    Central differences are taken only at pre-activations away from the kink.
    """
    rng = _rng(seed)
    _, a1, *_ = _running()
    a = rng.normal(0, 1.5, (3, 4))
    a = np.where(np.abs(a) < 0.1, 0.5, a)  # keep away from the kink, where there is no derivative
    cases = [_Case(label, (relu(x),), ("h",), drelu_da(relu(x)), _elementwise_derivative(relu, x))
             for label, x in [("the running example", a1), ("a batch", a)]]
    edge = np.array([0.0, 2.0, 0.0, 1e-9])
    cases.append(_Case("edge: h = 0 (the kink)", (edge,), ("h",), drelu_da(edge)))
    hints = [(lambda h: (h >= 0).astype(float), "at h = 0 the book's convention is slope 0 (11.4): use h > 0")]
    return _run("check_drelu_da", fn, cases, reference="drelu_da", hints=hints, out=out)


def check_softmax(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(a)`` against the softmax of each row, Equation (11.7), including logits of $\pm 1000$."""
    rng = _rng(seed)
    _, _, _, a2, _ = _running()
    items = [("the running example", a2), ("a batch of 4 samples", rng.normal(0, 2, (4, 3))),
             ("edge: huge logits", np.array([[1000.0, 999.0, -1000.0], [5e3, 5e3, 0.0]]))]
    cases = [_Case(label, (a,), ("a",), softmax(a)) for label, a in items]
    hints = [(lambda a: np.exp(a - a.max()) / np.exp(a - a.max()).sum(),
              "each row (sample) must sum to 1 on its own: normalise along the last axis, keepdims=True")]
    return _run("check_softmax", fn, cases, reference="softmax", hints=hints, out=out)


def _distribution_targets(rng, shape):
    t = rng.uniform(size=shape)
    return t / t.sum(axis=-1, keepdims=True)


def check_softmax_cross_entropy_delta(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y, t)`` against the softmax + cross-entropy delta $y - t$, Equation (11.9).

    Compared with the book's function and with central differences of the
    cross-entropy (11.8) with respect to the logits, with one-hot and soft targets.
    """
    rng = _rng(seed)
    ex, _, _, a2, _ = _running()
    onehot = np.eye(3)[rng.integers(0, 3, 4)]
    items = [("the running example", a2, ex.t), ("one sample, soft target", rng.normal(size=4),
                                                  _distribution_targets(rng, 4)),
             ("a batch of 4, one-hot targets", rng.normal(0, 2, (4, 3)), onehot)]
    cases = []
    for label, a, t in items:
        numeric = numerical_gradient(lambda v, t=t: softmax_cross_entropy(v, t), a)
        cases.append(_Case(label, (softmax(a), t), ("y", "t"), softmax_cross_entropy_delta(softmax(a), t), numeric))
    hints = [(lambda y, t: (y - t) * y * (1 - y), "this is the sigmoid + L2 delta (4.4); with softmax and "
              "cross-entropy the slope cancels (11.9)")]
    return _run("check_softmax_cross_entropy_delta", fn, cases, reference="softmax_cross_entropy_delta",
                hints=hints, out=out)


def check_sigmoid_cross_entropy_delta(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(y, t)`` against the sigmoid + binary cross-entropy delta $y - t$, Equation (11.11).

    Compared with the book's function and with central differences of the
    binary cross-entropy (11.10) with respect to the logits.
    """
    rng = _rng(seed)
    ex, _, _, a2, _ = _running()
    items = [("the running example", a2, ex.t), ("one sample", rng.normal(size=3), rng.uniform(size=3)),
             ("a batch of 4 samples", rng.normal(0, 2, (4, 2)), rng.integers(0, 2, (4, 2)).astype(float))]
    cases = []
    for label, a, t in items:
        numeric = numerical_gradient(lambda v, t=t: sigmoid_cross_entropy(v, t), a)
        cases.append(_Case(label, (sigmoid(a), t), ("y", "t"), sigmoid_cross_entropy_delta(sigmoid(a), t), numeric))
    hints = [(lambda y, t: (y - t) * y * (1 - y), "this is the sigmoid + L2 delta (4.4); with binary "
              "cross-entropy the slope y(1 - y) cancels (11.11)")]
    return _run("check_sigmoid_cross_entropy_delta", fn, cases, reference="sigmoid_cross_entropy_delta",
                hints=hints, out=out)


# ------------------------------------------------------------- Chapter 12: performance


def _multiply_adds(sizes: Sequence[int], batch: int) -> int:
    """Multiply-adds in the matrix products of one forward and backward pass.

    Forward: ``X W`` per layer. Backward: ``H^T Delta`` per layer, and
    ``Delta W^T`` for every layer but the first (no delta is needed below it).
    """
    pairs = [m * n for m, n in zip(sizes, sizes[1:])]
    return batch * (2 * sum(pairs) + sum(pairs[1:]))


def check_multiply_adds(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(sizes, batch)``: the multiply-adds in the matrix products of one ``backprop`` call.

    For layer sizes $n_0, \dots, n_L$ and a batch of $N$: the forward products
    $\mathbf{H}^{(l-1)}\mathbf{W}^{(l)}$ and the weight gradients
    $\mathbf{H}^{(l-1)\top}\boldsymbol{\Delta}^{(l)}$ cost $N n_{l-1} n_l$ each,
    and the products $\boldsymbol{\Delta}^{(l)}\mathbf{W}^{(l)\top}$ that carry
    deltas back cost the same, for every layer but the first (Equations (2.1),
    (6.2) and (6.1)). Returns an integer.
    """
    rng = _rng(seed)
    items = [("the running example", [2, 3, 2], 1), ("one layer", [5, 3], 8),
             ("three layers", [int(v) for v in rng.integers(2, 20, 4)], 16),
             ("the benchmark's MNIST-sized net", [784, 256, 10], 512)]
    cases = [_Case(label, (sizes, batch), ("sizes", "batch"), _multiply_adds(sizes, batch))
             for label, sizes, batch in items]
    hints = [
        (lambda s, n: 3 * n * sum(a * b for a, b in zip(s, s[1:])),
         "the first layer needs no Delta W^T: nothing lies below it to receive a delta"),
        (lambda s, n: _multiply_adds(s, 1), "every product is done for each of the batch's samples"),
    ]
    return _run("check_multiply_adds", fn, cases, reference="count of the products", hints=hints, out=out)
