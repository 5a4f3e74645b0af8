"""Unit tests for output_layer.py: output_delta (4.4) and weight_gradient (4.5, 5.3, 6.2)."""

import numpy as np
import pytest
from support.running import HAND

from backprop_book import dL_dy, dy_da, output_delta, weight_gradient


def _hand_h_y_t():
    return HAND.h, HAND.y, HAND.t


@pytest.mark.parametrize(
    "y, t",
    [(0.5, 1.0), (0.5, 0.0), (0.9, 0.9), (0.2, 1.0), (0.0, 1.0), (1.0, 0.0), (0.75, -1.0)],
)
def test_output_delta_table(y, t):
    expected = (y - t) * y * (1 - y)
    assert float(output_delta(np.array([y]), np.array([t]))[0]) == pytest.approx(expected, rel=1e-15, abs=0)


def test_output_delta_running_example():
    h, y, t = _hand_h_y_t()
    expected = [(y[k] - t[k]) * y[k] * (1 - y[k]) for k in range(2)]
    assert output_delta(np.array(y), np.array(t)) == pytest.approx(expected, rel=1e-14)


def test_output_delta_is_the_product_of_4_2_and_4_3():
    Y = np.array([[0.1, 0.8], [0.6, 0.3]])
    T = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert np.array_equal(output_delta(Y, T), dL_dy(Y, T) * dy_da(Y))
    assert output_delta(Y, T).shape == (2, 2)


def test_output_delta_vanishes_at_the_target_and_when_saturated():
    assert output_delta(np.array([0.3, 0.7]), np.array([0.3, 0.7])).tolist() == [0.0, 0.0]
    # a saturated unit (y = 0 or 1) passes no error back even when it is wrong
    assert output_delta(np.array([0.0, 1.0]), np.array([1.0, 0.0])).tolist() == [0.0, 0.0]


def test_weight_gradient_for_u_running_example():
    h, y, t = _hand_h_y_t()
    delta = [(y[j] - t[j]) * y[j] * (1 - y[j]) for j in range(2)]
    expected = [[delta[j] * h[i] for j in range(2)] for i in range(3)]  # dL/du_ij = delta_j h_i
    got = weight_gradient(np.array(h), np.array(delta))
    assert got.shape == (3, 2)
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0)


def test_weight_gradient_single_sample_is_the_outer_product():
    x = [2.0, -1.0, 0.5]
    delta = [0.1, -0.3]
    got = weight_gradient(np.array(x), np.array(delta))
    assert got.tolist() == [[x[i] * delta[j] for j in range(2)] for i in range(3)]


def test_weight_gradient_batch_sums_the_samples():
    X = np.array([[1.0, 2.0], [3.0, -4.0], [0.5, 0.0]])
    D = np.array([[0.5, 1.0, -1.0], [-1.0, 0.25, 2.0], [4.0, 0.0, 1.0]])
    expected = [[sum(X[n, i] * D[n, j] for n in range(3)) for j in range(3)] for i in range(2)]
    got = weight_gradient(X, D)
    assert got.shape == (2, 3)
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0)
    summed = sum(weight_gradient(X[n], D[n]) for n in range(3))
    np.testing.assert_allclose(got, summed, rtol=1e-15)


def test_weight_gradient_of_a_one_sample_batch_equals_the_single_sample():
    x, delta = np.array([0.3, -0.2]), np.array([1.5, -0.5, 0.25])
    assert np.array_equal(weight_gradient(x[None, :], delta[None, :]), weight_gradient(x, delta))


def test_weight_gradient_keeps_float32():
    g = weight_gradient(np.ones(2, dtype=np.float32), np.ones(3, dtype=np.float32))
    assert g.dtype == np.float32 and g.shape == (2, 3)
