"""Unit tests for network.py: the running example, pre_activation (2.1) and forward (2.2)."""

import array_api_strict as xs
import numpy as np
import pytest
from support.running import HAND, hand_layer

from backprop_book import Example, forward, pre_activation, running_example


def test_running_example_shapes_and_types():
    ex = running_example()
    assert isinstance(ex, Example)
    assert [w.shape for w in ex.weights] == [(2, 3), (3, 2)]
    assert [b.shape for b in ex.biases] == [(3,), (2,)]
    assert ex.x.shape == (2,) and ex.t.shape == (2,)
    assert all(a.dtype == np.float64 for a in [*ex.weights, *ex.biases, ex.x, ex.t])


def test_running_example_is_fresh_on_every_call():
    first = running_example()
    first.weights[0][0, 0] = 99.0
    first.biases[1][:] = 0.0
    first.x[0] = -5.0
    second = running_example()
    assert second.weights[0][0, 0] != 99.0
    assert second.biases[1].any()
    assert second.x[0] != -5.0


def test_pre_activation_running_example():
    ex = running_example()
    assert pre_activation(ex.x, ex.weights[0], ex.biases[0]) == pytest.approx(HAND.a1, rel=1e-15, abs=1e-17)


def test_pre_activation_batch_is_row_by_row():
    w = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, 0.0]])
    b = np.array([0.25, -1.0])
    X = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 4.0]])
    expected = [[sum(X[n, i] * w[i, j] for i in range(3)) + b[j] for j in range(2)] for n in range(2)]
    a = pre_activation(X, w, b)
    assert a.shape == (2, 2)
    np.testing.assert_allclose(a, expected, rtol=1e-15, atol=0)


def test_forward_running_example_by_hand():
    ex = running_example()
    activations = forward(ex.weights, ex.biases, ex.x)
    assert len(activations) == 3
    assert activations[0].tolist() == ex.x.tolist()
    assert activations[1] == pytest.approx(HAND.h, rel=1e-15)
    assert activations[2] == pytest.approx(HAND.y, rel=1e-15)


@pytest.mark.parametrize("sizes", [[2, 1], [3, 4, 2], [1, 3, 3, 2], [2, 5, 4, 3, 1]])
def test_forward_any_depth_by_hand(sizes):
    rng = np.random.default_rng(len(sizes))
    weights = [rng.normal(size=(m, n)) for m, n in zip(sizes, sizes[1:])]
    biases = [rng.normal(size=n) for n in sizes[1:]]
    x = rng.normal(size=sizes[0])
    activations = forward(weights, biases, x)
    assert [a.shape for a in activations] == [(n,) for n in sizes]
    expected = x.tolist()
    for l, (w, b) in enumerate(zip(weights, biases)):
        expected = hand_layer(expected, w, b)
        assert activations[l + 1] == pytest.approx(expected, rel=1e-14)


def test_forward_batch_equals_each_sample():
    ex = running_example()
    X = np.array([[1.0, 0.5], [-2.0, 0.0], [0.3, 0.7], [0.0, 0.0]])
    batch = forward(ex.weights, ex.biases, X)
    assert [a.shape for a in batch] == [(4, 2), (4, 3), (4, 2)]
    for n in range(4):
        single = forward(ex.weights, ex.biases, X[n])
        for A, a in zip(batch, single):
            assert A[n] == pytest.approx(a, rel=1e-15)


def test_forward_outputs_lie_in_the_unit_interval():
    ex = running_example()
    X = np.array([[50.0, -50.0], [-1e3, 1e3]])
    for a in forward(ex.weights, ex.biases, X)[1:]:
        assert np.all((a >= 0) & (a <= 1))


def test_forward_accepts_nested_lists_and_tuples():
    ex = running_example()
    expected = forward(ex.weights, ex.biases, ex.x)
    got = forward(tuple(w.tolist() for w in ex.weights), tuple(b.tolist() for b in ex.biases), [1.0, 0.5])
    for e, g in zip(expected, got):
        assert isinstance(g, np.ndarray) and g.dtype == np.float64
        assert g.tolist() == pytest.approx(e.tolist(), rel=1e-15)


def test_forward_keeps_the_array_library():
    ex = running_example()
    got = forward([xs.asarray(w) for w in ex.weights], [xs.asarray(b) for b in ex.biases], xs.asarray(ex.x))
    expected = forward(ex.weights, ex.biases, ex.x)
    for e, g in zip(expected, got):
        assert type(g) is type(xs.asarray(0.0))
        assert np.asarray(g) == pytest.approx(e, rel=1e-15)
