"""Issue 10: every input gets the right answer or a clear error, on every library; checkers that cannot be fooled.

One test (or parametrised group) per rule of the issue. Rule 8, the property-based
contract test over the registry of the public API, is in ``test_contract.py``.

Each case failed on the package before issue 10 (the reasons are in the commit that added
this file). A case that fails on purpose later is marked ``xfail(strict=True)`` through
``KNOWN``, with the rule and what happens: an unexpected pass fails the suite.
"""

from __future__ import annotations

import math
import re
import tomllib
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
from support.answers import said as _said
from support.libraries import LIBRARIES, assert_same_kind, back, library
from support.registry import CHECKER_NAMES, CHECKERS, RUNNING, net
from support.running import EX, X
from support.tolerances import FD, no_float_trouble

import backprop_book as bb
from backprop_book import exercises as ex
from backprop_book.choices import HIDDEN, PAIRS

REPO = Path(__file__).resolve().parents[1]

# What fails on today's package, by test id: the reason of each strict xfail.
KNOWN: dict[str, str] = {}


def known(rule: int, what: str, *ids: str) -> None:
    for i in ids:
        KNOWN[i] = f"issue 10 rule {rule}: {what}"


def known_each(rule: int, table: dict[str, str]) -> None:
    """``known`` for several ids, each with its own reason: ``{id: what fails}``."""
    for i, what in table.items():
        known(rule, what, i)


def cases(table: dict[str, Any]) -> list[Any]:
    """``pytest.param``s of a table, each strict-xfail where ``KNOWN`` says it fails today."""
    return [
        pytest.param(*(v if isinstance(v, tuple) else (v,)), id=k,
                     marks=[pytest.mark.xfail(strict=True, reason=KNOWN[k])] if k in KNOWN else [])
        for k, v in table.items()
    ]


def lib_cases(table: dict[str, Any]) -> list[Any]:
    """``cases`` of a table times every library, with ids ``label-library``."""
    return cases({f"{k}-{name}": (*(v if isinstance(v, tuple) else (v,)), name)
                  for k, v in table.items() for name in LIBRARIES})


# --------------------------------------------------------------- rule 1: the limits of floating point

ACTIVATIONS = {"sigmoid": bb.sigmoid, "tanh": bb.tanh, "relu": bb.relu}


@pytest.mark.parametrize("f, name", lib_cases(ACTIVATIONS))
def test_nan_in_gives_nan_out_in_every_activation(f, name):
    got = back(f(library(name).to([np.nan, 1.0, -1.0])))
    assert np.isnan(got[0]) and np.all(np.isfinite(got[1:]))


BIG = 1e308
EXTREME_LOGITS = {  # (function, a, t, the exact answer)
    "softmax_cross_entropy one-hot": (bb.softmax_cross_entropy, [BIG, -BIG], [1.0, 0.0], 0.0),
    "softmax_cross_entropy other side": (bb.softmax_cross_entropy, [-BIG, BIG], [0.0, 1.0], 0.0),
    "softmax_cross_entropy a tie": (bb.softmax_cross_entropy, [BIG, BIG], [0.5, 0.5], math.log(2)),
    "softmax_cross_entropy a batch": (bb.softmax_cross_entropy, [[BIG, -BIG], [0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]],
                                      math.log(2)),
    "sigmoid_cross_entropy": (bb.sigmoid_cross_entropy, [BIG, -BIG], [1.0, 0.0], 0.0),
    "loss_value softmax": (lambda a, t: bb.loss_value(a, t, output="softmax", loss="cross_entropy"),
                           [BIG, -BIG], [1.0, 0.0], 0.0),
    "softmax": (lambda a, t: bb.softmax(a), [BIG, -BIG], None, [1.0, 0.0]),
    "softmax a tie": (lambda a, t: bb.softmax(a), [BIG, BIG], None, [0.5, 0.5]),
}


@pytest.mark.parametrize("f, a, t, exact", cases(EXTREME_LOGITS))
def test_softmax_and_cross_entropies_are_exact_at_plus_minus_1e308(f, a, t, exact):
    with no_float_trouble():
        got = f(np.array(a), None if t is None else np.array(t))
    np.testing.assert_allclose(back(got), exact, rtol=1e-15, atol=0)


SCALES = {f"1e{k}": 10.0 ** k for k in (-300, -170, -100, 0, 100, 170, 300)}


@pytest.mark.parametrize("scale", cases(SCALES))
def test_relative_error_is_scale_invariant(scale):
    a, b = np.array([1.0, 2.0, -3.0]), np.array([1.0, 2.5, -3.0])
    with no_float_trouble():
        assert bb.relative_error(a * scale, b * scale) == pytest.approx(bb.relative_error(a, b), rel=1e-12)
        assert bb.relative_error(a * scale, 0 * a) == 1.0


@pytest.mark.parametrize("name", cases({n: n for n in LIBRARIES}))
def test_the_finiteness_check_never_warns(name):
    to = library(name).to
    with no_float_trouble():  # the sum of these logits, 3e308, overflows; the softmax does not
        np.testing.assert_allclose(back(bb.softmax(to([BIG, BIG, BIG]))), [1 / 3] * 3, rtol=1e-15)
        with pytest.raises(ValueError, match="^a contains NaN or infinity$"):
            bb.softmax(to([BIG, BIG, np.nan]))


# --------------------------------------------------------------- rule 2: scalar arguments

SCALAR_CALLS: dict[str, Callable[[Any], Any]] = {
    "numerical_gradient eps": lambda v: bb.numerical_gradient(lambda q: float(np.sum(q ** 2)), X, v),
    "gradient_check eps": lambda v: bb.gradient_check(*EX, eps=v),
    "gradient_step lr": lambda v: bb.gradient_step(X, X, v),
    "train lr": lambda v: bb.train(*EX, lr=v, epochs=1),
    "train epochs": lambda v: bb.train(*EX, lr=0.5, epochs=v),
    "check seed": lambda v: ex.check_dL_dy(bb.dL_dy, seed=v, out=None),
}
NUMPY_SCALARS = {"numerical_gradient eps": np.float32(1e-4), "gradient_check eps": np.float64(1e-5),
                 "gradient_step lr": np.float32(0.5), "train lr": np.int64(1), "train epochs": np.int64(3),
                 "check seed": np.int64(3)}


@pytest.mark.parametrize("call, value", cases({k: (SCALAR_CALLS[k], v) for k, v in NUMPY_SCALARS.items()}))
def test_numpy_scalars_are_accepted(call, value):
    assert call(value) is not None
    assert call(value.item()) is not None


REFUSED = {"True": True, "a string": "1e-5", "an array": np.array([0.5]), "inf": math.inf, "nan": math.nan,
           "negative": -1, "None": None}


@pytest.mark.parametrize("arg, call, value", cases({
    f"{k}-{label}": (k.split()[-1], call, value) for k, call in SCALAR_CALLS.items() for label, value in REFUSED.items()
    if not (k == "check seed" and value is None)  # seed=None: NumPy's "fresh entropy", a choice for the lead
}))
def test_a_bad_scalar_is_refused_by_name(arg, call, value):
    with pytest.raises((TypeError, ValueError)) as info:
        call(value)
    assert str(info.value).startswith(f"{arg} "), str(info.value)


F_RETURNS = {"an array": np.array([1.0]), "None": None, "a string": "1.0", "a complex number": 1j, "a bool": True,
             "a list": [1.0]}


@pytest.mark.parametrize("returned", cases(F_RETURNS))
def test_f_must_return_a_real_scalar(returned):
    with pytest.raises(TypeError, match=r"^f returned ") as info:
        bb.numerical_gradient(lambda q: returned, X)
    assert type(returned).__name__ in str(info.value)


@pytest.mark.parametrize("returned", [np.float64(1.0), np.float32(1.0), np.array(1.0), 1, 1.0])
def test_f_may_return_any_real_scalar(returned):
    assert np.array_equal(bb.numerical_gradient(lambda q: returned, X), [0.0, 0.0])


# --------------------------------------------------------------- rule 3: dtype follows the arrays

F32_CALLS = {
    "gradient_step, a float64 lr": lambda to: bb.gradient_step(to(X), to(X), np.float64(0.5)),
    "train, a float64 lr": lambda to: bb.train(**net(RUNNING, to),
                                               lr=np.float64(0.5), epochs=1)[0][0],
    "hidden_delta, h a list": lambda to: bb.hidden_delta(to(EX.t), to(EX.weights[1]), [0.5, 0.5, 0.5]),
    "dL_dy, t a list": lambda to: bb.dL_dy(to(EX.x), [1.0, 0.0]),
}


@pytest.mark.parametrize("call, name", lib_cases(F32_CALLS))
def test_dtype_follows_the_arrays_not_the_scalars(call, name):
    lib = library(name)
    got = call(lambda a: lib.to(a, "float32"))
    assert_same_kind(got, lib, lib.to([0.0], "float32"), "float32")


# --------------------------------------------------------------- rule 4: empty and degenerate shapes

COMBINATIONS = {f"{h}, {o}, {l}": (h, o, l) for h in HIDDEN for o, l in PAIRS}


@pytest.mark.parametrize("hidden, output, loss", cases(COMBINATIONS))
def test_an_empty_batch_gives_zero_gradients_and_a_zero_loss(hidden, output, loss):
    choice = {"hidden": hidden, "output": output, "loss": loss}
    x, t = np.zeros((0, 2)), np.zeros((0, 2))
    weight_grads, bias_grads = bb.backprop(EX.weights, EX.biases, x, t, **choice)
    for g, p in zip(weight_grads + bias_grads, EX.weights + EX.biases):
        assert g.shape == p.shape and not np.any(g)
    a = np.zeros((0, 2))
    assert float(bb.loss_value(a, t, output=output, loss=loss)) == 0.0
    assert bb.train(EX.weights, EX.biases, x, t, 0.5, 1, **choice)[2] == [0.0, 0.0]


@pytest.mark.parametrize("name", cases({n: n for n in LIBRARIES}))
def test_a_zero_width_softmax_is_a_value_error_naming_the_shape(name):
    with pytest.raises(ValueError, match=r"^a .*\(2, 0\)"):
        bb.softmax(library(name).to(np.zeros((2, 0))))


# --------------------------------------------------------------- rule 5: one library per call

MIXED = {  # (call, the arguments and their libraries the message must name)
    "dL_dy numpy y, torch t": (lambda tt, st: bb.dL_dy(np.ones(2), tt(np.ones(2))), ("y", "t"), "torch"),
    "dL_dy torch y, numpy t": (lambda tt, st: bb.dL_dy(tt(np.ones(2)), np.ones(2)), ("y", "t"), "torch"),
    "backprop one torch weight": (lambda tt, st: bb.backprop([tt(EX.weights[0]), EX.weights[1]], EX.biases, X, EX.t),
                                  ("weights[0]", "weights[1]"), "torch"),
    "l2_loss numpy y, array-api-strict t": (lambda tt, st: bb.l2_loss(np.ones(2), st(np.ones(2))), ("y", "t"),
                                            "array_api_strict"),
}


@pytest.mark.parametrize("call, names, other", cases(MIXED))
def test_mixing_libraries_is_a_type_error_naming_the_arguments_and_libraries(call, names, other):
    with pytest.raises(TypeError) as info:
        call(library("torch").to, library("array_api_strict").to)
    message = str(info.value)
    assert all(re.search(rf"(^|\W){re.escape(n)}(\W|$)", message) for n in names), message
    assert "NumPy" in message or "numpy" in message.replace("array_api_compat.numpy", "")
    assert other in message.replace("array_api_compat.", "")


REQUIRES_GRAD = {  # each called with (weights, biases, x, t) of one library
    "sigmoid": lambda w, b, x, t: bb.sigmoid(w[0]),
    "l2_loss": lambda w, b, x, t: bb.l2_loss(w[1][0], t),
    "forward": lambda w, b, x, t: bb.forward(w, b, x)[-1],
    "backprop": lambda w, b, x, t: bb.backprop(w, b, x, t)[0],
    "train": lambda w, b, x, t: bb.train(w, b, x, t, 0.5, 1)[0],
}


@pytest.mark.parametrize("call", cases(REQUIRES_GRAD))
def test_tensors_that_require_grad_work_without_warnings(call):
    torch = library("torch").module
    weights = [torch.tensor(w, requires_grad=True) for w in EX.weights]
    rest = [torch.tensor(b) for b in EX.biases], torch.tensor(EX.x), torch.tensor(EX.t)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = call(weights, *rest)
    assert relative_error_of(got, call(*EX)) < 1e-13


def relative_error_of(got: Any, expected: Any) -> float:
    flat = [np.concatenate([np.ravel(back(v)) for v in (x if isinstance(x, list) else [x])]) for x in (got, expected)]
    return bb.relative_error(*flat)


CHAPTER_10 = {
    "gradient_check": lambda to: bb.gradient_check(**net(RUNNING, to)),
    "numerical_gradient": lambda to: float(np.max(np.abs(
        back(bb.numerical_gradient(lambda q: float(bb.l2_loss(q, to(EX.t))), to(EX.x)))
        - back(bb.dL_dy(to(EX.x), to(EX.t)))))),
    "relative_error": lambda to: bb.relative_error(to(EX.x), to(EX.x * (1 + 1e-9))),
}


@pytest.mark.parametrize("call, name", lib_cases(CHAPTER_10))
def test_the_chapter_10_tools_work_on_every_library(call, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert call(library(name).to) < FD


# --------------------------------------------------------------- rule 6: no warning leaves the package


def test_the_suite_runs_with_warnings_as_errors():
    """pytest's filterwarnings starts with "error"; every other entry is a narrow, commented exception."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    filters = config["tool"]["pytest"]["ini_options"]["filterwarnings"]
    assert filters[0] == "error"
    assert all(f.startswith("ignore:") and f.count(":") >= 2 for f in filters[1:]), filters
    with pytest.raises(RuntimeWarning):
        warnings.warn("a warning leaving a test", RuntimeWarning)


# --------------------------------------------------------------- rule 7: checkers that cannot be fooled


class UnprintableError(Exception):
    def __str__(self) -> str:
        raise RuntimeError("this exception cannot be printed")


def _complex(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return type(value)(_complex(v) for v in value)
    return np.asarray(value) * (1 + 0j)


def _objects(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return type(value)(_objects(v) for v in value)
    return np.array(value, dtype=object)


def _raise_unprintable(*args: Any) -> Any:
    raise UnprintableError()


ODD_READERS: dict[str, Callable[[Callable[..., Any]], Callable[..., Any]]] = {
    # each wraps a correct answer into a wrong one: the checker must report it, not pass it or raise
    "a tuple of the right value and more": lambda right: lambda *a: (right(*a), right(*a)),
    "the right value and a string": lambda right: lambda *a: (right(*a), "and more"),
    "the right value as text": lambda right: lambda *a: repr(right(*a)),
    "the right value as a string of numbers": lambda right: lambda *a: str(np.asarray(right(*a)).tolist()),
    "the right value as complex numbers": lambda right: lambda *a: _complex(right(*a)),
    "the right value in an object array": lambda right: lambda *a: _objects(right(*a)),
    "a list with an extra entry": lambda right: lambda *a: [*np.atleast_1d(right(*a)).tolist(), 0.0]
    if not isinstance(right(*a), (list, tuple)) else [*right(*a), 0.0],
    "a dict": lambda right: lambda *a: {"answer": right(*a)},
    "an exception whose str() fails": lambda right: _raise_unprintable,
}


def _verdict(checker: str, reader: Callable[..., Any]) -> Any:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            verdict = getattr(ex, checker)(reader, out=None)
        except Exception as error:  # noqa: BLE001  the rule: a checker never raises on the reader's doing
            return f"raised {type(error).__name__}: {error}"
    if caught:
        return f"warned: {caught[0].message}"
    return verdict


# check_backward grades what the reader's sweep does to the graph's .grad, not a returned value
VALUED = [c for c in CHECKER_NAMES if c != "check_backward"]


@pytest.mark.parametrize("odd", cases(ODD_READERS))
def test_no_checker_passes_or_raises_on_an_odd_answer(odd):
    wrong = {}
    for checker in VALUED:
        verdict = _verdict(checker, odd(CHECKERS[checker]))
        if isinstance(verdict, str) or verdict.passed:
            wrong[checker] = verdict if isinstance(verdict, str) else "passed"
    assert not wrong, wrong


def _returns_one_array(checker: str) -> bool:
    return checker not in {"check_l2_loss", "check_relative_error", "check_multiply_adds", "check_forward",
                           "check_backward", "check_tanh_node",  # a sweep and a graph node: no array
                           "check_shared_bias_gradient", "check_batch_gradient_variance", "check_he_std",
                           "check_xavier_uniform_limit", "check_half_noise_batch",  # numbers
                           "check_backprop", "check_train"}


@pytest.mark.parametrize("checker", cases({"a Python list with the right numbers": "all"}))
def test_a_python_list_of_the_right_numbers_is_told_to_return_an_array(checker):
    unhelpful = {}
    for name in filter(_returns_one_array, CHECKER_NAMES):
        verdict = _verdict(name, lambda *a, _right=CHECKERS[name]: np.asarray(_right(*a)).tolist())
        said = [line for line in getattr(verdict, "report", str(verdict)).splitlines()
                if line.startswith(("  problem:", "  hint:"))]
        if isinstance(verdict, str) or verdict.passed or not any(re.search(r"\barray\b", s) for s in said):
            unhelpful[name] = said or verdict
    assert not unhelpful, unhelpful


HINTS = {  # (checker, reader, a phrase the report must hold, a phrase it must not)
    "check_backprop, biases averaged": (
        "check_backprop",
        lambda w, b, x, t: (bb.backprop(w, b, x, t)[0],
                            [g / (np.shape(x)[0] if np.ndim(x) == 2 else 1) for g in bb.backprop(w, b, x, t)[1]]),
        "mean", "return both lists"),
    "check_backprop, biases of shape (1, n)": (
        "check_backprop",
        lambda w, b, x, t: (bb.backprop(w, b, x, t)[0], [g[None, :] for g in bb.backprop(w, b, x, t)[1]]),
        "shape", "return both lists"),
    "check_backprop, weights only": (
        "check_backprop", lambda w, b, x, t: bb.backprop(w, b, x, t)[0], "return both lists", None),
    "check_drelu_da, off at the kink too": (
        "check_drelu_da", lambda h: 2.0 * (h > 0) + 0.5 * (h <= 0), "FAILED", "same factor"),
    "check_l2_loss, twice the loss": (
        "check_l2_loss", lambda y, t: np.sum((y - t) ** 2), "off by the same factor, 2", None),
    "check_sigmoid, wrong only at large inputs": (
        "check_sigmoid", lambda a: np.where(np.abs(a) > 100, 0.5, bb.sigmoid(a)), "FAILED", None),
}


@pytest.mark.parametrize("checker, reader, said, not_said", cases(HINTS))
def test_the_hints_are_right_and_warning_free(checker, reader, said, not_said):
    verdict = _verdict(checker, reader)
    assert not isinstance(verdict, str), verdict
    assert not verdict.passed and said in _said(verdict.report), verdict.report
    assert not_said is None or not_said not in _said(verdict.report), verdict.report
