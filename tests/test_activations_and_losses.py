"""Tests for activations_and_losses.py (Chapter 11) and the hidden=/output=/loss= choices.

Every supported (hidden, output, loss) combination (3 hidden activations x 4 output/loss
pairs = 12) is checked over random depths (1 to 3 weight layers), widths, batches and
values drawn by hypothesis, against two independent references:

1. central differences (``numerical_gradient``) of the loss: norm relative error < 1e-7;
2. reverse-mode autodiff (``autograd``) of a separate autograd.numpy rewrite of the
   forward pass and of each loss: agreement to 1e-10.

ReLU is not differentiable at 0. Examples in which any hidden pre-activation of a ReLU
network lies within 1e-3 of 0 are rejected with ``assume``: there a central difference
with step 1e-5 could straddle the kink and measure neither side's slope.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as ag_grad
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from support.running import network_loss, numerical_gradients
from support.strategies import networks, rows, targets, values
from support.tolerances import AD, FD, FLOOR, KINK
from support.tolerances import no_float_trouble

from backprop_book import (
    backprop,
    dL_dh,
    dL_dy,
    drelu_da,
    dtanh_da,
    dy_da,
    forward,
    gradient_check,
    hidden_delta,
    l2_loss,
    loss_value,
    numerical_gradient,
    output_delta,
    pre_activation,
    relative_error,
    relu,
    relu_hidden_delta,
    running_example,
    sigmoid,
    sigmoid_cross_entropy,
    sigmoid_cross_entropy_delta,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_delta,
    tanh,
    tanh_hidden_delta,
    train,
)
from backprop_book.choices import HIDDEN, LOSS, OUTPUT, PAIRS

REPO = Path(__file__).resolve().parents[1]

COMBINATIONS = [(h, o, l) for h in HIDDEN for o, l in PAIRS]
UNSUPPORTED = [(o, l) for o in OUTPUT for l in LOSS if (o, l) not in PAIRS]
DELTAS = {
    ("sigmoid", "l2"): output_delta,
    ("sigmoid", "cross_entropy"): sigmoid_cross_entropy_delta,
    ("softmax", "cross_entropy"): softmax_cross_entropy_delta,
    ("identity", "l2"): dL_dy,
}


def test_the_supported_combinations_are_the_documented_twelve():
    assert len(COMBINATIONS) == 12
    assert sorted(PAIRS) == sorted(
        [("sigmoid", "l2"), ("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"), ("identity", "l2")]
    )
    assert sorted(UNSUPPORTED) == [("identity", "cross_entropy"), ("softmax", "l2")]


# ------------------------------------------------------------------ random networks


def hidden_pre_activations(weights, biases, x, hidden):
    """The pre-activation of every hidden layer, for the ReLU kink filter."""
    activations = forward(weights, biases, x, hidden=hidden)
    return [pre_activation(h, w, b) for h, w, b in zip(activations[:-2], weights[:-1], biases[:-1])]


def away_from_kink(weights, biases, x, hidden):
    if hidden != "relu":
        return True
    return all(np.min(np.abs(a)) > KINK for a in hidden_pre_activations(weights, biases, x, hidden))


# ------------------------------------------------------ an independent autograd rewrite


def ag_logsumexp(a, axis, keepdims):
    # the textbook form, no max shift: the drawn logits are small, and it stays independent
    return anp.log(anp.sum(anp.exp(a), axis=axis, keepdims=keepdims))


def ag_activation(name, a):
    if name == "sigmoid":
        return 1 / (1 + anp.exp(-a))
    if name == "tanh":
        return anp.tanh(a)
    if name == "relu":
        return anp.maximum(a, 0.0)
    if name == "softmax":
        return anp.exp(a - ag_logsumexp(a, axis=-1, keepdims=True))
    assert name == "identity"
    return a


def ag_loss(a, t, output, loss):
    if loss == "l2":
        return 0.5 * anp.sum((ag_activation(output, a) - t) ** 2)
    if output == "sigmoid":  # -t log sigma(a) - (1 - t) log(1 - sigma(a))
        return anp.sum(t * anp.logaddexp(0.0, -a) + (1 - t) * anp.logaddexp(0.0, a))
    assert output == "softmax"
    return anp.sum(t * (ag_logsumexp(a, axis=-1, keepdims=True) - a))


def ag_gradients(weights, biases, x, t, hidden, output, loss):
    n = len(weights)

    def total(params):
        h = x
        for l in range(n):
            a = anp.dot(h, params[l]) + params[n + l]
            h = a if l == n - 1 else ag_activation(hidden, a)
        return ag_loss(h, t, output, loss)

    return ag_grad(total)(list(weights) + list(biases))


# ------------------------------------------------- every combination, two references


@pytest.mark.parametrize("hidden, output, loss", COMBINATIONS)
@settings(max_examples=15)
@given(data=st.data())
def test_backprop_matches_central_differences(hidden, output, loss, data):
    weights, biases, x, t = data.draw(networks(hidden, output, loss))
    assume(away_from_kink(weights, biases, x, hidden))  # ReLU: no finite difference across the kink
    weight_grads, bias_grads = backprop(weights, biases, x, t, hidden=hidden, output=output, loss=loss)
    numeric = numerical_gradients(weights, biases, x, t, hidden=hidden, output=output, loss=loss)
    analytic = weight_grads + bias_grads
    assume(np.sqrt(sum(np.sum(g ** 2) for g in analytic)) > FLOOR)
    assert relative_error(analytic, numeric) < FD


@pytest.mark.parametrize("hidden, output, loss", COMBINATIONS)
@settings(max_examples=15)
@given(data=st.data())
def test_backprop_matches_autograd(hidden, output, loss, data):
    weights, biases, x, t = data.draw(networks(hidden, output, loss))
    assume(away_from_kink(weights, biases, x, hidden))  # where relu' is defined the same everywhere
    weight_grads, bias_grads = backprop(weights, biases, x, t, hidden=hidden, output=output, loss=loss)
    reference = ag_gradients(weights, biases, x, t, hidden, output, loss)
    assert relative_error(weight_grads + bias_grads, reference) < AD


@pytest.mark.parametrize("hidden, output, loss", COMBINATIONS)
def test_gradient_check_passes_the_choices_through(hidden, output, loss):
    ex = running_example()  # t = (1, 0) is valid for every pair; a1 is 0.1 or more from the kink
    assert gradient_check(ex.weights, ex.biases, ex.x, ex.t, hidden=hidden, output=output, loss=loss) < FD


def test_gradient_check_would_see_the_wrong_loss():
    """The check discriminates: sigmoid + L2 gradients are far from the cross-entropy's."""
    ex = running_example()
    l2_grads = backprop(ex.weights, ex.biases, ex.x, ex.t)
    ce_numeric = numerical_gradients(ex.weights, ex.biases, ex.x, ex.t, output="sigmoid", loss="cross_entropy")
    assert relative_error(l2_grads[0] + l2_grads[1], ce_numeric) > 0.1


@pytest.mark.parametrize("output, loss", PAIRS)
@settings(max_examples=20)
@given(data=st.data())
def test_each_output_delta_is_the_gradient_of_its_loss(output, loss, data):
    n = data.draw(st.one_of(st.none(), st.integers(1, 4)))
    k = data.draw(st.integers(2, 5))
    a = data.draw(values(rows(n, k), -4, 4))
    t = data.draw(targets(rows(n, k), output, loss))
    y = {"sigmoid": sigmoid, "softmax": softmax, "identity": lambda v: v}[output](a)
    delta = DELTAS[output, loss](y, t)
    numeric = numerical_gradient(lambda v: loss_value(v, t, output=output, loss=loss), a)
    assume(np.linalg.norm(delta) > FLOOR)  # below it, central differences are noise
    assert relative_error(delta, numeric) < FD
    reference = ag_grad(lambda v: ag_loss(v, t, output, loss))(a)
    assert relative_error(delta, reference) < AD
    assert float(loss_value(a, t, output=output, loss=loss)) == pytest.approx(float(ag_loss(a, t, output, loss)),
                                                                             rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("delta_fn", [tanh_hidden_delta, relu_hidden_delta])
@settings(max_examples=20)
@given(data=st.data())
def test_hidden_deltas_are_gradients(delta_fn, data):
    """delta = d/da of sum(delta_next * (f(a) u)): the error through u times the slope."""
    f = tanh if delta_fn is tanh_hidden_delta else relu
    n = data.draw(st.one_of(st.none(), st.integers(1, 4)))
    j, k = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    a = data.draw(values(rows(n, j), -3, 3))
    assume(np.min(np.abs(a)) > KINK)  # relu: away from the kink
    u = data.draw(values((j, k), -2, 2))
    delta = data.draw(values(rows(n, k), -2, 2))
    numeric = numerical_gradient(lambda v: np.sum(delta * (f(v) @ u)), a)
    got = delta_fn(delta, u, f(a))
    assert got.shape == a.shape
    assume(np.linalg.norm(got) > FLOOR)
    assert relative_error(got, numeric) < FD
    assert np.allclose(got, dL_dh(delta, u) * (dtanh_da(f(a)) if f is tanh else drelu_da(f(a))))


@settings(max_examples=30)
@given(a=hnp.arrays(np.float64, (6,), elements=st.floats(-4, 4).filter(lambda v: abs(v) > KINK),
                    fill=st.nothing()))
def test_slopes_match_central_differences(a):
    # entries are kept away from the kink: central differences there would give 1/2 for relu;
    # and within |a| <= 4: beyond, tanh's slope (< 1.3e-3) nears the rounding of central
    # differences (1e-16 / eps = 1e-11 on every entry), and 1e-7 becomes a coin toss
    assert relative_error(dtanh_da(tanh(a)), numerical_gradient(lambda v: np.sum(tanh(v)), a)) < FD
    assert relative_error(drelu_da(relu(a)), numerical_gradient(lambda v: np.sum(relu(v)), a)) < FD


# ---------------------------------------------------------------- values by hand


def test_tanh_and_its_slope_by_hand():
    assert tanh(0.0) == 0.0
    assert tanh(1.0) == pytest.approx((np.e - 1 / np.e) / (np.e + 1 / np.e))
    assert (tanh(-1000.0), tanh(1000.0)) == (-1.0, 1.0)
    assert dtanh_da(0.0) == 1.0 and dtanh_da(0.5) == 0.75 and dtanh_da(1.0) == 0.0
    assert isinstance(tanh(0.3), float) and isinstance(dtanh_da(0.3), float)


def test_relu_and_its_slope_by_hand():
    a = np.array([-2.0, -0.0, 0.0, 1e-300, 3.0])
    assert np.array_equal(relu(a), [0.0, 0.0, 0.0, 1e-300, 3.0])
    assert np.array_equal(drelu_da(relu(a)), [0.0, 0.0, 0.0, 1.0, 1.0])
    assert drelu_da(0.0) == 0.0, "the book's convention: slope 0 at the kink"
    assert np.array_equal(drelu_da(a), drelu_da(relu(a))), "the pre-activation gives the same slope"


def test_softmax_by_hand():
    assert np.allclose(softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75])
    batch = softmax(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))
    assert np.allclose(batch.sum(axis=1), 1.0)
    assert np.allclose(batch[1], 1 / 3)


def test_cross_entropies_by_hand():
    a, t = np.array([2.0, -1.0]), np.array([0.25, 0.75])
    y = np.exp(a) / np.exp(a).sum()
    assert float(softmax_cross_entropy(a, t)) == pytest.approx(-np.sum(t * np.log(y)), rel=1e-14)
    s = 1 / (1 + np.exp(-a))
    assert float(sigmoid_cross_entropy(a, t)) == pytest.approx(
        -np.sum(t * np.log(s) + (1 - t) * np.log(1 - s)), rel=1e-14)


def test_the_deltas_are_y_minus_t():
    y, t = np.array([[0.2, 0.8], [0.6, 0.4]]), np.array([[0.0, 1.0], [1.0, 0.0]])
    for fn in (softmax_cross_entropy_delta, sigmoid_cross_entropy_delta, dL_dy):
        assert np.array_equal(fn(y, t), y - t)
    assert np.allclose(output_delta(y, t), (y - t) * dy_da(y)), "sigmoid + L2 keeps the slope"


def test_running_example_values():
    ex = running_example()
    x, h, y = forward(ex.weights, ex.biases, ex.x)
    a2 = pre_activation(h, ex.weights[1], ex.biases[1])
    assert np.allclose(softmax(a2), [0.5648, 0.4352], atol=5e-5)
    assert float(softmax_cross_entropy(a2, ex.t)) == pytest.approx(0.571255, abs=1e-6)
    assert float(sigmoid_cross_entropy(a2, ex.t)) == pytest.approx(1.275146, abs=1e-6)
    assert float(loss_value(a2, ex.t)) == pytest.approx(float(l2_loss(y, ex.t)), rel=1e-15)
    assert float(loss_value(a2, ex.t, output="identity")) == pytest.approx(float(l2_loss(a2, ex.t)))


# ---------------------------------------------------------------- stability


def test_softmax_of_huge_logits():
    with no_float_trouble():
        assert np.array_equal(softmax(np.array([1000.0, 1000.0])), [0.5, 0.5])
        assert np.array_equal(softmax(np.array([1e300, 0.0, -1e300 / 2])), [1.0, 0.0, 0.0])
        y = softmax(np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [710.0, 709.0]]))
    assert np.all(np.isfinite(y)) and np.allclose(y.sum(axis=1), 1.0)
    assert y[2, 0] == pytest.approx(1 / (1 + np.exp(-1.0)))


def test_cross_entropy_at_logits_of_plus_minus_1000():
    with no_float_trouble():
        assert float(softmax_cross_entropy(np.array([1000.0, -1000.0]), np.array([0.0, 1.0]))) == 2000.0
        assert float(softmax_cross_entropy(np.array([1000.0, -1000.0]), np.array([1.0, 0.0]))) == 0.0
        L = softmax_cross_entropy(np.array([[1000.0, -1000.0, 0.0]] * 3), np.eye(3))
    assert float(L) == pytest.approx(0.0 + 2000.0 + 1000.0)


def test_binary_cross_entropy_with_y_near_0_and_1():
    with no_float_trouble():
        # a = +-40: y rounds to 1.0 (or is 4e-18); the loss keeps its digits
        assert float(sigmoid_cross_entropy(np.array([40.0]), np.array([1.0]))) == pytest.approx(
            np.log1p(np.exp(-40.0)), rel=1e-12)
        assert float(sigmoid_cross_entropy(np.array([-40.0]), np.array([0.0]))) == pytest.approx(
            np.log1p(np.exp(-40.0)), rel=1e-12)
        assert float(sigmoid_cross_entropy(np.array([40.0]), np.array([0.0]))) == pytest.approx(40.0, rel=1e-15)
        # a = +-1000: y is exactly 0.0 or 1.0
        assert float(sigmoid_cross_entropy(np.array([-1000.0, 1000.0]), np.array([1.0, 0.0]))) == 2000.0
        assert float(sigmoid_cross_entropy(np.array([-1000.0, 1000.0]), np.array([0.0, 1.0]))) == 0.0
        assert np.array_equal(sigmoid_cross_entropy_delta(sigmoid(np.array([-1000.0, 1000.0])),
                                                          np.array([1.0, 0.0])), [-1.0, 1.0])


def test_backprop_at_saturated_outputs_is_finite():
    ex = running_example()
    biases = [ex.biases[0], np.array([-1000.0, 1000.0])]  # outputs exactly 0 and 1, both wrong
    with no_float_trouble():
        for output, loss in PAIRS:
            wg, bg = backprop(ex.weights, biases, ex.x, ex.t, output=output, loss=loss)
            assert all(np.all(np.isfinite(g)) for g in wg + bg)
        _, bg = backprop(ex.weights, biases, ex.x, ex.t, output="sigmoid", loss="cross_entropy")
    assert np.array_equal(bg[1], [-1.0, 1.0]), "cross-entropy: the full error, y - t"
    _, bg = backprop(ex.weights, biases, ex.x, ex.t)
    assert np.array_equal(bg[1], [0.0, 0.0]), "L2: the slope y(1 - y) is 0, the unit cannot learn"


# ---------------------------------------------------------------- errors


BAD_NAMES = [
    {"hidden": "softplus"}, {"hidden": "Sigmoid"}, {"hidden": None}, {"hidden": ["relu"]},
    {"output": "tanh"}, {"output": "linear"}, {"loss": "mse"}, {"loss": "L2"},
]


@pytest.mark.parametrize("kwargs", BAD_NAMES)
def test_an_unknown_name_lists_the_choices(kwargs):
    ex = running_example()
    name = next(iter(kwargs))
    valid = {"hidden": HIDDEN, "output": OUTPUT, "loss": LOSS}[name]
    with pytest.raises(ValueError, match=rf"^{name}=.* is not a valid choice; choose one of") as info:
        backprop(ex.weights, ex.biases, ex.x, ex.t, **kwargs)
    assert all(repr(v) in str(info.value) for v in valid)
    if name != "loss":
        with pytest.raises(ValueError, match=f"{name}="):
            forward(ex.weights, ex.biases, ex.x, **kwargs)


@pytest.mark.parametrize("output, loss", UNSUPPORTED)
def test_an_unsupported_pair_lists_the_valid_pairs(output, loss):
    ex = running_example()
    calls = [
        lambda: backprop(ex.weights, ex.biases, ex.x, ex.t, output=output, loss=loss),
        lambda: loss_value(ex.x, ex.x, output=output, loss=loss),
        lambda: gradient_check(ex.weights, ex.biases, ex.x, ex.t, output=output, loss=loss),
        lambda: train(ex.weights, ex.biases, ex.x, ex.t, lr=0.1, epochs=1, output=output, loss=loss),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="is not supported") as info:
            call()
        assert all(f"({o!r}, {l!r})" in str(info.value) for o, l in PAIRS)


BAD_DISTRIBUTIONS = [
    ([1.0, 1.0], "sums to 2.0"),
    ([0.5, 0.4], "sums to 0.9"),
    ([1.5, -0.5], "smallest entry is -0.5"),
    ([[1.0, 0.0], [0.3, 0.3]], "sums to 0.6"),
]


@pytest.mark.parametrize("t, message", BAD_DISTRIBUTIONS)
def test_softmax_cross_entropy_needs_distributions(t, message):
    t = np.array(t)
    a = np.zeros(t.shape)
    for call in (lambda: softmax_cross_entropy(a, t), lambda: softmax_cross_entropy_delta(softmax(a), t)):
        with pytest.raises(ValueError, match="probability distributions") as info:
            call()
        assert message in str(info.value)
    ex = running_example()
    if t.ndim == 1:
        with pytest.raises(ValueError, match="probability distributions"):
            backprop(ex.weights, ex.biases, ex.x, t, output="softmax", loss="cross_entropy")


@pytest.mark.parametrize("t", [[1.5, 0.0], [-0.1, 0.5], [[0.0, 1.0], [2.0, 0.0]]])
def test_binary_cross_entropy_needs_probabilities(t):
    t = np.array(t)
    for call in (lambda: sigmoid_cross_entropy(np.zeros(t.shape), t),
                 lambda: sigmoid_cross_entropy_delta(np.full(t.shape, 0.5), t)):
        with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
            call()
    ex = running_example()
    if t.ndim == 1:
        with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
            backprop(ex.weights, ex.biases, ex.x, t, output="sigmoid", loss="cross_entropy")


def test_targets_that_are_valid_are_accepted():
    a = np.zeros((2, 3))
    soft = np.array([[0.2, 0.3, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    assert np.isfinite(float(softmax_cross_entropy(a, soft)))
    assert np.isfinite(float(sigmoid_cross_entropy(a, np.array([[0.0, 0.5, 1.0]] * 2))))
    ex = running_example()
    backprop(ex.weights, ex.biases, ex.x, np.array([3.0, -2.0]), output="identity", loss="l2")  # any target


@pytest.mark.parametrize("fn", [softmax_cross_entropy, sigmoid_cross_entropy])
def test_losses_name_the_arguments_on_bad_shapes_and_values(fn):
    with pytest.raises(ValueError, match=r"a has shape \(2,\) but t has shape \(3,\)"):
        fn(np.zeros(2), np.array([1.0, 0.0, 0.0]))
    with pytest.raises(ValueError, match="NaN or infinity"):
        fn(np.array([np.nan, 0.0]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="a must be 1-D"):
        fn(np.zeros((1, 1, 2)), np.zeros((1, 1, 2)))


def test_softmax_refuses_nan_and_3d():
    with pytest.raises(ValueError, match="NaN or infinity"):
        softmax(np.array([np.inf, 0.0]))
    with pytest.raises(ValueError, match="a must be 1-D"):
        softmax(np.zeros((2, 2, 2)))


@pytest.mark.parametrize("fn", [tanh_hidden_delta, relu_hidden_delta])
def test_hidden_deltas_name_the_shapes(fn):
    with pytest.raises(ValueError, match=r"h has shape \(2,\) but delta has shape \(2,\) and u has shape \(3, 2\)"):
        fn(np.ones(2), np.ones((3, 2)), np.ones(2))


# ---------------------------------------------------------------- defaults, mutation, dtypes, arrays


def test_the_defaults_are_the_source_network():
    ex = running_example()
    default = backprop(ex.weights, ex.biases, ex.x, ex.t)
    explicit = backprop(ex.weights, ex.biases, ex.x, ex.t, hidden="sigmoid", output="sigmoid", loss="l2")
    for a, b in zip(default[0] + default[1], explicit[0] + explicit[1]):
        assert np.array_equal(a, b)
    x, h, y = forward(ex.weights, ex.biases, ex.x)
    delta2 = output_delta(y, ex.t)
    assert np.array_equal(default[1][0], hidden_delta(delta2, ex.weights[1], h))
    assert np.array_equal(default[0][1], np.outer(h, delta2))


@pytest.mark.parametrize("hidden, output, loss", COMBINATIONS)
def test_nothing_is_mutated(hidden, output, loss):
    ex = running_example()
    before = [a.copy() for a in ex.weights + ex.biases + [ex.x, ex.t]]
    backprop(ex.weights, ex.biases, ex.x, ex.t, hidden=hidden, output=output, loss=loss)
    forward(ex.weights, ex.biases, ex.x, hidden=hidden, output=output)
    for a, b in zip(ex.weights + ex.biases + [ex.x, ex.t], before):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("fn", [tanh, relu, softmax, dtanh_da, drelu_da])
def test_float32_stays_float32(fn):
    a = np.array([[0.5, -1.0, 2.0]], dtype=np.float32)
    assert fn(a).dtype == np.float32


def test_loss_in_float32_at_large_logits():
    a = np.array([[100.0, -100.0]], dtype=np.float32)
    t = np.array([[0.0, 1.0]], dtype=np.float32)
    with no_float_trouble():
        assert float(softmax_cross_entropy(a, t)) == pytest.approx(200.0)
        assert float(sigmoid_cross_entropy(a, t)) == pytest.approx(200.0)


@pytest.mark.parametrize("hidden, output, loss", [("tanh", "softmax", "cross_entropy"),
                                                  ("relu", "sigmoid", "cross_entropy"),
                                                  ("relu", "identity", "l2")])
def test_array_api_strict_arrays(hidden, output, loss):
    xp = pytest.importorskip("array_api_strict")
    ex = running_example()
    W = [xp.asarray(w) for w in ex.weights]
    B = [xp.asarray(b) for b in ex.biases]
    x, t = xp.asarray(ex.x), xp.asarray(ex.t)
    wg, bg = backprop(W, B, x, t, hidden=hidden, output=output, loss=loss)
    ref_w, ref_b = backprop(ex.weights, ex.biases, ex.x, ex.t, hidden=hidden, output=output, loss=loss)
    for got, ref in zip(wg + bg, ref_w + ref_b):
        assert type(got) is type(x)
        assert np.allclose(np.asarray(got), ref, rtol=1e-12, atol=1e-15)
    a = xp.asarray([[1000.0, -1000.0]])
    assert float(softmax_cross_entropy(a, xp.asarray([[0.0, 1.0]]))) == 2000.0
    assert float(sigmoid_cross_entropy(a, xp.asarray([[0.0, 1.0]]))) == 2000.0


def test_torch_tensors():
    torch = pytest.importorskip("torch")
    ex = running_example()
    W = [torch.tensor(w) for w in ex.weights]
    B = [torch.tensor(b) for b in ex.biases]
    wg, bg = backprop(W, B, torch.tensor(ex.x), torch.tensor(ex.t), hidden="relu", output="softmax",
                      loss="cross_entropy")
    ref_w, ref_b = backprop(ex.weights, ex.biases, ex.x, ex.t, hidden="relu", output="softmax",
                            loss="cross_entropy")
    for got, ref in zip(wg + bg, ref_w + ref_b):
        assert isinstance(got, torch.Tensor)
        assert np.allclose(got.numpy(), ref, rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- training and the experiment


def test_train_with_choices_reports_the_chosen_loss_and_learns():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 2))
    t = np.eye(2)[(x[:, 0] > 0).astype(int)]
    w = [rng.normal(0, 0.5, (2, 4)), rng.normal(0, 0.5, (4, 2))]
    b = [np.zeros(4), np.zeros(2)]
    w2, b2, losses = train(w, b, x, t, lr=0.05, epochs=40, hidden="tanh", output="softmax", loss="cross_entropy")
    assert len(losses) == 41 and losses[-1] < 0.5 * losses[0]
    assert losses[-1] == pytest.approx(network_loss(w2, b2, x, t, hidden="tanh", output="softmax", loss="cross_entropy"))
    default = train(w, b, x, t, lr=0.05, epochs=1)[2]
    assert default[0] == float(l2_loss(forward(w, b, x)[-1], t)), "the default still reports the L2 loss"


def test_the_chapter_experiment_figure_draws_and_closes():
    # The experiment itself runs in Chapter 11's shown code, which asserts what the
    # text says of the curves (a failed assert fails the strict build).
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    figure = vars(importlib.import_module("book.figures.ch11_loss_curves"))
    curve = np.linspace(1.0, 0.1, 20)
    before = set(plt.get_fignums())
    svg = figure["loss_curves_svg"]({"l2": curve, "cross_entropy": curve / 2},
                                    {"sigmoid": curve, "tanh": curve / 2, "relu": curve / 3})
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>") and figure["INK"] not in svg
    assert svg.count("<path") >= 5, "one line per curve"
    assert set(plt.get_fignums()) == before, "the figure is closed"
