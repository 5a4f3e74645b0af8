"""Unit tests for bias.py: bias_gradient (7.1)."""

import numpy as np
import pytest
from support.running import EX, HAND

from backprop_book import backprop, bias_gradient, weight_gradient


@pytest.mark.parametrize("delta", [[0.5], [0.1, -0.2], [1.0, 0.0, -3.0, 2.5]])
def test_bias_gradient_of_one_sample_is_its_delta(delta):
    got = bias_gradient(np.array(delta))
    assert got.tolist() == delta
    assert got.shape == (len(delta),)


def test_bias_gradient_of_a_batch_sums_the_deltas():
    D = np.array([[0.5, -1.0], [0.25, 2.0], [-1.0, 0.5]])
    expected = [sum(D[n, j] for n in range(3)) for j in range(2)]
    got = bias_gradient(D)
    assert got.shape == (2,)
    assert got.tolist() == pytest.approx(expected, rel=1e-15)


def test_bias_gradient_is_a_new_array():
    delta = np.array([0.1, 0.2])
    got = bias_gradient(delta)
    assert got is not delta and not np.shares_memory(got, delta)
    got[0] = 42.0
    assert delta[0] == 0.1


def test_bias_gradient_is_the_weight_gradient_of_a_constant_input():
    D = np.array([[0.3, -0.4, 1.0], [0.2, 0.0, -2.0]])
    assert np.allclose(bias_gradient(D), weight_gradient(np.ones((2, 1)), D)[0], rtol=1e-15)
    assert np.array_equal(bias_gradient(D[0]), weight_gradient(np.ones(1), D[0])[0])


def test_bias_gradients_of_the_running_example_by_hand():
    _, bias_grads = backprop(EX.weights, EX.biases, EX.x, EX.t)
    assert bias_grads[1] == pytest.approx(HAND.delta2, rel=1e-14)  # dL/db2_k = delta_k
    assert bias_grads[0] == pytest.approx(HAND.delta1, rel=1e-14)


def test_bias_gradient_keeps_float32():
    assert bias_gradient(np.ones((3, 2), dtype=np.float32)).dtype == np.float32
    assert bias_gradient(np.ones(2, dtype=np.float32)).dtype == np.float32
