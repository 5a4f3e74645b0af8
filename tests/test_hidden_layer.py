"""Unit tests for hidden_layer.py: dL_dh (5.1) and hidden_delta (5.2, 6.1)."""

import numpy as np
import pytest
from support.running import EX, HAND

from backprop_book import backprop, dL_dh, dy_da, hidden_delta


def _hand():
    """x, h, y, t, u and the output deltas of the running example, in plain Python."""
    return HAND.x, HAND.h, HAND.y, HAND.t, HAND.u, HAND.delta2


def test_dL_dh_running_example():
    x, h, y, t, u, delta = _hand()
    expected = [sum(delta[k] * u[j][k] for k in range(2)) for j in range(3)]  # sum_k delta_k u_jk
    assert dL_dh(np.array(delta), np.array(u)) == pytest.approx(expected, rel=1e-14)


def test_dL_dh_h1_as_the_source_writes_it():
    x, h, y, t, u, delta = _hand()
    # dL/dh_1 = (y1 - t1) y1 (1 - y1) u11 + (y2 - t2) y2 (1 - y2) u12
    expected = (y[0] - t[0]) * y[0] * (1 - y[0]) * u[0][0] + (y[1] - t[1]) * y[1] * (1 - y[1]) * u[0][1]
    assert float(dL_dh(np.array(delta), np.array(u))[0]) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize(
    "delta, u",
    [
        ([1.0], [[2.0], [-3.0]]),
        ([0.5, -1.0], [[1.0, 1.0], [2.0, 0.0], [0.0, -4.0]]),
        ([1.0, 2.0, 3.0], [[1.0, 0.0, -1.0]]),
    ],
)
def test_dL_dh_table(delta, u):
    expected = [sum(delta[k] * row[k] for k in range(len(delta))) for row in u]
    assert dL_dh(np.array(delta), np.array(u)).tolist() == pytest.approx(expected, rel=1e-15)


def test_dL_dh_batch_is_row_by_row():
    u = np.array([[1.0, -2.0], [0.5, 0.5], [3.0, 1.0]])
    D = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]])
    E = dL_dh(D, u)
    assert E.shape == (3, 3)
    for n in range(3):
        assert E[n].tolist() == pytest.approx([D[n, 0] * u[j, 0] + D[n, 1] * u[j, 1] for j in range(3)])


def test_hidden_delta_running_example():
    x, h, y, t, u, delta = _hand()
    expected = [sum(delta[k] * u[j][k] for k in range(2)) * h[j] * (1 - h[j]) for j in range(3)]
    got = hidden_delta(np.array(delta), np.array(u), np.array(h))
    assert got == pytest.approx(expected, rel=1e-14)


def test_hidden_delta_is_dL_dh_times_the_sigmoid_slope():
    u = np.array([[0.2, -0.7], [1.1, 0.4]])
    D = np.array([[0.3, -0.1], [0.05, 0.2]])
    H = np.array([[0.6, 0.1], [0.5, 0.99]])
    assert np.array_equal(hidden_delta(D, u, H), dL_dh(D, u) * dy_da(H))


def test_dL_dw11_as_the_source_writes_it():
    """The source's closed form for dL/dw_11 equals backprop's entry [0, 0]."""
    x, h, y, t, u, delta = _hand()
    source = (
        (y[0] - t[0]) * y[0] * (1 - y[0]) * u[0][0] + (y[1] - t[1]) * y[1] * (1 - y[1]) * u[0][1]
    ) * h[0] * (1 - h[0]) * x[0]
    weight_grads, _ = backprop(EX.weights, EX.biases, EX.x, EX.t)
    assert float(weight_grads[0][0, 0]) == pytest.approx(source, rel=1e-14)


def test_dL_dw_general_form_of_the_source():
    """dL/dw_ij = sum_k (y_k - t_k) y_k (1 - y_k) u_jk h_j (1 - h_j) x_i, for all six w."""
    x, h, y, t, u, delta = _hand()
    expected = [
        [sum((y[k] - t[k]) * y[k] * (1 - y[k]) * u[j][k] for k in range(2)) * h[j] * (1 - h[j]) * x[i]
         for j in range(3)]
        for i in range(2)
    ]
    weight_grads, _ = backprop(EX.weights, EX.biases, EX.x, EX.t)
    np.testing.assert_allclose(weight_grads[0], expected, rtol=1e-14, atol=0)
