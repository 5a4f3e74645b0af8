"""Unit tests for gradcheck.py: numerical_gradient (10.1), relative_error (10.2), gradient_check (10.3)."""

import math
import sys

import numpy as np
import pytest

import backprop_book
import backprop_book.general
from backprop_book import gradient_check, numerical_gradient, relative_error, running_example


def test_numerical_gradient_of_a_cubic():
    v = np.array([1.0, -2.0, 0.5])
    got = numerical_gradient(lambda q: float(np.sum(q**3)), v)
    np.testing.assert_allclose(got, [3 * vi**2 for vi in v], rtol=1e-9)


def test_numerical_gradient_of_a_quadratic_form_on_a_matrix():
    A = np.array([[2.0, 1.0], [0.0, 3.0]])
    P = np.array([[1.0, -1.0], [0.5, 2.0]])
    # f(P) = sum_ij A_ij P_ij^2 has gradient 2 A_ij P_ij
    got = numerical_gradient(lambda q: float(np.sum(A * q * q)), P)
    assert got.shape == (2, 2) and got.dtype == np.float64
    np.testing.assert_allclose(got, 2 * A * P, rtol=1e-9, atol=1e-12)


def test_numerical_gradient_is_central_so_its_error_shrinks_like_eps_squared():
    # f = e^v: exact slope e^0.3; a forward difference would shrink only like eps
    exact = math.exp(0.3)
    errors = [abs(numerical_gradient(lambda q: math.exp(q[0]), np.array([0.3]), eps=e)[0] - exact)
              for e in (1e-2, 1e-3)]
    assert errors[0] / errors[1] == pytest.approx(100, rel=0.01)
    assert errors[0] == pytest.approx(exact * 1e-4 / 6, rel=0.01)  # eps^2 f'''/6


def test_numerical_gradient_leaves_param_alone_even_if_f_mutates():
    param = np.array([1.0, 2.0])
    kept = param.copy()

    def greedy(q):
        value = float(np.sum(q))
        q[:] = 0.0  # f scribbles on its argument
        return value

    np.testing.assert_allclose(numerical_gradient(greedy, param), [1.0, 1.0], rtol=1e-9)
    assert np.array_equal(param, kept)


def test_numerical_gradient_of_float32_param_is_float64():
    got = numerical_gradient(lambda q: float(np.sum(q * q)), np.array([1.5], dtype=np.float32))
    assert got.dtype == np.float64 and got[0] == pytest.approx(3.0, rel=1e-9)


@pytest.mark.parametrize("eps", [0.0, -1e-5, float("nan")])
def test_numerical_gradient_rejects_bad_eps(eps):
    with pytest.raises(ValueError, match="eps must be positive"):
        numerical_gradient(lambda q: 0.0, np.zeros(2), eps=eps)


def test_numerical_gradient_rejects_a_non_callable():
    with pytest.raises(TypeError, match="f must be callable"):
        numerical_gradient(3.0, np.zeros(2))


@pytest.mark.parametrize(
    "a, b",
    [([1.0, 2.0], [1.0, 2.5]), ([3.0, 4.0], [0.0, 0.0]), ([1.0, 0.0], [0.0, 1.0]), ([1.0, -1.0], [-1.0, 1.0]),
     ([2.0], [2.0])],
)
def test_relative_error_table(a, b):
    norm = lambda v: math.sqrt(sum(vi * vi for vi in v))  # noqa: E731
    expected = norm([ai - bi for ai, bi in zip(a, b)]) / max(norm(a), norm(b))
    assert relative_error(np.array(a), np.array(b)) == pytest.approx(expected, rel=1e-15, abs=0)
    assert relative_error(np.array(b), np.array(a)) == pytest.approx(expected, rel=1e-15, abs=0)
    assert 0.0 <= relative_error(np.array(a), np.array(b)) <= 2.0


def test_relative_error_is_zero_for_two_zeros():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert type(relative_error(np.ones(2), np.ones(2))) is float


def test_relative_error_compares_lists_as_one_vector():
    a = [np.array([[3.0]]), np.array([0.0, 4.0])]
    b = [np.array([[3.0]]), np.array([0.0, 0.0])]
    assert relative_error(a, b) == pytest.approx(4.0 / 5.0, rel=1e-15)


def test_relative_error_rejects_different_sizes():
    with pytest.raises(ValueError, match="a has 2 numbers but b has 3"):
        relative_error(np.zeros(2), np.zeros(3))


def test_gradient_check_passes_on_the_running_example_and_a_batch():
    ex = running_example()
    assert gradient_check(ex.weights, ex.biases, ex.x, ex.t) < 1e-7
    X = np.array([[1.0, 0.5], [-0.3, 0.8], [0.0, -1.0]])
    T = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    assert gradient_check(ex.weights, ex.biases, X, T) < 1e-7


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda w, b: ([2 * g for g in w], b),  # a factor of 2 (forgetting the 1/2 of the loss)
        lambda w, b: (w, [-g for g in b]),  # a sign error in the bias gradients
        lambda w, b: ([w[0].T.reshape(w[0].shape), w[1]], b),  # a transposed layer
    ],
)
def test_gradient_check_catches_a_wrong_backprop(monkeypatch, corrupt):
    right = backprop_book.backprop

    def wrong(*args, **kwargs):
        return corrupt(*right(*args, **kwargs))

    # the public backprop, wherever gradient_check looks it up: its own module's namespace (a
    # top-level import) or backprop_book.general (an import inside the function, today)
    for module in {sys.modules[gradient_check.__module__], backprop_book.general}:
        monkeypatch.setattr(module, "backprop", wrong, raising=False)
    ex = running_example()
    assert gradient_check(ex.weights, ex.biases, ex.x, ex.t) > 1e-2
