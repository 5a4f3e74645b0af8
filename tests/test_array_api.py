"""The same code on any array library (Chapter 12): NumPy, PyTorch CPU tensors and array-api-strict.

Every public function takes arrays of any library that follows the Python Array API
standard and hands back arrays of that library, on the same device: ``test_contract.py``
checks that for every entry of the API registry (library, dtype, values, no mutation, no
aliasing, the same error messages). Here: whole networks of several depths on each
library, gradients against finite differences evaluated by the library itself (float64,
below 1e-7), the other activations and losses, a non-default device, and mixed input
(Python lists and integer arrays next to an array).
"""

from __future__ import annotations

import numpy as np
import pytest
from support.libraries import Library, assert_same_kind, back, load
from support.running import EX, numerical_gradients, random_network
from support.tolerances import FD, FLOAT32, SAME_MATH

import backprop_book as bb
from backprop_book import backprop, forward, relative_error

# ------------------------------------------------------------ forward, backprop
NETWORKS = {
    "running example": (EX.weights, EX.biases, EX.x, EX.t),
    "3-4-2 batch 5": random_network(),
    "2-5-4-3 batch 4": random_network((2, 5, 4, 3), 4, seed=3),
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
        assert relative_error(back(g), e) < SAME_MATH


@pytest.mark.parametrize("net", NETWORKS.values(), ids=NETWORKS.keys())
def test_backprop_keeps_the_library_and_matches_numpy(lib, net):
    weights, biases, x, t = on(lib, net)
    weight_grads, bias_grads = backprop(weights, biases, x, t)
    expected_w, expected_b = backprop(*net)
    for g, like in zip([*weight_grads, *bias_grads], [*weights, *biases]):
        assert_same_kind(g, lib, like)
        assert tuple(g.shape) == tuple(like.shape)
    assert relative_error([back(g) for g in weight_grads + bias_grads], expected_w + expected_b) < SAME_MATH


@pytest.mark.parametrize("net", NETWORKS.values(), ids=NETWORKS.keys())
def test_backprop_matches_finite_differences_on_every_library(lib, net):
    """Equation (10.3) with the loss evaluated by the library itself: error below 1e-7 in float64."""
    weights, biases, x, t = on(lib, net)
    weight_grads, bias_grads = backprop(weights, biases, x, t)
    numeric = numerical_gradients(net[0], net[1], x, t, to=lib.to)
    assert relative_error([back(g) for g in weight_grads + bias_grads], numeric) < FD


def test_backprop_keeps_float32(lib):
    net = NETWORKS["3-4-2 batch 5"]
    weights, biases, x, t = on(lib, net, "float32")
    weight_grads, bias_grads = backprop(weights, biases, x, t)
    for g in weight_grads + bias_grads:
        assert_same_kind(g, lib, x, "float32")
    expected_w, expected_b = backprop(*net)
    assert relative_error([back(g) for g in weight_grads + bias_grads], expected_w + expected_b) < FLOAT32


def test_float32_next_to_float64_becomes_float64_on_every_library(lib):
    """NumPy promotes a mix of precisions and PyTorch's products refuse it: the book promotes on both."""
    net = NETWORKS["3-4-2 batch 5"]
    weights, biases, x, t = on(lib, net, "float32")
    biases = [biases[0], lib.to(net[1][1], "float64")]  # one float64 array among float32 ones
    mixed = [g for grads in backprop(weights, biases, x, t) for g in grads]
    for g in mixed + forward(weights, biases, x)[1:] + [bb.pre_activation(x, weights[0], lib.to(net[1][0]))]:
        assert_same_kind(g, lib, x, "float64")
    expected = [g for grads in backprop(*on(lib, net, "float32")) for g in grads]
    assert relative_error([back(g) for g in mixed], [back(g) for g in expected]) < FLOAT32


def test_a_list_next_to_two_precisions_takes_the_wider_one(lib):
    x, w = lib.to([[1.0, 2.0]], "float32"), lib.to([[0.5], [0.25]], "float64")
    a = bb.pre_activation(x, w, [0.1])  # 0.1 read as float64, not rounded through float32 first
    assert_same_kind(a, lib, w, "float64")
    assert back(a).tolist() == [[1.0 + 0.1]]


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
    weights, biases, x, t = random_network((3, 4, 3), 4, seed=5)
    if output == "softmax":
        t = np.eye(3)[[0, 2, 1, 1]]
    net = (weights, biases, x, t)
    lw, lb, lx, lt = on(lib, net)
    weight_grads, bias_grads = backprop(lw, lb, lx, lt, hidden=hidden, output=output, loss=loss)
    for g, like in zip(weight_grads + bias_grads, lw + lb):
        assert_same_kind(g, lib, like)
    expected_w, expected_b = backprop(*net, hidden=hidden, output=output, loss=loss)
    assert relative_error([back(g) for g in weight_grads + bias_grads], expected_w + expected_b) < SAME_MATH
    numeric = numerical_gradients(weights, biases, lx, lt, to=lib.to, hidden=hidden, output=output, loss=loss)
    assert relative_error([back(g) for g in weight_grads + bias_grads], numeric) < FD


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
