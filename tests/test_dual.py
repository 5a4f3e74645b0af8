"""Forward mode (dual.py, Chapter 13): dual numbers against autograd, the engine and backprop.

Every operation of ``Dual`` carries the derivative that ``autograd`` computes (1e-12) and
that central differences measure; on any expression its derivative part equals the
reverse-mode ``Value``'s gradient; ``forward_mode_gradients`` equals ``backprop`` on random
networks of all 12 combinations of activation and loss (relative error below 1e-12).
Its bad-input and no-mutation tests run with the engine's, in test_engine.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from autograd import grad as ag_grad
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_engine import COMBINATIONS, OPS, networks, norm

from backprop_book import (
    Dual,
    Value,
    backprop,
    forward_mode_gradients,
    numerical_gradient,
    relative_error,
    reverse_mode_gradients,
    running_example,
)

AD_TOL = 1e-12
FD_TOL = 1e-7
IDS = [name for name, *_ in OPS]


@pytest.mark.parametrize("name, ours, reference, inputs", OPS, ids=IDS)
@given(data=st.data())
def test_every_operation_carries_autograds_derivative(name, ours, reference, inputs, data):
    a0, b0 = data.draw(inputs)
    along_a = ours(Dual(a0, 1.0), Dual(b0, 0.0))  # d/da
    along_b = ours(Dual(a0, 0.0), Dual(b0, 1.0))  # d/db
    assert along_a.data == pytest.approx(float(reference(a0, b0)), rel=1e-14, abs=1e-300)
    assert along_a.data == along_b.data
    assert along_a.dot == pytest.approx(float(ag_grad(reference, 0)(a0, b0)), rel=AD_TOL, abs=1e-300)
    if "b" in name:
        assert along_b.dot == pytest.approx(float(ag_grad(reference, 1)(a0, b0)), rel=AD_TOL, abs=1e-300)
    else:
        assert along_b.dot == 0.0


@pytest.mark.parametrize("name, ours, reference, inputs", OPS, ids=IDS)
@given(data=st.data())
def test_every_operation_against_finite_differences(name, ours, reference, inputs, data):
    a0, b0 = data.draw(inputs)
    dots = np.array([ours(Dual(a0, 1.0), Dual(b0)).dot, ours(Dual(a0), Dual(b0, 1.0)).dot])
    numeric = numerical_gradient(lambda p: ours(Dual(float(p[0])), Dual(float(p[1]))).data, np.array([a0, b0]))
    assume(np.linalg.norm(numeric) > 1e-4)
    assert relative_error(dots, numeric) < FD_TOL


@pytest.mark.parametrize("name, ours, reference, inputs", OPS, ids=IDS)
@given(data=st.data())
def test_forward_mode_equals_reverse_mode_on_every_operation(name, ours, reference, inputs, data):
    a0, b0 = data.draw(inputs)
    a, b = Value(a0), Value(b0)
    ours(a, b).backward()
    assert ours(Dual(a0, 1.0), Dual(b0)).dot == pytest.approx(a.grad, rel=1e-14, abs=1e-300)
    assert ours(Dual(a0), Dual(b0, 1.0)).dot == pytest.approx(b.grad, rel=1e-14, abs=1e-300)


def test_a_number_on_either_side_is_a_constant():
    x = Dual(2.0, 1.0)
    for y, expected in [(3 - x, -1.0), (x - 3, 1.0), (3 / x, -0.75), (x / 4, 0.25), (5 * x, 5.0), (1 + x, 1.0)]:
        assert y.dot == expected


@pytest.mark.parametrize("hidden, output, loss", COMBINATIONS)
@settings(max_examples=15)  # P passes each: forward mode is the slow one
@given(data=st.data())
def test_forward_mode_equals_backprop_on_random_networks(hidden, output, loss, data):
    weights, biases, x, t = data.draw(networks(output))
    kw = dict(hidden=hidden, output=output, loss=loss)
    wg, bg = forward_mode_gradients(weights, biases, x, t, **kw)
    ref_w, ref_b = backprop(weights, biases, x, t, **kw)
    assert [g.shape for g in wg + bg] == [g.shape for g in ref_w + ref_b]
    assume(norm(ref_w + ref_b) > 1e-8)
    assert relative_error(wg + bg, ref_w + ref_b) < AD_TOL
    assert relative_error(wg + bg, sum(reverse_mode_gradients(weights, biases, x, t, **kw), [])) < AD_TOL


def test_running_example_values():
    ex = running_example()
    wg, bg = forward_mode_gradients(ex.weights, ex.biases, ex.x, ex.t)
    np.testing.assert_allclose(wg[0], [[-0.02647788, 0.01876521, 0.01893319],
                                       [-0.01323894, 0.00938261, 0.0094666]], rtol=1e-6)


@pytest.mark.parametrize("make, error, phrase", [
    (lambda: Dual("1.5"), TypeError, "data must be a real number, got str"),
    (lambda: Dual(1.0, None), TypeError, "dot must be a real number, got NoneType"),
    (lambda: Dual(2.0) ** Dual(3.0), TypeError, "the exponent p must be a real number, got Dual"),
    (lambda: Dual(0.0).log(), ValueError, "log needs a positive Dual, got 0"),
    (lambda: Dual(1.0) / 0.0, ZeroDivisionError, "division by a Dual whose value is 0"),
    (lambda: Dual(1.0) + "2", TypeError, "unsupported operand type"),
])
def test_bad_values_get_named_errors(make, error, phrase):
    with pytest.raises(error, match=phrase):
        make()


def test_one_pass_per_parameter(monkeypatch):
    """Forward mode runs the network once per weight and bias: count the sigmoid calls."""
    ex = running_example()
    calls = []
    original = Dual.sigmoid

    def counting(self):
        calls.append(1)
        return original(self)

    monkeypatch.setattr(Dual, "sigmoid", counting)
    forward_mode_gradients(ex.weights, ex.biases, ex.x, ex.t)
    parameters = sum(w.size for w in ex.weights) + sum(b.size for b in ex.biases)
    assert len(calls) == parameters * 5  # 17 passes, 3 hidden + 2 output sigmoids each
