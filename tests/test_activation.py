"""Unit tests for activation.py: sigmoid (3.2), sigmoid_prime (3.3) and dy_da (4.3)."""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from support.running import HAND, sigma
from support.tolerances import no_float_trouble

from backprop_book import dy_da, sigmoid, sigmoid_prime

FINITE = st.floats(allow_nan=False, allow_infinity=False)


# --- sigmoid, Equation (3.2) ------------------------------------------------------------


@pytest.mark.parametrize("a", [-20.0, -5.0, -1.0, -0.5, 0.0, 0.3, 1.0, 2.0, 7.5, 20.0])
def test_sigmoid_table(a):
    assert sigmoid(a) == pytest.approx(sigma(a), rel=1e-15, abs=0)


def test_sigmoid_of_zero_is_one_half():
    assert sigmoid(0.0) == 0.5
    assert sigmoid(np.zeros(3)).tolist() == [0.5, 0.5, 0.5]


def test_sigmoid_running_example():
    assert sigmoid(np.array(HAND.a1)) == pytest.approx(HAND.h, rel=1e-15)


def test_sigmoid_keeps_shape():
    a = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    s = sigmoid(a)
    assert s.shape == (2, 3, 4)
    assert s == pytest.approx(1 / (1 + np.exp(-a)), rel=1e-15)


@pytest.mark.parametrize(
    "a",
    [-1e308, -1000.0, -746.0, -710.0, -709.0, 709.0, 710.0, 1000.0, 1e308,
     np.finfo(np.float64).max, -np.finfo(np.float64).max, 5e-324, -5e-324],
)
def test_sigmoid_no_overflow_at_extremes(a):
    with no_float_trouble():
        s = sigmoid(a)
        s_arr = sigmoid(np.array([a, -a]))
    assert 0.0 <= s <= 1.0
    assert np.all(np.isfinite(s_arr)) and np.all((s_arr >= 0) & (s_arr <= 1))


@pytest.mark.parametrize("a", [-3e38, -1000.0, -104.0, -89.0, -88.0, 88.0, 89.0, 1000.0, 3e38])
def test_sigmoid_no_overflow_float32(a):
    with no_float_trouble():
        s = sigmoid(np.array([a], dtype=np.float32))
    assert s.dtype == np.float32
    assert 0.0 <= float(s[0]) <= 1.0


@given(FINITE)
def test_sigmoid_no_warning_for_any_finite_input(a):
    with no_float_trouble():
        s = sigmoid(a)
        s_neg = sigmoid(np.array([-a]))
    assert 0.0 <= s <= 1.0
    # sigma(-a) = 1 - sigma(a): checked where both sides are representable to 1e-16
    assert s_neg[0] == pytest.approx(1.0 - s, abs=4e-16)


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5), elements=FINITE))
def test_sigmoid_no_warning_on_arrays(a):
    with no_float_trouble():
        s = sigmoid(a)
    assert s.shape == a.shape and s.dtype == np.float64
    assert np.all((s >= 0) & (s <= 1))


@given(st.floats(-700, 700), st.floats(1e-6, 10))
def test_sigmoid_is_nondecreasing(a, step):
    assert sigmoid(a) <= sigmoid(a + step)


@pytest.mark.parametrize("a, expected", [(-1000.0, 0.0), (1000.0, 1.0), (-1e308, 0.0), (1e308, 1.0)])
def test_sigmoid_exact_at_the_tails(a, expected):
    assert sigmoid(a) == expected
    assert sigmoid(np.array([a]))[0] == expected
    if abs(a) < float(np.finfo(np.float32).max):
        assert sigmoid(np.array([a], dtype=np.float32))[0] == expected


@pytest.mark.parametrize("shape", [(), (3,), (2, 4)])
def test_sigmoid_float32_in_float32_out(shape):
    a = np.linspace(-4, 4, int(np.prod(shape))).reshape(shape).astype(np.float32)
    s = sigmoid(a)
    assert isinstance(s, np.ndarray) and s.dtype == np.float32 and s.shape == shape
    assert s == pytest.approx(1 / (1 + np.exp(-a.astype(np.float64))), rel=1e-6)


@pytest.mark.parametrize("a", [0.5, -2, 3, 0])
def test_sigmoid_accepts_python_numbers(a):
    s = sigmoid(a)
    assert type(s) is float
    assert s == pytest.approx(sigma(a), rel=1e-15)


def test_sigmoid_accepts_lists():
    assert sigmoid([0.0, 1.0]) == pytest.approx([0.5, 1 / (1 + math.e**-1)], rel=1e-15)


@pytest.mark.parametrize("a", [-30.0, -50.0, -100.0, -500.0, -700.0, -708.0, -5.0, 5.0, 30.0])
def test_sigmoid_accuracy_against_high_precision(a):
    with mpmath.workdps(50):
        reference = 1 / (1 + mpmath.exp(-mpmath.mpf(a)))
        assert abs((mpmath.mpf(sigmoid(a)) - reference) / reference) < 1e-15


def test_sigmoid_accuracy_on_an_array_of_large_negatives():
    a = -np.arange(30.0, 701.0, 10.0)
    s = sigmoid(a)
    with mpmath.workdps(50):
        for ai, si in zip(a.tolist(), s.tolist()):
            reference = 1 / (1 + mpmath.exp(-mpmath.mpf(ai)))
            assert abs((mpmath.mpf(si) - reference) / reference) < 1e-15, ai


# --- dy_da, Equation (4.3) ---------------------------------------------------------------


@pytest.mark.parametrize("y", [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])
def test_dy_da_table(y):
    assert dy_da(y) == pytest.approx(y * (1 - y), rel=1e-15, abs=0)


def test_dy_da_running_example():
    assert dy_da(np.array(HAND.h)) == pytest.approx([hj * (1 - hj) for hj in HAND.h], rel=1e-15)


def test_dy_da_peaks_at_one_half():
    y = np.linspace(0, 1, 101)
    d = dy_da(y)
    assert d.max() == 0.25 and y[np.argmax(d)] == 0.5
    assert d[0] == 0.0 and d[-1] == 0.0


def test_dy_da_keeps_shape_and_float32():
    y = np.full((2, 3), 0.2, dtype=np.float32)
    d = dy_da(y)
    assert d.shape == (2, 3) and d.dtype == np.float32
    assert d == pytest.approx(np.full((2, 3), 0.16), rel=1e-6)


def test_dy_da_takes_the_activation_not_the_pre_activation():
    a = 2.0
    y = sigma(a)
    assert dy_da(y) == pytest.approx(y * (1 - y), rel=1e-15)
    assert dy_da(y) != pytest.approx(a * (1 - a))


# --- sigmoid_prime, Equation (3.3) -------------------------------------------------------


@pytest.mark.parametrize("a", [-10.0, -3.0, -1.0, 0.0, 0.4, 1.0, 3.0, 10.0])
def test_sigmoid_prime_table(a):
    # sigma'(a) = e^-a / (1 + e^-a)^2, the quotient rule, written independently of sigma(1 - sigma)
    expected = math.exp(-a) / (1 + math.exp(-a)) ** 2
    assert sigmoid_prime(a) == pytest.approx(expected, rel=1e-13)


def test_sigmoid_prime_running_example():
    expected = [math.exp(-a) / (1 + math.exp(-a)) ** 2 for a in HAND.a1]
    assert sigmoid_prime(np.array(HAND.a1)) == pytest.approx(expected, rel=1e-13)


def test_sigmoid_prime_maximum_is_one_quarter_at_zero():
    assert sigmoid_prime(0.0) == 0.25
    a = np.linspace(-6, 6, 121)
    assert np.all(sigmoid_prime(a) <= 0.25)


@given(st.floats(-700, 700))
def test_sigmoid_prime_is_even(a):
    # sigma'(a) = sigma'(-a) to full relative precision: computing 1 - sigma(a) by
    # subtraction would lose every digit for large positive a (sigma(40) rounds to 1.0)
    assert sigmoid_prime(a) == pytest.approx(sigmoid_prime(-a), rel=1e-14, abs=0)


@pytest.mark.parametrize("a", [20.0, 40.0, 100.0, 700.0, -40.0, -700.0])
def test_sigmoid_prime_accuracy_against_high_precision(a):
    with mpmath.workdps(50):
        e = mpmath.exp(-mpmath.mpf(a))
        reference = e / (1 + e) ** 2
        assert abs((mpmath.mpf(sigmoid_prime(a)) - reference) / reference) < 1e-14


@pytest.mark.parametrize("a", [-1000.0, 1000.0, -1e308, 1e308])
def test_sigmoid_prime_vanishes_without_warning_at_the_tails(a):
    with no_float_trouble():
        assert sigmoid_prime(a) == 0.0


def test_sigmoid_prime_float32():
    a = np.array([-1.0, 0.0, 2.0], dtype=np.float32)
    assert sigmoid_prime(a).dtype == np.float32
