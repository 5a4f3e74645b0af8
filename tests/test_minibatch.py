"""Tests for mini-batches (Chapter 15): ``train(batch_size=, seed=)`` (15.1) and
``batch_gradient_variance`` (15.2).

Equation (15.2) is checked exactly, by listing every batch of a small data set, and
statistically on random batches; ``train`` on mini-batches is checked against a loop
written here from (15.1), for leaving the full-batch results unchanged, for its seeding
and for its argument checks.
"""

from __future__ import annotations

import copy
from itertools import combinations

import numpy as np
import pytest

from backprop_book import backprop, batch_gradient_variance, forward, he_init, loss_value, pre_activation, train


def every_batch_error(G, N):
    """The mean of ||(n/N) sum_B g_s - g||^2 over every batch B of N samples."""
    n, g = len(G), G.sum(axis=0)
    return float(np.mean([np.sum((n / N * G[list(B)].sum(axis=0) - g) ** 2) for B in combinations(range(n), N)]))


@pytest.mark.parametrize("n", [2, 5, 8])
def test_batch_gradient_variance_equals_the_mean_over_every_batch(n):
    G = np.random.default_rng(n).normal(size=(n, 3))
    for N in range(1, n + 1):
        assert batch_gradient_variance(G, N) == pytest.approx(every_batch_error(G, N), rel=1e-12, abs=1e-12)


def test_the_scaled_batch_sum_is_unbiased_over_every_batch():
    G = np.random.default_rng(0).normal(size=(7, 4))
    for N in (1, 3, 6):
        mean = np.mean([7 / N * G[list(B)].sum(axis=0) for B in combinations(range(7), N)], axis=0)
        np.testing.assert_allclose(mean, G.sum(axis=0), rtol=1e-12, atol=1e-12)


def test_batch_gradient_variance_matches_random_batches_of_backprop():
    rng = np.random.default_rng(0)
    weights, biases = he_init([5, 8, 3], seed=0)
    x, t = rng.normal(size=(200, 5)), rng.normal(size=(200, 3))

    def flat(xb, tb):
        wg, bg = backprop(weights, biases, xb, tb, hidden="relu", output="identity")
        return np.concatenate([a.ravel() for a in wg + bg])

    G = np.stack([flat(x[s : s + 1], t[s : s + 1]) for s in range(200)])
    g = flat(x, t)
    np.testing.assert_allclose(G.sum(axis=0), g, rtol=1e-10, atol=1e-10)
    for N in (4, 50):
        errors = [np.sum((200 / N * flat(x[b], t[b]) - g) ** 2)
                  for b in (rng.choice(200, N, replace=False) for _ in range(400))]
        assert np.mean(errors) == pytest.approx(batch_gradient_variance(G, N), rel=0.2)


def test_batch_gradient_variance_with_torch():
    torch = pytest.importorskip("torch")
    G = np.random.default_rng(1).normal(size=(6, 2))
    assert batch_gradient_variance(torch.asarray(G), 4) == pytest.approx(batch_gradient_variance(G, 4), rel=1e-14)


@pytest.mark.parametrize(
    "grads, N, error, message",
    [
        (np.ones(3), 1, ValueError, r"grads must be 2-D \(samples, parameters\), got shape \(3,\)"),
        (np.ones((1, 3)), 1, ValueError, r"at least two samples' gradients, got shape \(1, 3\)"),
        (np.ones((4, 2)), 5, ValueError, r"batch_size must be at most the 4 samples of grads \(shape \(4, 2\)\), got 5"),
        (np.ones((4, 2)), 0, ValueError, "batch_size must be an integer >= 1, got 0"),
        (np.ones((4, 2)), 2.0, TypeError, "batch_size must be an integer, got float"),
        (np.ones((4, 2)), True, TypeError, "batch_size must be an integer, got bool"),
        (np.array([[1.0], [np.nan]]), 1, ValueError, "grads contains NaN or infinity"),
    ],
)
def test_batch_gradient_variance_names_bad_arguments(grads, N, error, message):
    with pytest.raises(error, match=message):
        batch_gradient_variance(grads, N)


# ------------------------------------------------------------- train on mini-batches (15.1)


@pytest.fixture
def problem():
    rng = np.random.default_rng(3)
    weights, biases = he_init([4, 6, 3], seed=1)
    x = rng.normal(size=(10, 4))
    t = np.eye(3)[rng.integers(0, 3, 10)]
    return weights, biases, x, t


CHOICE = dict(hidden="relu", output="softmax", loss="cross_entropy")


def sgd_by_hand(weights, biases, x, t, lr, epochs, N, seed):
    """(15.1) written out: one generator, a permutation per epoch, a step per batch of N rows."""
    rng = np.random.default_rng(seed)
    losses = []

    def loss(w, b):
        h = forward(w, b, x, hidden="relu", output="softmax")[-2]
        return float(loss_value(pre_activation(h, w[-1], b[-1]), t, output="softmax", loss="cross_entropy"))

    losses.append(loss(weights, biases))
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), N):
            rows = order[start : start + N]
            wg, bg = backprop(weights, biases, x[rows], t[rows], **CHOICE)
            weights = [w - lr * g for w, g in zip(weights, wg)]
            biases = [b - lr * g for b, g in zip(biases, bg)]
        losses.append(loss(weights, biases))
    return weights, biases, losses


@pytest.mark.parametrize("N", [1, 3, 4, 10])
def test_train_on_mini_batches_is_the_loop_of_15_1(problem, N):
    w, b, losses = train(*problem, lr=0.1, epochs=4, batch_size=N, seed=7, **CHOICE)
    w2, b2, losses2 = sgd_by_hand(*problem, lr=0.1, epochs=4, N=N, seed=7)
    assert len(losses) == 5 and losses == pytest.approx(losses2, rel=1e-12)
    for got, want in zip(w + b, w2 + b2):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_batch_size_none_is_the_full_batch_of_chapter_9_and_ignores_the_seed(problem):
    plain = train(*problem, lr=0.1, epochs=5, **CHOICE)
    for seed in (0, 5):
        again = train(*problem, lr=0.1, epochs=5, batch_size=None, seed=seed, **CHOICE)
        assert again[2] == plain[2]
        assert all(np.array_equal(p, q) for p, q in zip(plain[0] + plain[1], again[0] + again[1]))


def test_one_batch_of_everything_takes_the_full_batch_steps(problem):
    full = train(*problem, lr=0.1, epochs=5, **CHOICE)
    one = train(*problem, lr=0.1, epochs=5, batch_size=10, seed=3, **CHOICE)
    big = train(*problem, lr=0.1, epochs=5, batch_size=np.int64(1000), seed=3, **CHOICE)
    for run in (one, big):
        assert run[2] == pytest.approx(full[2], rel=1e-12)


def test_the_seed_decides_the_shuffles(problem):
    first = train(*problem, lr=0.1, epochs=3, batch_size=2, seed=1, **CHOICE)
    again = train(*problem, lr=0.1, epochs=3, batch_size=2, seed=np.int32(1), **CHOICE)
    other = train(*problem, lr=0.1, epochs=3, batch_size=2, seed=2, **CHOICE)
    assert first[2] == again[2] and first[2] != other[2]


def test_train_on_mini_batches_leaves_its_arguments_alone(problem):
    kept = copy.deepcopy(problem)
    train(*problem, lr=0.1, epochs=2, batch_size=3, seed=0, **CHOICE)
    for a, b in zip(kept[0] + kept[1] + [kept[2], kept[3]], problem[0] + problem[1] + [problem[2], problem[3]]):
        assert np.array_equal(a, b)


def test_train_on_mini_batches_with_torch_agrees_with_numpy(problem):
    torch = pytest.importorskip("torch")
    w, b, x, t = problem
    tensors = [[torch.asarray(a) for a in w], [torch.asarray(a) for a in b], torch.asarray(x), torch.asarray(t)]
    tw, tb, tl = train(*tensors, lr=0.1, epochs=3, batch_size=4, seed=0, **CHOICE)
    nw, nb, nl = train(*problem, lr=0.1, epochs=3, batch_size=4, seed=0, **CHOICE)
    assert isinstance(tw[0], torch.Tensor) and tl == pytest.approx(nl, rel=1e-12)


@pytest.mark.parametrize(
    "kw, error, message",
    [
        (dict(batch_size=0), ValueError, "batch_size must be an integer >= 1, got 0"),
        (dict(batch_size=-3), ValueError, "batch_size must be an integer >= 1, got -3"),
        (dict(batch_size=2.0), TypeError, "batch_size must be an integer, got float"),
        (dict(batch_size=True), TypeError, "batch_size must be an integer, got bool"),
        (dict(batch_size=np.True_), TypeError, "batch_size must be an integer, got bool"),
        (dict(batch_size="4"), TypeError, "batch_size must be an integer, got str"),
        (dict(batch_size=2, seed=-1), ValueError, "seed must be an integer >= 0, got -1"),
        (dict(batch_size=2, seed=1.5), TypeError, "seed must be an integer, got float"),
        (dict(seed=None), TypeError, "seed must be an integer, got NoneType"),
    ],
)
def test_train_names_a_bad_batch_size_or_seed(problem, kw, error, message):
    with pytest.raises(error, match=message):
        train(*problem, lr=0.1, epochs=1, **CHOICE, **kw)


def test_batch_size_needs_a_batch(problem):
    w, b, x, t = problem
    with pytest.raises(ValueError, match=r"batch_size needs a batch of samples, but x has shape \(4,\)"):
        train(w, b, x[0], t[0], lr=0.1, epochs=1, batch_size=1, **CHOICE)
