"""Unit tests for loss.py: the L2 loss (3.1) and its derivative dL_dy (4.2)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from support.running import HAND

from backprop_book import dL_dy, l2_loss


CASES = [
    ([0.5, 0.5], [1.0, 0.0]),
    ([0.0], [0.0]),
    ([0.2, 0.9, 0.4], [0.0, 1.0, 1.0]),
    ([3.0, -1.0], [1.0, 1.0]),
]


@pytest.mark.parametrize("y, t", CASES)
def test_l2_loss_table(y, t):
    expected = 0.5 * sum((yi - ti) ** 2 for yi, ti in zip(y, t))
    assert float(l2_loss(np.array(y), np.array(t))) == pytest.approx(expected, rel=1e-15, abs=0)


def test_l2_loss_running_example():
    y, t = HAND.y, HAND.t
    expected = 0.5 * ((y[0] - t[0]) ** 2 + (y[1] - t[1]) ** 2)
    assert float(l2_loss(np.array(y), np.array(t))) == pytest.approx(expected, rel=1e-15)
    assert HAND.loss == pytest.approx(expected, rel=1e-15)


def test_l2_loss_of_a_batch_sums_every_sample_and_output():
    Y = np.array([[0.1, 0.2], [0.7, 0.4], [0.5, 0.9]])
    T = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]])
    expected = 0.5 * sum((Y[n, k] - T[n, k]) ** 2 for n in range(3) for k in range(2))
    assert float(l2_loss(Y, T)) == pytest.approx(expected, rel=1e-15)
    assert float(l2_loss(Y, T)) == pytest.approx(sum(float(l2_loss(Y[n], T[n])) for n in range(3)))


def test_l2_loss_accepts_lists_and_returns_a_scalar():
    L = l2_loss([1.0, 2.0], [0, 0])
    assert np.ndim(L) == 0
    assert float(L) == 2.5


def test_l2_loss_keeps_float32():
    y = np.array([0.25, 0.75], dtype=np.float32)
    assert l2_loss(y, np.zeros(2, dtype=np.float32)).dtype == np.float32


@given(
    hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4)), elements=st.floats(-10, 10)),
    st.floats(-10, 10),
)
def test_l2_loss_is_nonnegative_and_zero_only_at_the_target(y, shift):
    assert float(l2_loss(y, y)) == 0.0
    t = y + shift
    L = float(l2_loss(y, t))
    assert L >= 0.0
    assert L == pytest.approx(0.5 * float(np.sum((y - t) ** 2)), rel=1e-12)


@pytest.mark.parametrize("y, t", CASES)
def test_dL_dy_table(y, t):
    assert dL_dy(np.array(y), np.array(t)).tolist() == pytest.approx([yi - ti for yi, ti in zip(y, t)])


def test_dL_dy_running_example():
    y, t = HAND.y, HAND.t
    assert dL_dy(np.array(y), np.array(t)) == pytest.approx([y[0] - t[0], y[1] - t[1]], rel=1e-15)


def test_dL_dy_batch_keeps_shape():
    Y, T = np.arange(6.0).reshape(3, 2), np.ones((3, 2))
    d = dL_dy(Y, T)
    assert d.shape == (3, 2)
    assert d.tolist() == [[-1.0, 0.0], [1.0, 2.0], [3.0, 4.0]]


def test_dL_dy_is_zero_at_the_target():
    y = np.array([0.3, 0.6])
    assert dL_dy(y, y.copy()).tolist() == [0.0, 0.0]
