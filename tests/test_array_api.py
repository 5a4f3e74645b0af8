"""The same code on any array library (Chapter 12): NumPy, PyTorch CPU tensors and array-api-strict.

Every per-equation function, ``forward`` and ``backprop`` take arrays of any
library that follows the Python Array API standard and hand back arrays of that
library, on the same device. These tests run the gradient checks (finite
differences in float64, and agreement with the NumPy result) on each library,
check that results keep the library, dtype and device of the input, and that a
bad call raises the same error with the same message whatever the library.

array-api-strict implements the standard and nothing else, so any call outside
it fails here; it also has extra devices, which show that nothing falls back to
the default one. Without PyTorch (it is in the ``bench`` extra) its tests skip
with the reason, except under ``CI=true``, where a missing library fails them.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Any, Callable

import array_api_compat
import numpy as np
import pytest

import backprop_book as bb
from backprop_book import (
    backprop,
    forward,
    l2_loss,
    numerical_gradient,
    pre_activation,
    relative_error,
    running_example,
)

LIBRARIES = ["numpy", "torch", "array_api_strict"]


@dataclass
class Library:
    """How to move NumPy test data into one array library and back."""

    name: str
    module: Any
    device: Any = None  # None: the library's default device

    def to(self, a: Any, dtype: str = "float64") -> Any:
        a = np.array(a, dtype=dtype)  # always a fresh copy: tests own their data
        if self.name == "numpy":
            return a
        if self.name == "torch":
            return self.module.from_numpy(a)
        return self.module.asarray(a, device=self.device)

    @property
    def xp(self) -> Any:
        return array_api_compat.array_namespace(self.to([0.0]))


def back(a: Any) -> np.ndarray:
    """Any library's array as a NumPy float64 array (DLPack: no library-specific code)."""
    if isinstance(a, (float, int, np.generic)):  # a NumPy loss comes back as a NumPy number
        return np.asarray(a, dtype=np.float64)
    return np.asarray(np.from_dlpack(a), dtype=np.float64)


def load(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"{name} is not installed but CI=true: .ci/run installs torch==2.13.0 and the test "
                "extra, so the Array API tests run on every library there",
                pytrace=False,
            )
        pytest.skip(
            f"{name} is not installed: the Array API tests on it are skipped "
            "(pip install -e '.[test,bench]' brings array-api-strict and torch==2.13.0)"
        )


@pytest.fixture(params=LIBRARIES)
def lib(request: pytest.FixtureRequest) -> Library:
    return Library(request.param, load(request.param))


# ------------------------------------------------------------------ test data
def batch_network(sizes: tuple[int, ...] = (3, 4, 2), batch: int = 5, seed: int = 0) -> tuple:
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 1, (m, n)) for m, n in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.5, n) for n in sizes[1:]]
    x = rng.normal(0, 1, (batch, sizes[0]))
    t = rng.uniform(0.1, 0.9, (batch, sizes[-1]))
    return weights, biases, x, t


def _example_arrays() -> dict[str, np.ndarray]:
    ex = running_example()
    w, u = ex.weights
    x, h, y = forward(ex.weights, ex.biases, ex.x)
    rng = np.random.default_rng(1)
    a = rng.normal(0, 3, (4, 3))
    probs = np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)
    return {
        "x": ex.x, "t": ex.t, "w": w, "u": u, "b1": ex.biases[0], "h": h, "y": y,
        "delta": bb.output_delta(y, ex.t),
        "a": a, "a_edge": np.array([-800.0, -30.0, -1.0, 0.0, 1e-9, 2.0, 40.0, 800.0]),
        "H": rng.uniform(0.05, 0.95, (4, 3)), "D": rng.normal(0, 1, (4, 2)),
        "probs": probs, "onehot": np.eye(3)[[0, 2, 1, 2]], "T01": rng.uniform(0, 1, (4, 3)),
    }


E = _example_arrays()
EX = running_example()

# One call per exported array function: (function name, positional arrays, keywords).
# Every function in backprop_book.__all__ that computes on arrays must appear here
# (test_every_array_function_is_covered), so a new one cannot skip these checks.
CALLS: list[tuple[str, tuple[np.ndarray, ...], dict[str, Any]]] = [
    ("pre_activation", (E["x"], E["w"], E["b1"]), {}),
    ("sigmoid", (E["a"],), {}),
    ("sigmoid", (E["a_edge"],), {}),
    ("sigmoid_prime", (E["a_edge"],), {}),
    ("dy_da", (E["y"],), {}),
    ("l2_loss", (E["y"], E["t"]), {}),
    ("dL_dy", (E["y"], E["t"]), {}),
    ("output_delta", (E["y"], E["t"]), {}),
    ("weight_gradient", (E["h"], E["delta"]), {}),
    ("weight_gradient", (E["H"], E["D"]), {}),
    ("dL_dh", (E["delta"], E["u"]), {}),
    ("dL_dh", (E["D"], E["u"]), {}),
    ("hidden_delta", (E["delta"], E["u"], E["h"]), {}),
    ("hidden_delta", (E["D"], E["u"], E["H"]), {}),
    ("bias_gradient", (E["delta"],), {}),
    ("bias_gradient", (E["D"],), {}),
    ("gradient_step", (E["u"], E["u"] * 0.1), {"lr": 0.5}),
    ("tanh", (E["a_edge"],), {}),
    ("dtanh_da", (np.tanh(E["a"]),), {}),
    ("relu", (E["a_edge"],), {}),
    ("drelu_da", (np.maximum(E["a"], 0),), {}),
    ("tanh_hidden_delta", (E["D"], E["u"], np.tanh(E["a"])), {}),
    ("relu_hidden_delta", (E["D"], E["u"], np.maximum(E["a"], 0)), {}),
    ("softmax", (E["a"],), {}),
    ("softmax_cross_entropy", (E["a"], E["onehot"]), {}),
    ("sigmoid_cross_entropy", (E["a"], E["T01"]), {}),
    ("softmax_cross_entropy_delta", (E["probs"], E["onehot"]), {}),
    ("sigmoid_cross_entropy_delta", (E["H"][:, :3], E["T01"]), {}),
    ("loss_value", (E["a"], E["T01"]), {"output": "sigmoid", "loss": "cross_entropy"}),
    ("loss_value", (E["a"], E["onehot"]), {"output": "softmax", "loss": "cross_entropy"}),
    ("loss_value", (E["a"], E["T01"]), {}),
]
NOT_ON_ARRAYS = {  # exported, but not a function of arrays that returns arrays
    "Example", "running_example",  # builds the NumPy example
    "numerical_gradient", "relative_error", "gradient_check",  # NumPy float64 checkers (Chapter 10)
    "train",  # calls backprop and gradient_step, both covered; returns floats as well
    "forward", "backprop",  # covered by their own tests below
    # Chapters 14 and 15: floats from arrays, or arrays from layer widths (like= picks the library);
    # their libraries are tested in tests/test_init.py and tests/test_minibatch.py
    "layer_gradient_norms", "batch_gradient_variance", "normal_init", "xavier_init", "he_init",
}


def _calls() -> list[Any]:
    present = [c for c in CALLS if hasattr(bb, c[0])]
    return [pytest.param(*c, id=f"{c[0]}-{i}") for i, c in enumerate(present)]


def test_every_array_function_is_covered():
    """A function added to the package's exports joins the Array API checks, or this fails."""
    functions = {n for n in bb.__all__ if callable(getattr(bb, n))} - NOT_ON_ARRAYS
    missing = functions - {name for name, _, _ in CALLS}
    assert not missing, f"add these to CALLS in tests/test_array_api.py: {sorted(missing)}"


def assert_same_kind(result: Any, lib: Library, like: Any, dtype: str = "float64") -> None:
    """``result`` is an array of ``lib``, with ``like``'s device and the given dtype."""
    assert array_api_compat.array_namespace(result) is lib.xp, type(result)
    assert type(result) is type(like)
    assert array_api_compat.device(result) == array_api_compat.device(like)
    assert result.dtype == getattr(lib.xp, dtype)


# ------------------------------------------------ every function, every library
@pytest.mark.parametrize(("name", "args", "kwargs"), _calls())
def test_function_keeps_the_library_and_matches_numpy(lib, name, args, kwargs):
    f = getattr(bb, name)
    expected = f(*args, **kwargs)
    got = f(*[lib.to(a) for a in args], **kwargs)
    like = lib.to(args[0])
    if lib.name == "numpy" and np.ndim(expected) == 0:
        assert isinstance(got, (float, np.floating, np.ndarray))  # a loss: a NumPy number
    else:
        assert_same_kind(got, lib, like)
    assert tuple(np.shape(got)) == np.shape(expected)
    assert relative_error(back(got), back(expected)) < 1e-13
    assert np.all(np.isfinite(back(got))) == np.all(np.isfinite(back(expected)))


@pytest.mark.parametrize(("name", "args", "kwargs"), _calls())
def test_function_keeps_float32(lib, name, args, kwargs):
    f = getattr(bb, name)
    got = f(*[lib.to(a, "float32") for a in args], **kwargs)
    expected = f(*args, **kwargs)
    if not (lib.name == "numpy" and np.ndim(expected) == 0):
        assert_same_kind(got, lib, lib.to(args[0], "float32"), "float32")
    assert relative_error(back(got), back(expected)) < 1e-5


@pytest.mark.parametrize(("name", "args", "kwargs"), _calls())
def test_function_does_not_modify_its_arguments(lib, name, args, kwargs):
    given = [lib.to(a) for a in args]
    getattr(bb, name)(*given, **kwargs)
    for a, g in zip(args, given):
        np.testing.assert_array_equal(back(g), a)


# ------------------------------------------------------------ forward, backprop
NETWORKS = {
    "running example": (EX.weights, EX.biases, EX.x, EX.t),
    "3-4-2 batch 5": batch_network(),
    "2-5-4-3 batch 4": batch_network((2, 5, 4, 3), 4, seed=3),
}


def on(lib: Library, net: tuple, dtype: str = "float64") -> tuple:
    weights, biases, x, t = net
    return [lib.to(w, dtype) for w in weights], [lib.to(b, dtype) for b in biases], lib.to(x, dtype), lib.to(t, dtype)


@pytest.mark.parametrize("net", NETWORKS.values(), ids=NETWORKS.keys())
def test_forward_keeps_the_library_and_matches_numpy(lib, net):
    weights, biases, x, _ = on(lib, net)
    got = forward(weights, biases, x)
    expected = forward(*net[:3])
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert_same_kind(g, lib, x)
        assert relative_error(back(g), e) < 1e-14


@pytest.mark.parametrize("net", NETWORKS.values(), ids=NETWORKS.keys())
def test_backprop_keeps_the_library_and_matches_numpy(lib, net):
    weights, biases, x, t = on(lib, net)
    weight_grads, bias_grads = backprop(weights, biases, x, t)
    expected_w, expected_b = backprop(*net)
    for g, like in zip([*weight_grads, *bias_grads], [*weights, *biases]):
        assert_same_kind(g, lib, like)
        assert tuple(g.shape) == tuple(like.shape)
    assert relative_error([back(g) for g in weight_grads + bias_grads], expected_w + expected_b) < 1e-13


@pytest.mark.parametrize("net", NETWORKS.values(), ids=NETWORKS.keys())
def test_backprop_matches_finite_differences_on_every_library(lib, net):
    """Equation (10.3) with the loss evaluated by the library itself: error below 1e-7 in float64."""
    weights, biases, x, t = on(lib, net)
    weight_grads, bias_grads = backprop(weights, biases, x, t)
    params = [np.asarray(p, dtype=np.float64) for p in (*net[0], *net[1])]
    depth = len(net[0])
    numeric = []
    for i, p in enumerate(params):

        def loss(q: np.ndarray, i: int = i) -> float:
            trial = [lib.to(a) for a in params[:i]] + [lib.to(q)] + [lib.to(a) for a in params[i + 1 :]]
            return float(l2_loss(forward(trial[:depth], trial[depth:], x)[-1], t))

        numeric.append(numerical_gradient(loss, p))
    assert relative_error([back(g) for g in weight_grads + bias_grads], numeric) < 1e-7


def test_backprop_keeps_float32(lib):
    net = NETWORKS["3-4-2 batch 5"]
    weights, biases, x, t = on(lib, net, "float32")
    weight_grads, bias_grads = backprop(weights, biases, x, t)
    for g in weight_grads + bias_grads:
        assert_same_kind(g, lib, x, "float32")
    expected_w, expected_b = backprop(*net)
    assert relative_error([back(g) for g in weight_grads + bias_grads], expected_w + expected_b) < 1e-5


CHOICES = [  # (hidden, output, loss): every supported pair, two hidden activations
    ("sigmoid", "sigmoid", "l2"),
    ("tanh", "softmax", "cross_entropy"),
    ("relu", "sigmoid", "cross_entropy"),
    ("tanh", "identity", "l2"),
]


@pytest.mark.parametrize(("hidden", "output", "loss"), CHOICES)
def test_backprop_with_other_activations_and_losses(lib, hidden, output, loss):
    if not hasattr(bb, "loss_value"):
        pytest.skip("backprop_book has no hidden=/output=/loss= choices yet")
    weights, biases, x, t = batch_network((3, 4, 3), 4, seed=5)
    if output == "softmax":
        t = np.eye(3)[[0, 2, 1, 1]]
    net = (weights, biases, x, t)
    lw, lb, lx, lt = on(lib, net)
    weight_grads, bias_grads = backprop(lw, lb, lx, lt, hidden=hidden, output=output, loss=loss)
    for g, like in zip(weight_grads + bias_grads, lw + lb):
        assert_same_kind(g, lib, like)
    expected_w, expected_b = backprop(*net, hidden=hidden, output=output, loss=loss)
    assert relative_error([back(g) for g in weight_grads + bias_grads], expected_w + expected_b) < 1e-13
    params, depth = [*weights, *biases], len(weights)
    numeric = []
    for i, p in enumerate(params):

        def f(q: np.ndarray, i: int = i) -> float:
            trial = [lib.to(a) for a in params[:i]] + [lib.to(q)] + [lib.to(a) for a in params[i + 1 :]]
            acts = forward(trial[:depth], trial[depth:], lx, hidden=hidden, output=output)
            a = pre_activation(acts[-2], trial[depth - 1], trial[-1])  # the output layer's logits
            return float(bb.loss_value(a, lt, output=output, loss=loss))

        numeric.append(numerical_gradient(f, p))
    assert relative_error([back(g) for g in weight_grads + bias_grads], numeric) < 1e-7


def test_backprop_does_not_modify_its_arguments(lib):
    net = NETWORKS["3-4-2 batch 5"]
    weights, biases, x, t = on(lib, net)
    backprop(weights, biases, x, t)
    for g, e in zip([*weights, *biases, x, t], [*net[0], *net[1], net[2], net[3]]):
        np.testing.assert_array_equal(back(g), e)


def test_results_stay_on_a_non_default_device():
    """array-api-strict's second device: mixing devices raises, so every step stays on it."""
    strict = load("array_api_strict")
    lib = Library("array_api_strict", strict, device=strict.Device("device1"))
    weights, biases, x, t = on(lib, NETWORKS["3-4-2 batch 5"])
    for a in forward(weights, biases, x) + [g for grads in backprop(weights, biases, x, t) for g in grads]:
        assert a.device == lib.device
    y = forward(weights, biases, x)[-1]
    # Python lists and integer arrays join the library, dtype and device of the array given
    assert bb.dL_dy(y, [[0.5, 0.5]] * 5).device == lib.device
    assert bb.weight_gradient(strict.asarray([[1, 0, 2]] * 5, device=lib.device), y).dtype == strict.float64


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # array-api-strict's sum
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_finite_values_whose_sum_overflows_are_accepted(lib, dtype):
    """The finiteness check may sum an array first; a finite array whose sum overflows still passes."""
    big = float(np.finfo(dtype).max) / 2
    weights, biases = [lib.to(w, dtype) for w in EX.weights], [lib.to([big] * 3, dtype), lib.to(EX.biases[1], dtype)]
    weight_grads, bias_grads = backprop(weights, biases, lib.to(EX.x, dtype), lib.to(EX.t, dtype))
    assert np.all(np.isfinite(back(bias_grads[0])))
    with pytest.raises(ValueError, match=r"^biases\[0\] contains NaN or infinity$"):
        backprop(weights, [lib.to([big, big, np.nan], dtype), biases[1]], lib.to(EX.x, dtype), lib.to(EX.t, dtype))


def test_python_lists_and_integers_join_the_library(lib):
    y = lib.to([0.25, 0.75], "float32")
    got = bb.dL_dy(y, [1, 0])
    assert_same_kind(got, lib, y, "float32")
    assert back(got).tolist() == [-0.75, 0.75]
    ints = lib.xp.asarray([[1, 2], [3, 4]]) if lib.name != "numpy" else np.array([[1, 2], [3, 4]])
    grad = bb.weight_gradient(ints, lib.to([[0.5], [-1.0]]))
    assert_same_kind(grad, lib, y, "float64")
    assert back(grad).tolist() == [[-2.5], [-3.0]]


# ------------------------------------------------------- the same errors everywhere
def _bad(w_shape=(2, 3)) -> Callable[..., Any]:
    return lambda to: forward([to(np.zeros(w_shape)), to(EX.weights[1])], [to(b) for b in EX.biases], to(EX.x))


BAD_CALLS: dict[str, Callable[[Callable[[Any], Any]], Any]] = {
    # the trap of the source's notation: a (2,) output against a (2, 1) target broadcasts to (2, 2)
    "dL_dy (2,) vs (2, 1)": lambda to: bb.dL_dy(to(np.zeros(2)), to(np.zeros((2, 1)))),
    "output_delta (2,) vs (2, 1)": lambda to: bb.output_delta(to(np.zeros(2)), to(np.zeros((2, 1)))),
    "l2_loss (2,) vs (2, 1)": lambda to: bb.l2_loss(to(np.zeros(2)), to(np.zeros((2, 1)))),
    "dL_dy array vs list": lambda to: bb.dL_dy(to(np.zeros(2)), [[0.0], [0.0]]),
    "l2_loss NaN": lambda to: bb.l2_loss(to([np.nan, 0.0]), to([0.0, 0.0])),
    "pre_activation 1-D w": lambda to: pre_activation(to(EX.x), to(np.zeros(2)), to(EX.biases[0])),
    "pre_activation widths": lambda to: pre_activation(to(EX.x), to(np.zeros((3, 3))), to(EX.biases[0])),
    "weight_gradient batches": lambda to: bb.weight_gradient(to(np.zeros((4, 3))), to(np.zeros((5, 2)))),
    "weight_gradient 3-D": lambda to: bb.weight_gradient(to(np.zeros((1, 4, 3))), to(np.zeros((1, 4, 2)))),
    "dL_dh widths": lambda to: bb.dL_dh(to(np.zeros(3)), to(EX.weights[1])),
    "hidden_delta h shape": lambda to: bb.hidden_delta(to(np.zeros(2)), to(EX.weights[1]), to(np.zeros(2))),
    "bias_gradient 3-D": lambda to: bb.bias_gradient(to(np.zeros((2, 2, 2)))),
    "gradient_step shapes": lambda to: bb.gradient_step(to(np.zeros((3, 2))), to(np.zeros((2, 3))), 0.1),
    "forward x width": lambda to: forward([to(w) for w in EX.weights], [to(b) for b in EX.biases], to([1.0, 0.5, 2.0])),
    "forward weights chain": _bad((2, 4)),
    "forward bias shape": lambda to: forward([to(w) for w in EX.weights], [to(np.zeros(4)), to(EX.biases[1])], to(EX.x)),
    "forward 3-D x": lambda to: forward([to(w) for w in EX.weights], [to(b) for b in EX.biases], to(np.zeros((1, 1, 2)))),
    "backprop t shape": lambda to: backprop([to(w) for w in EX.weights], [to(b) for b in EX.biases], to(EX.x), to(np.zeros((1, 2)))),
    "backprop NaN in x": lambda to: backprop([to(w) for w in EX.weights], [to(b) for b in EX.biases], to([np.nan, 0.5]), to(EX.t)),
    "backprop inf in weights[1]": lambda to: backprop(
        [to(EX.weights[0]), to(np.full((3, 2), np.inf))], [to(b) for b in EX.biases], to(EX.x), to(EX.t)
    ),
    "backprop NaN in t": lambda to: backprop([to(w) for w in EX.weights], [to(b) for b in EX.biases], to(EX.x), to([np.nan, 0.0])),
    "backprop one bias": lambda to: backprop([to(w) for w in EX.weights], [to(EX.biases[0])], to(EX.x), to(EX.t)),
    # Chapter 11's activations and losses
    "tanh_hidden_delta h shape": lambda to: bb.tanh_hidden_delta(to(np.zeros(2)), to(EX.weights[1]), to(np.zeros(2))),
    "relu_hidden_delta h shape": lambda to: bb.relu_hidden_delta(to(np.zeros((4, 2))), to(EX.weights[1]), to(np.zeros((4, 2)))),
    "softmax_cross_entropy shapes": lambda to: bb.softmax_cross_entropy(to(np.zeros(3)), to(np.zeros((3, 1)))),
    "softmax_cross_entropy not a distribution": lambda to: bb.softmax_cross_entropy(to(np.zeros(3)), to([0.5, 0.9, 0.0])),
    "sigmoid_cross_entropy target above 1": lambda to: bb.sigmoid_cross_entropy(to(np.zeros(2)), to([0.5, 1.5])),
    "loss_value unknown pair": lambda to: bb.loss_value(to(np.zeros(2)), to(np.zeros(2)), output="softmax", loss="l2"),
    "backprop unknown hidden": lambda to: backprop(
        [to(w) for w in EX.weights], [to(b) for b in EX.biases], to(EX.x), to(EX.t), hidden="softplus"
    ),
}


def _error(call: Callable[[], Any]) -> tuple[type, str]:
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    return info.type, str(info.value)


@pytest.mark.parametrize("call", BAD_CALLS.values(), ids=BAD_CALLS.keys())
def test_the_same_error_and_message_on_every_library(lib, call):
    expected = _error(lambda: call(lambda a: np.array(a, dtype=np.float64)))
    assert _error(lambda: call(lib.to)) == expected
