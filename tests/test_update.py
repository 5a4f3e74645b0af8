"""Unit tests for update.py: gradient_step (4.1) and train (9.1)."""

import copy

import numpy as np
import pytest
from support.running import EX, HAND

from backprop_book import backprop, forward, gradient_step, l2_loss, running_example, train


def test_gradient_step_by_hand():
    param = np.array([[1.0, -2.0], [0.5, 0.0]])
    grad = np.array([[0.2, 0.4], [-1.0, 3.0]])
    lr = 0.25
    expected = [[param[i, j] - lr * grad[i, j] for j in range(2)] for i in range(2)]
    np.testing.assert_allclose(gradient_step(param, grad, lr), expected, rtol=1e-15, atol=0)


def test_gradient_step_on_u_of_the_running_example():
    """u_ij <- u_ij - eta delta_j h_i, with delta and h computed by hand."""
    u, delta, h = HAND.u, HAND.delta2, HAND.h
    expected = [[u[i][j] - 0.5 * delta[j] * h[i] for j in range(2)] for i in range(3)]
    weight_grads, _ = backprop(EX.weights, EX.biases, EX.x, EX.t)
    np.testing.assert_allclose(gradient_step(EX.weights[1], weight_grads[1], lr=0.5), expected, rtol=1e-14)


def test_gradient_step_returns_a_new_array_and_leaves_param_alone():
    param, grad = np.array([1.0, 2.0]), np.array([0.5, 0.5])
    kept = param.copy()
    new = gradient_step(param, grad, 0.1)
    assert new is not param and not np.shares_memory(new, param) and not np.shares_memory(new, grad)
    assert np.array_equal(param, kept)


@pytest.mark.parametrize("container", [list, tuple])
def test_gradient_step_on_lists_of_arrays(container):
    ex = running_example()
    weight_grads, bias_grads = backprop(ex.weights, ex.biases, ex.x, ex.t)
    kept = copy.deepcopy(ex.weights)
    new = gradient_step(container(ex.weights), container(weight_grads), 0.3)
    assert isinstance(new, list) and len(new) == 2
    for p, g, n, k in zip(ex.weights, weight_grads, new, kept):
        assert n.shape == p.shape and not np.shares_memory(n, p)
        np.testing.assert_allclose(n, k - 0.3 * g, rtol=1e-15)
        assert np.array_equal(p, k)


@pytest.mark.parametrize("lr", [0.5, 1, np.float64(0.01), np.float32(0.1)])
def test_gradient_step_accepts_numeric_learning_rates(lr):
    assert gradient_step(np.array([1.0]), np.array([2.0]), lr)[0] == pytest.approx(1.0 - 2.0 * float(lr))


@pytest.mark.parametrize("lr", [0.0, -0.1, -1, float("nan"), float("inf"), -float("inf")])
def test_gradient_step_rejects_a_non_positive_or_non_finite_lr(lr):
    with pytest.raises(ValueError, match="lr must be a positive finite number"):
        gradient_step(np.array([1.0]), np.array([2.0]), lr)


@pytest.mark.parametrize("lr", ["0.1", None, True, np.True_, [0.1], object(), 1j])
def test_gradient_step_rejects_a_non_number_lr(lr):
    with pytest.raises(TypeError, match="lr must be a number"):
        gradient_step(np.array([1.0]), np.array([2.0]), lr)


def test_gradient_step_rejects_mismatched_shapes_and_lengths():
    with pytest.raises(ValueError, match=r"param has shape \(2,\) but grad has shape \(2, 1\)"):
        gradient_step(np.zeros(2), np.zeros((2, 1)), 0.1)
    with pytest.raises(ValueError, match="same length"):
        gradient_step([np.zeros(2), np.zeros(3)], [np.zeros(2)], 0.1)
    with pytest.raises(ValueError, match="same length"):
        gradient_step([np.zeros(2)], np.zeros(2), 0.1)


def test_train_decreases_the_loss_on_the_running_example():
    ex = running_example()
    weights, biases, losses = train(ex.weights, ex.biases, ex.x, ex.t, lr=0.5, epochs=50)
    assert len(losses) == 51
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))
    assert losses[-1] < 0.5 * losses[0]
    assert [w.shape for w in weights] == [(2, 3), (3, 2)] and [b.shape for b in biases] == [(3,), (2,)]


def test_train_losses_are_the_losses_of_the_networks_it_passes_through():
    ex = running_example()
    y = forward(ex.weights, ex.biases, ex.x)[-1]
    first = 0.5 * sum((float(y[k]) - float(ex.t[k])) ** 2 for k in range(2))
    weights, biases, losses = train(ex.weights, ex.biases, ex.x, ex.t, lr=0.5, epochs=3)
    assert losses[0] == pytest.approx(first, rel=1e-15)
    assert losses[-1] == pytest.approx(float(l2_loss(forward(weights, biases, ex.x)[-1], ex.t)), rel=1e-15)
    assert all(type(L) is float for L in losses)


def test_train_one_epoch_is_one_gradient_step():
    ex = running_example()
    weight_grads, bias_grads = backprop(ex.weights, ex.biases, ex.x, ex.t)
    weights, biases, _ = train(ex.weights, ex.biases, ex.x, ex.t, lr=0.2, epochs=1)
    for p, g, n in zip(ex.weights + ex.biases, weight_grads + bias_grads, weights + biases):
        np.testing.assert_allclose(n, p - 0.2 * g, rtol=1e-15)


def test_train_fits_a_small_batch():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 2))
    T = np.stack([X[:, 0] > 0, X[:, 1] > 0], axis=1).astype(float)
    ex = running_example()
    _, _, losses = train(ex.weights, ex.biases, X, T, lr=2.0, epochs=100)
    assert losses[-1] < 0.1 * losses[0]


@pytest.mark.parametrize("epochs", [0, 3])
def test_train_does_not_mutate_and_returns_new_arrays(epochs):
    ex = running_example()
    kept = copy.deepcopy((ex.weights, ex.biases, ex.x, ex.t))
    weights, biases, _ = train(ex.weights, ex.biases, ex.x, ex.t, lr=0.5, epochs=epochs)
    for given, saved in zip((ex.weights, ex.biases), kept[:2]):
        assert all(np.array_equal(a, b) for a, b in zip(given, saved))
    assert np.array_equal(ex.x, kept[2]) and np.array_equal(ex.t, kept[3])
    assert weights is not ex.weights and biases is not ex.biases
    for new in weights + biases:
        assert not any(np.shares_memory(new, old) for old in ex.weights + ex.biases)


@pytest.mark.parametrize("epochs", [-1, 1.5, True, "3", None])
def test_train_rejects_bad_epochs(epochs):
    ex = running_example()
    with pytest.raises(ValueError, match="epochs must be a non-negative integer"):
        train(ex.weights, ex.biases, ex.x, ex.t, lr=0.5, epochs=epochs)


@pytest.mark.parametrize("epochs", [0, 2])
@pytest.mark.parametrize("lr", [0.0, -1.0, float("nan")])
def test_train_rejects_a_bad_learning_rate(lr, epochs):
    # checked up front, so even epochs=0 (no step taken) reports it
    ex = running_example()
    with pytest.raises(ValueError, match="lr must be a positive finite number"):
        train(ex.weights, ex.biases, ex.x, ex.t, lr=lr, epochs=epochs)
