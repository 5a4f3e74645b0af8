"""The contract every public function keeps, checked over the registry of the public API.

Every name of ``backprop_book.__all__`` is an entry of ``tests/support/registry.py``; each
test here runs over all of them, on NumPy, PyTorch CPU tensors and array-api-strict:

- the result keeps the input's library, device and dtype (float64 and float32) and matches
  the NumPy float64 result;
- no argument is changed, and no result shares memory with an argument;
- an argument that holds no numbers is refused with an error that names it;
- a bad call raises the same error with the same message on every library;
- (issue 10, rule 8) on samples hypothesis draws (shapes, empty batches, extreme
  magnitudes, dtypes, libraries): no warning, the library and dtype kept, finite results.

A name that joins ``__all__`` fails ``test_every_public_name_is_in_the_registry`` until it
gets an entry, and then every test here covers it.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.libraries import DTYPES, LIBRARIES, Library, arrays_in, assert_same_kind, back, library, view
from support.registry import (
    FLOAT64_LIKE_INPUT,
    CHECKER_NAMES,
    CHECKERS,
    ENTRIES,
    FLOAT,
    LIKE_INPUT,
    NUMPY64,
    PUBLIC_NAMES,
    REGISTRY,
    Entry,
    sample,
)
from support.strategies import values
from support.tolerances import FD, FLOAT32, SAME_MATH

from backprop_book import relative_error

# Issue 10, rule 5: the Chapter 10 tools take NumPy only today. Strict: the lead removes a
# line when the fix lands (an unexpected pass fails the suite).
RULE_5: dict[tuple[str, str], str] = {}  # (entry, library): why it fails today; none does


def _with_known_failures(entry: Entry, name: str, *values: Any, id: str) -> Any:
    reason = RULE_5.get((entry.name, name))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(entry, *values, name, marks=marks, id=id)


def _f64(a: Any) -> np.ndarray:
    return np.array(a, dtype=np.float64)


ON_EVERY_LIBRARY = [
    _with_known_failures(e, lib, case, id=f"{e.name}-{case}-{lib}")
    for e in ENTRIES for case in e.cases for lib in LIBRARIES
]


# ------------------------------------------------------------------ the registry is the API


def test_every_public_name_is_in_the_registry():
    missing = sorted(set(PUBLIC_NAMES) - set(REGISTRY))
    assert not missing, f"add an Entry for these to tests/support/registry.py: {missing}"
    assert sorted(REGISTRY) == PUBLIC_NAMES, f"not public (remove from the registry): {set(REGISTRY) - set(PUBLIC_NAMES)}"


def test_every_checker_has_a_correct_answer_in_the_registry():
    assert sorted(CHECKERS) == CHECKER_NAMES


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_the_registry_names_every_array_argument(entry):
    """An entry's ``arrays`` are exactly the arguments that hold arrays, in every case."""
    for case, build in entry.cases.items():
        given = {k for k, v in build(_f64).items() if arrays_in(v)}
        assert given == set(entry.arrays), (case, given)


# ------------------------------------------------------------------ library, dtype, values


def _leaves(result: Any) -> np.ndarray:
    """Every number of a (nested) result as one float64 vector."""
    if isinstance(result, (list, tuple)):
        parts = [_leaves(r) for r in result]
        return np.concatenate(parts) if parts else np.zeros(0)
    return np.ravel(back(result))


def _structure(result: Any) -> Any:
    """The nesting, shapes and Python types of a result, without its numbers or library."""
    if isinstance(result, (list, tuple)):
        return [_structure(r) for r in result]
    return "float" if type(result) is float else tuple(np.shape(result) if isinstance(result, np.generic)
                                                        else result.shape)


def assert_kept(result: Any, entry: Entry, lib: Library, dtype: str) -> None:
    """The result is what ``entry.returns`` promises, in ``lib`` and ``dtype``."""
    if entry.returns == FLOAT:
        assert type(result) is float, type(result)
        return
    for a in [result] if isinstance(result, np.generic) else arrays_in(result):
        if entry.returns == NUMPY64:
            assert type(a) is np.ndarray and a.dtype == np.float64
        elif entry.returns == FLOAT64_LIKE_INPUT:
            assert_same_kind(a, lib, lib.to([0.0], "float64"), "float64")
        elif isinstance(a, np.generic):  # a NumPy loss comes back as a NumPy number
            assert lib.name == "numpy" and a.dtype == np.dtype(dtype)
        else:
            assert_same_kind(a, lib, lib.to([0.0], dtype), dtype)
    if entry.returns == LIKE_INPUT and isinstance(result, (list, tuple)):  # nothing but arrays, lists, floats
        assert all(isinstance(r, (list, tuple, float)) or hasattr(r, "dtype") for r in result), result


@pytest.mark.parametrize("entry, case, name", ON_EVERY_LIBRARY)
def test_keeps_the_library_and_matches_numpy(entry, case, name):
    lib = library(name)
    expected = entry.call(case, _f64)
    got = entry.call(case, lib.to)
    assert_kept(got, entry, lib, "float64")
    assert _structure(got) == _structure(expected)
    if entry.measures and entry.returns == FLOAT:  # an error of central differences: noise below 1e-7
        assert got < FD and expected < FD
    else:  # central differences round differently in each library: they agree to their own accuracy
        assert relative_error(_leaves(got), _leaves(expected)) < (FD if entry.measures else SAME_MATH)
    assert np.all(np.isfinite(_leaves(got))) == np.all(np.isfinite(_leaves(expected)))


@pytest.mark.parametrize("entry, case, name", ON_EVERY_LIBRARY)
def test_keeps_float32(entry, case, name):
    lib = library(name)
    got = entry.call(case, lambda a: lib.to(a, "float32"))
    assert_kept(got, entry, lib, "float32")
    if entry.measures:  # central differences of a float32 loss: rounding over 2 eps
        assert np.all(np.isfinite(_leaves(got)))
    else:
        assert relative_error(_leaves(got), _leaves(entry.call(case, _f64))) < FLOAT32


def _snapshot(value: Any) -> Any:
    """A copy of what an argument holds: nested lists, and (dtype, NumPy copy) for each array."""
    if isinstance(value, (list, tuple)):
        return [_snapshot(v) for v in value]
    return (str(value.dtype), back(value).copy()) if arrays_in(value) else None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, tuple):
        return a[0] == b[0] and np.array_equal(a[1], b[1], equal_nan=True)
    return a is b is None


@pytest.mark.parametrize("entry, case, name", ON_EVERY_LIBRARY)
def test_does_not_modify_its_arguments(entry, case, name):
    lib = library(name)
    for dtype in DTYPES:
        given = entry.cases[case](lambda a: lib.to(a, dtype))
        before = {k: _snapshot(v) for k, v in given.items()}
        entry.function(**given)
        for k, v in given.items():  # dtypes, list lengths and values
            assert _same(_snapshot(v), before[k]), f"{entry.name} changed its argument {k} ({dtype})"


@pytest.mark.parametrize("entry, case, name", ON_EVERY_LIBRARY)
def test_no_result_shares_memory_with_an_argument(entry, case, name):
    """Writing into a result must never change the caller's input."""
    if entry.holds_arguments:
        pytest.skip(f"{entry.name} is a record: it holds the arrays it is given")
    lib = library(name)
    given = entry.cases[case](lib.to)
    result = entry.function(**given)
    inputs = [view(a) for a in arrays_in(list(given.values()))]
    for out in arrays_in(result):
        for a in inputs:
            assert not np.shares_memory(view(out), a), f"{entry.name} returned a view of an argument"


# ------------------------------------------------------------------ errors


BAD_VALUES = {
    "string": "abc",
    "None": None,
    "object": object(),
    "list of strings": ["a", "b"],
    "list with None": [1.0, None],
    "string array": np.array(["x", "y"]),
    "object array": np.array([1.0, object()], dtype=object),
    "dict": {"a": 1},
    "complex": np.array([1 + 2j, 0j]),
    "ragged": [[1.0, 2.0], [3.0]],
}


def _reads_lists_as_layers(entry: Entry, arg: str) -> bool:
    """True where ``arg`` is an array in the running example but a list of arrays in another
    case (relative_error's a and b): there a ragged list is a valid list of layers."""
    calls = [build(_f64) for build in entry.cases.values()]
    return not isinstance(calls[0][arg], list) and any(isinstance(c[arg], list) for c in calls)


NAMED = [
    pytest.param(e, arg, bad, id=f"{e.name}-{arg}-{label}")
    for e in ENTRIES if e.validates for arg in e.arrays for label, bad in BAD_VALUES.items()
    if not (label == "ragged" and _reads_lists_as_layers(e, arg))
]


@pytest.mark.parametrize("entry, arg, bad", NAMED)
def test_non_numeric_input_is_refused_by_name(entry, arg, bad):
    kwargs = entry.cases["the running example"](_f64)
    given = kwargs[arg]
    kwargs[arg] = [*given[:-1], bad] if isinstance(given, list) else bad  # a list: its last layer
    with pytest.raises((TypeError, ValueError)) as info:
        entry.function(**kwargs)
    assert re.match(rf"{re.escape(arg)}(\[\d+\])? ", str(info.value)), str(info.value)


def _error(call: Any) -> tuple[type, str]:
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    return info.type, str(info.value)


ERRORS = [
    pytest.param(e, label, lib, id=f"{e.name}-{label}-{lib}")
    for e in ENTRIES for label in e.errors for lib in LIBRARIES
]


@pytest.mark.parametrize("entry, label, name", ERRORS)
def test_the_same_error_and_message_on_every_library(entry, label, name):
    lib = library(name)

    def call(to: Any) -> Any:
        return entry.call("the running example", to, **entry.errors[label](to))

    assert _error(lambda: call(lib.to)) == _error(lambda: call(_f64))


# ------------------------------------------------------------------ issue 10, rule 8


@st.composite
def samples(draw: Any) -> Any:
    """A two-layer network and its data: widths 1-4 (2-4 outputs), 0, 1 or 3 samples or a single
    one, and inputs of magnitude 1e-30 to 1e30."""
    n_in, n_hidden, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(2, 4))
    n = draw(st.sampled_from([None, 0, 1, 3]))
    scale = 10.0 ** draw(st.sampled_from([-30, -8, 0, 8, 30]))
    weights = [draw(values((n_in, n_hidden), -1.5, 1.5)), draw(values((n_hidden, n_out), -1.5, 1.5))]
    biases = [draw(values((n_hidden,), -1, 1)), draw(values((n_out,), -1, 1))]
    rows = (n_in,) if n is None else (n, n_in)
    x = draw(values(rows, -2, 2)) * scale
    t = draw(values((*rows[:-1], n_out), 0, 1))
    labels = draw(values(rows[:-1], 0, n_out - 1)).astype(int) if rows[:-1] else np.int64(0)
    return sample(weights, biases, x, t, labels)


# Issue 10 rules that the property test finds broken today, per entry. Strict: the lead
# removes a line when the fix lands.
RULE_8: dict[str, str] = {}  # entry: why the property test fails today; none does
PROPERTY = [
    pytest.param(e, marks=[pytest.mark.xfail(strict=True, reason=RULE_8[e.name])] if e.name in RULE_8 else [],
                 id=e.name)
    for e in ENTRIES
]


@pytest.mark.parametrize("entry", PROPERTY)
@settings(max_examples=25)
@given(s=samples(), name=st.sampled_from(LIBRARIES), dtype=st.sampled_from(DTYPES))
def test_every_function_on_drawn_shapes_dtypes_and_libraries(entry, s, name, dtype):
    """Rules 1-6 of issue 10 on what hypothesis draws: no warning leaves the call, the result
    keeps the library and dtype, and a finite input gives a finite answer (rule 1), also for
    an empty batch (rule 4)."""
    lib = library(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # rule 6: no warning, whatever the pytest configuration
        got = entry.function(**entry.draw(s, lambda a: lib.to(a, dtype)))
    assert_kept(got, entry, lib, dtype)
    assert np.all(np.isfinite(_leaves(got)))
