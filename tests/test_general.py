"""Unit and property tests for general.py: backprop (6.3) at any depth and batch size."""

import array_api_strict as xs
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from support.running import EX, HAND, sigma
from support.strategies import networks

from backprop_book import backprop, forward, running_example

batches = st.integers(1, 5)  # always a batch (n, d)
single = st.none()  # one sample (d,)


def test_running_example_matches_the_hand_computation():
    weight_grads, bias_grads = backprop(EX.weights, EX.biases, EX.x, EX.t)
    for got, expected in zip(weight_grads + bias_grads, [HAND.dw, HAND.du, HAND.delta1, HAND.delta2]):
        np.testing.assert_allclose(got, expected, rtol=1e-14, atol=0)


@given(networks(max_depth=4, n=batches))
def test_batch_gradient_is_the_sum_of_per_sample_gradients(net):
    weights, biases, X, T = net
    batch_w, batch_b = backprop(weights, biases, X, T)
    singles = [backprop(weights, biases, X[n], T[n]) for n in range(len(X))]
    for l in range(len(weights)):
        np.testing.assert_allclose(batch_w[l], sum(s[0][l] for s in singles), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(batch_b[l], sum(s[1][l] for s in singles), rtol=1e-12, atol=1e-15)


@given(networks(max_depth=4, n=batches))
def test_gradients_are_shaped_like_the_parameters(net):
    weights, biases, x, t = net
    weight_grads, bias_grads = backprop(weights, biases, x, t)
    assert isinstance(weight_grads, list) and isinstance(bias_grads, list)
    assert [g.shape for g in weight_grads] == [w.shape for w in weights]
    assert [g.shape for g in bias_grads] == [b.shape for b in biases]
    assert all(g.dtype == np.float64 for g in weight_grads + bias_grads)


@given(networks(max_depth=4, n=single))
def test_one_sample_equals_a_batch_of_one(net):
    weights, biases, x, t = net
    single = backprop(weights, biases, x, t)
    batch = backprop(weights, biases, x[None, :], t[None, :])
    for a, b in zip(single[0] + single[1], batch[0] + batch[1]):
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-300)


def test_depth_one_is_a_single_sigmoid_layer():
    """No hidden layer: dL/dW_ij = (y_j - t_j) y_j (1 - y_j) x_i and dL/db_j = delta_j."""
    W = np.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]])
    b = np.array([0.1, -0.2])
    x, t = np.array([1.0, -0.5, 2.0]), np.array([0.0, 1.0])
    y = [sigma(sum(x[i] * W[i, j] for i in range(3)) + b[j]) for j in range(2)]
    delta = [(y[j] - t[j]) * y[j] * (1 - y[j]) for j in range(2)]
    (gW,), (gb,) = backprop([W], [b], x, t)
    np.testing.assert_allclose(gW, [[delta[j] * x[i] for j in range(2)] for i in range(3)], rtol=1e-14)
    np.testing.assert_allclose(gb, delta, rtol=1e-14)


def test_deeper_network_by_hand():
    """Three weight layers 1-2-2-1: the delta recursion (6.1) written out with loops."""
    W = [np.array([[0.3, -0.8]]), np.array([[1.2, -0.4], [0.5, 0.9]]), np.array([[-1.1], [0.7]])]
    B = [np.array([0.1, 0.0]), np.array([-0.3, 0.2]), np.array([0.05])]
    x, t = [0.6], [1.0]
    acts = [x]
    for w, b in zip(W, B):
        prev = acts[-1]
        acts.append([sigma(sum(prev[i] * w[i, j] for i in range(len(prev))) + b[j]) for j in range(w.shape[1])])
    y = acts[-1]
    delta = [(y[0] - t[0]) * y[0] * (1 - y[0])]
    expected_w, expected_b = [None] * 3, [None] * 3
    for l in (2, 1, 0):
        inp = acts[l]
        expected_w[l] = [[inp[i] * delta[j] for j in range(len(delta))] for i in range(len(inp))]
        expected_b[l] = list(delta)
        if l > 0:
            delta = [sum(delta[k] * W[l][j, k] for k in range(len(delta))) * inp[j] * (1 - inp[j])
                     for j in range(len(inp))]
    weight_grads, bias_grads = backprop(W, B, np.array(x), np.array(t))
    for l in range(3):
        np.testing.assert_allclose(weight_grads[l], expected_w[l], rtol=1e-14)
        np.testing.assert_allclose(bias_grads[l], expected_b[l], rtol=1e-14)


def test_tuples_lists_and_arrays_give_the_same_gradients():
    ex = running_example()
    expected = backprop(ex.weights, ex.biases, ex.x, ex.t)
    got = backprop(tuple(w.tolist() for w in ex.weights), tuple(ex.biases), ex.x.tolist(), ex.t.tolist())
    assert isinstance(got[0], list) and isinstance(got[1], list)
    for a, b in zip(expected[0] + expected[1], got[0] + got[1]):
        assert np.array_equal(a, b)


def test_gradient_is_zero_at_a_perfect_fit():
    ex = running_example()
    y = forward(ex.weights, ex.biases, ex.x)[-1]
    weight_grads, bias_grads = backprop(ex.weights, ex.biases, ex.x, y)
    assert all(not np.any(g) for g in weight_grads + bias_grads)


def test_backprop_keeps_the_array_library():
    ex = running_example()
    expected = backprop(ex.weights, ex.biases, ex.x, ex.t)
    got = backprop([xs.asarray(w) for w in ex.weights], [xs.asarray(b) for b in ex.biases],
                   xs.asarray(ex.x), xs.asarray(ex.t))
    for e, g in zip(expected[0] + expected[1], got[0] + got[1]):
        assert type(g) is type(xs.asarray(0.0))
        np.testing.assert_allclose(np.asarray(g), e, rtol=1e-15)
