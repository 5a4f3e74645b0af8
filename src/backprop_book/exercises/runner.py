r"""The exercise checkers' engine: cases, verdicts, hints and the seeded inputs they share.

Each chapter's checkers (``ch02_network.py`` ...) build a list of :class:`Case`
and hand it to :func:`run`, which calls the reader's function on each, compares the
answer with the book's and reports the first failure with a hint.
"""

from __future__ import annotations

import copy
import textwrap
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ..activation import sigmoid
from ..gradcheck import numerical_gradient, relative_error
from ..network import forward, pre_activation, running_example

RTOL, ATOL = 1e-6, 1e-9  # agreement with the book's answer, entry by entry
FD_TOL = 1e-6  # norm relative error against central differences
WIDTH = 88  # every line of a verdict fits the book's code boxes (and a terminal)


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
class Case:
    label: str
    args: tuple
    names: tuple
    expected: Any
    numeric: Any = None  # central differences, for a derivative
    shown: dict | None = None  # how to print an argument that is not an array
    atol: float = ATOL  # 0 where the expected values are tiny and must be met relatively


# ---------------------------------------------------------------------------- the runner


def _show(value: Any, width: int = WIDTH, small: bool = False) -> str:
    if callable(value):
        return getattr(value, "__name__", repr(value))
    if isinstance(value, (list, tuple)) and any(isinstance(v, (list, tuple, np.ndarray)) for v in value):
        inner = ", ".join(_brief(v) for v in value)  # a list of layers: their shapes
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, np.ndarray):
        # tiny entries print as 0 unless they are the point (``small``: a case met relatively)
        return np.array2string(value, max_line_width=width, precision=4, suppress_small=not small, threshold=30)
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    real_0d = hasattr(value, "shape") and np.ndim(value) == 0 and _as_float_array(value) is not None
    if isinstance(value, (float, np.floating)) or real_0d:
        try:
            return f"{float(value):.10g}"
        except (TypeError, ValueError):
            pass
    return repr(value)


def _line(label: str, value: Any, width: int, shown: str | None = None, small: bool = False) -> str:
    """``  label value``, the value's later lines indented under its first."""
    head = f"  {label:<{width}} "
    text = shown if shown is not None else _show(value, WIDTH - len(head), small)
    return head + text.replace("\n", "\n" + " " * len(head))


def _wrap(text: str, head: str = "", later: str = "  ") -> str:
    """``text`` after ``head``, filled to WIDTH; later lines start with ``later``."""
    return textwrap.fill(text, WIDTH, initial_indent=head, subsequent_indent=later,
                         break_long_words=False, break_on_hyphens=False)


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


def _as_float_array(value: Any) -> np.ndarray | None:
    """The answer as float64 numbers, or None unless it is a real number or an array of them.

    Strings, complex numbers, booleans, None and object arrays are not answers, even
    where NumPy would convert them ("0.22" parses, a complex number drops its
    imaginary part); lists are handled by the caller, which asks for an array.
    """
    try:
        if isinstance(value, (bool, np.bool_)) or value is None:
            return None
        if hasattr(value, "detach"):  # a torch tensor that requires grad
            value = value.detach()
        if isinstance(value, (int, float, np.integer, np.floating)):
            return np.asarray(float(value))
        if not hasattr(value, "shape") or not hasattr(value, "dtype"):
            return None
        array = np.asarray(value)
        if array.dtype.kind not in "iuf":  # bool, complex, object, text
            return None
        return array.astype(np.float64)
    except Exception:  # an object whose conversion fails is no answer either
        return None


def _type_name(value: Any) -> str:
    dtype = getattr(value, "dtype", None)
    return f"{type(value).__name__} of dtype {dtype}" if dtype is not None else type(value).__name__


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
    if isinstance(got, (list, tuple)) and not isinstance(expected, (list, tuple)):
        return (f"returned a {type(got).__name__} where an array is expected; "
                "return an array (np.asarray turns a list of numbers into one)")
    got_leaves, expected_leaves = _leaves(got), _leaves(expected)
    if isinstance(expected, (list, tuple)) and len(got_leaves) != len(expected_leaves):
        return f"expected {len(expected_leaves)} arrays in all, got {len(got_leaves)}"
    for (path, g), (_, e) in zip(got_leaves, expected_leaves):
        where = f"{path}: " if path else ""
        e = np.asarray(e, dtype=np.float64)
        if g is None:
            return f"{where}returned None (is a return statement missing?)"
        if isinstance(g, (list, tuple)):
            return (f"{where}returned a {type(g).__name__} where an array is expected; "
                    "return an array (np.asarray turns a list into one)")
        g_arr = _as_float_array(g)
        if g_arr is None:
            return f"{where}returned {_type_name(g)}, which is not a real number or an array of real numbers"
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


def _hint_for(got: Any, expected: Any, case: Case, hints: Sequence) -> str | None:
    with warnings.catch_warnings(), np.errstate(all="ignore"):  # a hint never warns
        warnings.simplefilter("ignore")
        try:
            return _hint(got, expected, case, hints)
        except Exception:  # a hint is a courtesy: no hint rather than a crash
            return None


def _hint(got: Any, expected: Any, case: Case, hints: Sequence) -> str | None:
    g = _as_float_array(got) if not isinstance(got, (list, tuple)) else None
    for candidate, message in hints:
        try:
            value = candidate(*case.args)
            if value is not None and _difference(got, value, atol=case.atol) is None:
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
    factor = ratio.flat[0] if ratio.size else 0.0
    if factor != 0 and np.allclose(g, factor * e, rtol=1e-6, atol=ATOL):  # every entry, zeros included
        return f"every entry is off by the same factor, {factor:.6g}"
    return None


def run(
    checker: str,
    fn: Any,
    cases: list[Case],
    *,
    reference: str,
    hints: Sequence = (),
    out: Callable[[str], Any] | None = print,
    new_arrays: bool = False,
) -> Verdict:
    if not callable(fn):
        raise TypeError(
            f"{checker} checks a function, but got {type(fn).__name__} {fn!r:.60}; "
            "pass the function itself, without calling it"
        )
    total = len(cases)
    shared = None  # the first case whose answer aliased an argument
    for i, case in enumerate(cases, 1):
        received = copy.deepcopy(case.args)
        failure = None
        try:
            with np.errstate(over="raise", divide="raise", invalid="raise"):
                got = fn(*received)
        except Exception as error:  # the reader's bug is reported, never raised
            hint = None
            try:
                said = str(error)
            except Exception:  # an exception that cannot even print itself
                said = "(its message could not be printed)"
            if isinstance(error, FloatingPointError):
                hint = ("while a checker runs, NumPy raises on overflow, division by zero and invalid "
                        "operations instead of warning; the book's functions never trigger them")
            failure = (f"your function raised {type(error).__name__}: {said}", None, hint)
        else:
            changed = [
                n for n, before, after in zip(case.names, case.args, received)
                if not callable(before) and _difference(after, before, rtol=0, atol=0) is not None
            ]
            problem = _difference(got, case.expected, atol=case.atol)
            aliased = [n for n, arg in zip(case.names, received) if new_arrays and _shares_memory(got, arg)]
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
            if failure is None and aliased and shared is None:  # reported unless a value is wrong later
                shared = (i, case, (
                    f"your function returned the array {', '.join(aliased)} it was given (or a view of "
                    "it); return a new array, so the caller can change the result safely", None, None,
                ))
        if failure is None and i == total and shared is not None:
            i, case, failure = shared
        if failure is not None:
            problem, got, hint = failure
            lines = [_wrap(f"{checker}: FAILED on case {i} of {total} ({case.label})")]
            shown = case.shown or {}
            for name, value in zip(case.names, case.args):
                lines.append(_line(f"{name} =", value, 0, shown.get(name)))
            if got is not None:
                path = _first_wrong_leaf(got, case.expected)
                expected_leaf = dict(_leaves(case.expected)).get(path, case.expected)
                got_leaf = dict(_leaves(got)).get(path, got) if path else got
                width = len(f"expected{path}:")
                small = case.atol == 0
                lines.append(_line(f"expected{path}:", expected_leaf, width, small=small))
                lines.append(_line(f"got{path}:", got_leaf, width, small=small))
            lines.append(_wrap(problem, "  problem: ", "    "))
            if hint:
                lines.append(_wrap(hint, "  hint: ", "    "))
            report = "\n".join(lines)
            if out is not None:
                out(report)
            return Verdict(checker, False, i, total, report)
    numeric = any(c.numeric is not None for c in cases)
    report = _wrap(
        f"{checker}: passed all {total} cases ({'; '.join(c.label for c in cases)}), against the "
        f"book's {reference}" + (" and central differences" if numeric else "")
    )
    if out is not None:
        out(report)
    return Verdict(checker, True, total, total, report)


# ------------------------------------------------------------------------ random inputs


def seeded(seed: Any) -> np.random.Generator:
    """The checker's random inputs; ``seed`` must be a whole number (not a bool)."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be a non-negative whole number, got {seed!r}")
    return np.random.default_rng(int(seed))


def elementwise_derivative(f: Callable, a: np.ndarray) -> np.ndarray:
    """Central differences of an elementwise f: the gradient of sum(f(a))."""
    return numerical_gradient(lambda v: float(np.sum(f(v))), a)


def running():
    ex = running_example()
    x, h, y = forward(ex.weights, ex.biases, ex.x)
    a1 = pre_activation(ex.x, ex.weights[0], ex.biases[0])
    a2 = pre_activation(h, ex.weights[1], ex.biases[1])
    return ex, a1, h, a2, y


def random_network(rng: np.random.Generator, sizes: list[int]) -> tuple[list, list]:
    weights = [rng.normal(0, 1, (m, n)) for m, n in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.5, n) for n in sizes[1:]]
    return weights, biases


def logits_outputs_targets(rng: np.random.Generator, shape: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random logits ``a``, their sigmoid outputs ``y`` and targets ``t`` in [0, 1]."""
    a = rng.normal(0, 1.5, shape)
    return a, sigmoid(a), rng.uniform(0, 1, shape)


def _shares_memory(got: Any, arg: Any) -> bool:
    """True when a NumPy array in the answer is, or views, a NumPy array of the argument."""
    answers = [v for _, v in _leaves(got) if isinstance(v, np.ndarray)]
    given = [v for _, v in _leaves(arg) if isinstance(v, np.ndarray)]
    return any(np.shares_memory(a, b) for a in answers for b in given)
