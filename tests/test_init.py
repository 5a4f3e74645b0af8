"""Tests for init.py (Chapter 14): the starting weights (14.2)-(14.4) and the gradient norms (14.1).

The initialisers are checked for shapes, seeding, the variance each equation promises
(measured on large layers), every Array API library through ``like=``, and their
argument checks. The chapter's claims are pinned on its own seeded setup: the
variance of the pre-activations stays flat with He's and Xavier's weights and does not
with N(0, 1); the gradient norms vanish and explode as the chapter's figure shows;
and the sigmoid's slope bound 1/4 caps how much error each layer passes back.
"""

from __future__ import annotations

import math

import array_api_strict
import numpy as np
import pytest

from backprop_book import (
    backprop,
    forward,
    he_init,
    layer_gradient_norms,
    normal_init,
    pre_activation,
    running_example,
    xavier_init,
)

INITS = {
    "normal_init": lambda sizes, **kw: normal_init(sizes, 0.5, **kw),
    "xavier_init": xavier_init,
    "he_init": he_init,
}


@pytest.mark.parametrize("name", INITS)
def test_shapes_zero_biases_and_float64(name):
    weights, biases = INITS[name]([5, 4, 3, 2], seed=0)
    assert [w.shape for w in weights] == [(5, 4), (4, 3), (3, 2)]
    assert [b.shape for b in biases] == [(4,), (3,), (2,)]
    assert all(w.dtype == np.float64 for w in weights)
    assert all(not b.any() for b in biases)


@pytest.mark.parametrize("name", INITS)
def test_the_same_seed_gives_the_same_weights_and_another_seed_others(name):
    first, _ = INITS[name]([6, 5, 4], seed=3)
    again, _ = INITS[name]([6, 5, 4], seed=np.int64(3))
    other, _ = INITS[name]([6, 5, 4], seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not any(np.array_equal(a, b) for a, b in zip(first, other))


@pytest.mark.parametrize(
    "init, target",
    [
        (lambda s: normal_init(s, 0.3, seed=1), lambda m, n: 0.3**2),  # (14.2)
        (lambda s: xavier_init(s, seed=1), lambda m, n: 2 / (m + n)),  # (14.3)
        (lambda s: he_init(s, seed=1), lambda m, n: 2 / m),  # (14.4)
    ],
    ids=["normal", "xavier", "he"],
)
def test_the_weights_have_the_variance_of_their_equation(init, target):
    sizes = [800, 300, 600]
    weights, _ = init(sizes)
    for w, (m, n) in zip(weights, zip(sizes, sizes[1:])):
        assert abs(float(w.mean())) < 5 * math.sqrt(target(m, n) / w.size)
        assert float(w.var()) == pytest.approx(target(m, n), rel=0.02)  # 1 in 10^4 chance of a 5-sigma miss


@pytest.mark.parametrize("name", INITS)
def test_like_gives_another_librarys_arrays_with_the_same_numbers(name):
    torch = pytest.importorskip("torch")
    reference, _ = INITS[name]([4, 3, 2], seed=5)
    weights, biases = INITS[name]([4, 3, 2], seed=5, like=torch.zeros(1, dtype=torch.float32))
    assert all(isinstance(a, torch.Tensor) and a.dtype == torch.float32 for a in weights + biases)
    for w, r in zip(weights, reference):
        np.testing.assert_allclose(w.numpy(), r, rtol=1e-6)


def test_like_keeps_the_device_of_array_api_strict():
    device = array_api_strict.Device("device1")
    like = array_api_strict.zeros(1, dtype=array_api_strict.float64, device=device)
    weights, biases = he_init([3, 2], seed=0, like=like)
    assert all(a.device == device and a.dtype == array_api_strict.float64 for a in weights + biases)
    on_cpu = array_api_strict.asarray(weights[0], device=array_api_strict.Device("CPU_DEVICE"))
    np.testing.assert_array_equal(np.asarray(on_cpu), he_init([3, 2], seed=0)[0][0])


@pytest.mark.parametrize(
    "sizes, error, message",
    [
        ([3], ValueError, r"sizes must list at least two layer widths \(n_0, ..., n_D\), got \[3\]"),
        (np.array([3, 2]), ValueError, "sizes must list at least two layer widths"),
        ([3, 0], ValueError, r"sizes\[1\] must be an integer >= 1, got 0"),
        ([3, -2, 1], ValueError, r"sizes\[1\] must be an integer >= 1, got -2"),
        ([3, 2.0], TypeError, r"sizes\[1\] must be an integer, got float"),
        ([True, 2], TypeError, r"sizes\[0\] must be an integer, got bool"),
    ],
)
@pytest.mark.parametrize("name", INITS)
def test_bad_sizes_are_named(name, sizes, error, message):
    with pytest.raises(error, match=message):
        INITS[name](sizes, seed=0)


@pytest.mark.parametrize(
    "seed, error, message",
    [(-1, ValueError, "seed must be an integer >= 0, got -1"), (1.0, TypeError, "seed must be an integer, got float"),
     (True, TypeError, "seed must be an integer, got bool"), ("0", TypeError, "seed must be an integer, got str"),
     (None, TypeError, "seed must be an integer, got NoneType")],
)
@pytest.mark.parametrize("name", INITS)
def test_a_bad_seed_is_named(name, seed, error, message):
    with pytest.raises(error, match=message):
        INITS[name]([2, 2], seed=seed)


@pytest.mark.parametrize("like, message", [([1.0], "like must be an array .* got list"),
                                           (np.zeros(2, dtype=int), "like must have a real floating dtype"),
                                           (np.float64(1.0), "like must be an array")])
@pytest.mark.parametrize("name", INITS)
def test_a_bad_like_is_named(name, like, message):
    with pytest.raises(TypeError, match=message):
        INITS[name]([2, 2], seed=0, like=like)


@pytest.mark.parametrize("sigma, error", [(0.0, ValueError), (-1.0, ValueError), (math.inf, ValueError),
                                          (math.nan, ValueError), (True, TypeError), ("1", TypeError)])
def test_a_bad_sigma_is_named(sigma, error):
    with pytest.raises(error, match="sigma must be a"):
        normal_init([2, 2], sigma, seed=0)


# ------------------------------------------------------------------ (14.1) gradient norms


def test_layer_gradient_norms_are_the_norms_of_backprops_weight_gradients():
    rng = np.random.default_rng(0)
    weights, biases = xavier_init([4, 6, 5, 3], seed=2)
    x, t = rng.normal(size=(7, 4)), rng.uniform(size=(7, 3))
    weight_grads, _ = backprop(weights, biases, x, t, hidden="tanh")
    norms = layer_gradient_norms(weights, biases, x, t, hidden="tanh")
    assert norms == pytest.approx([float(np.linalg.norm(g)) for g in weight_grads], rel=1e-14)
    assert all(type(n) is float for n in norms)


def test_layer_gradient_norms_on_the_running_example_by_hand():
    ex = running_example()
    x, h, y = forward(ex.weights, ex.biases, ex.x)
    delta2 = (y - ex.t) * y * (1 - y)
    delta1 = (delta2 @ ex.weights[1].T) * h * (1 - h)
    expected = [math.sqrt(sum((x[i] * delta1[j]) ** 2 for i in range(2) for j in range(3))),
                math.sqrt(sum((h[j] * delta2[k]) ** 2 for j in range(3) for k in range(2)))]
    assert layer_gradient_norms(ex.weights, ex.biases, ex.x, ex.t) == pytest.approx(expected, rel=1e-13)


def test_layer_gradient_norms_with_torch_tensors_agree_with_numpy():
    torch = pytest.importorskip("torch")
    ex = running_example()
    tensors = [[torch.asarray(a) for a in part] for part in (ex.weights, ex.biases)]
    got = layer_gradient_norms(*tensors, torch.asarray(ex.x), torch.asarray(ex.t))
    assert got == pytest.approx(layer_gradient_norms(ex.weights, ex.biases, ex.x, ex.t), rel=1e-14)


@pytest.fixture(scope="module")
def chapter_norms():
    """The chapter's run: ten layers of 64 units, a batch of 256, three activations, three starts."""
    rng = np.random.default_rng(0)
    X, T = rng.normal(size=(256, 64)), rng.normal(size=(256, 10))
    sizes = [64] * 10 + [10]
    norms = {}
    for hidden in ("sigmoid", "tanh", "relu"):
        scaled = (he_init if hidden == "relu" else xavier_init)(sizes, seed=1)
        for start, (w, b) in [("N(0, 1)", normal_init(sizes, 1.0, seed=1)),
                              ("small", normal_init(sizes, 0.01, seed=1)), ("scaled", scaled)]:
            norms[hidden, start] = layer_gradient_norms(w, b, X, T, hidden=hidden, output="identity")
    return norms


def test_relu_from_n01_explodes_and_from_small_weights_vanishes(chapter_norms):
    he, big, small = (chapter_norms["relu", s] for s in ("scaled", "N(0, 1)", "small"))
    assert min(big) > 1e10 * max(he)
    assert max(small) < 1e-8 * min(he)


def test_well_scaled_starts_keep_tanh_and_relu_gradients_within_a_factor_10(chapter_norms):
    for hidden in ("tanh", "relu"):
        g = chapter_norms[hidden, "scaled"]
        assert max(g) / min(g) < 10, (hidden, g)


def test_sigmoid_layers_lose_at_least_a_factor_2_each_even_from_xavier(chapter_norms):
    g = chapter_norms["sigmoid", "scaled"]
    ratios = [lower / upper for lower, upper in zip(g, g[1:])]
    assert max(ratios) < 0.5, ratios
    assert g[0] / g[-1] < 1e-5


@pytest.mark.parametrize("seed", range(5))
def test_a_sigmoid_layer_passes_back_at_most_a_quarter_of_the_weights_stretch(seed):
    """||delta^(l)|| <= 1/4 ||delta^(l+1)|| ||W^(l+1)||_2 for one sample: the slope bound sigma' <= 1/4."""
    rng = np.random.default_rng(seed)
    weights, biases = normal_init([5, 8, 8, 8, 3], 2.0, seed=seed)
    x, t = rng.normal(size=5), rng.uniform(size=3)
    _, deltas = backprop(weights, biases, x, t)  # for one sample, the bias gradient is the delta (7.1)
    for l in range(len(weights) - 1):
        bound = 0.25 * np.linalg.norm(deltas[l + 1]) * np.linalg.norm(weights[l + 1], 2)
        assert np.linalg.norm(deltas[l]) <= bound * (1 + 1e-12)


# ------------------------------------------------------------- the variance stays flat


def _variances(weights, biases, x, hidden):
    hs = forward(weights, biases, x, hidden=hidden, output="identity")
    return [float(np.var(pre_activation(h, w, b))) for h, w, b in zip(hs, weights, biases)]


@pytest.fixture(scope="module")
def wide_batch():
    return [256] * 11, np.random.default_rng(2).normal(size=(256, 256))


def test_he_keeps_relu_pre_activations_near_variance_2(wide_batch):
    sizes, x = wide_batch
    v = _variances(*he_init(sizes, seed=3), x, "relu")
    assert v[0] == pytest.approx(2, rel=0.05)
    assert all(1 < s < 4 for s in v), v


def test_n01_makes_relu_variance_grow_by_about_half_the_width_per_layer(wide_batch):
    sizes, x = wide_batch
    v = _variances(*normal_init(sizes, 1.0, seed=3), x, "relu")
    growth = [b / a for a, b in zip(v, v[1:])]
    assert all(64 < g < 256 for g in growth), growth  # n_(l-1) / 2 = 128


def test_xavier_keeps_tanh_variance_from_decaying_geometrically(wide_batch):
    sizes, x = wide_batch
    v = _variances(*xavier_init(sizes, seed=3), x, "tanh")
    small = _variances(*normal_init(sizes, 0.01, seed=3), x, "tanh")
    assert v[-1] > 0.03 and all(b / a > 0.6 for a, b in zip(v[1:], v[2:])), v
    assert small[-1] < 1e-14  # (0.01^2 * 256)^10 = 1.2e-16
