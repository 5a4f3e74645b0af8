"""Every derivative in the package against two independent references.

1. Central differences (``numerical_gradient``, Equation 10.1): the norm relative
   error (Equation 10.2) must be below 1e-7 in float64.
2. Reverse-mode automatic differentiation with the ``autograd`` package, applied to a
   separate autograd.numpy rewrite of the forward pass and the loss: agreement to 1e-10.

Hypothesis draws the depth (1 to 4 weight layers), the widths (1 to 4 units), a single
sample ``(d0,)`` or a batch ``(n, d0)``, and the values.

Where the exact gradient is tiny, central differences cannot resolve it: their noise is
about 1e-11 in absolute terms (rounding of the loss divided by 2 eps), so examples whose
gradient norm is below ``FLOOR`` are skipped with ``assume`` (rarely: the targets would
have to match the outputs almost exactly).
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import elementwise_grad
from autograd import grad as ag_grad
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from support.running import numerical_gradients
from support.strategies import batches, layer_data, networks, rows, values, widths
from support.tolerances import AD, FD, FLOOR

from backprop_book import (
    backprop,
    bias_gradient,
    dL_dh,
    dL_dy,
    dy_da,
    hidden_delta,
    l2_loss,
    numerical_gradient,
    output_delta,
    relative_error,
    sigmoid,
    sigmoid_prime,
    weight_gradient,
)

def norm(arrays):
    return float(np.sqrt(sum(np.sum(np.asarray(a) ** 2) for a in arrays)))


# --- the reference: the same network in autograd.numpy, written without backprop_book --------


def ag_sigmoid(a):
    return 1.0 / (1.0 + anp.exp(-a))


def ag_l2(y, t):
    return 0.5 * anp.sum((y - t) ** 2)


def ag_loss(params, x, t):
    depth = len(params) // 2
    h = x
    for W, b in zip(params[:depth], params[depth:]):
        h = ag_sigmoid(anp.dot(h, W) + b)
    return ag_l2(h, t)


# --- backprop: every weight and bias --------------------------------------------------------


@given(networks(max_depth=4))
def test_backprop_against_finite_differences(net):
    weights, biases, x, t = net
    weight_grads, bias_grads = backprop(weights, biases, x, t)
    analytic = weight_grads + bias_grads
    assume(norm(analytic) > FLOOR)
    numeric = numerical_gradients(weights, biases, x, t)
    assert relative_error(analytic, numeric) < FD
    for a, n in zip(analytic, numeric):  # and no layer hides behind a bigger one
        np.testing.assert_allclose(a, n, rtol=1e-5, atol=1e-9)


@given(networks(max_depth=4))
def test_backprop_against_autograd(net):
    weights, biases, x, t = net
    weight_grads, bias_grads = backprop(weights, biases, x, t)
    reference = ag_grad(ag_loss)(weights + biases, x, t)
    assert len(reference) == len(weight_grads) + len(bias_grads)
    for ours, theirs in zip(weight_grads + bias_grads, reference):  # every layer on its own
        assert ours.shape == theirs.shape
        assert relative_error(ours, theirs) < AD


# --- the per-equation functions ---------------------------------------------------------------


@given(st.data())
def test_output_delta_is_dL_da2(data):
    n, k = data.draw(batches), data.draw(widths)
    a2 = data.draw(values(rows(n, k), -5, 5))
    t = data.draw(values(rows(n, k), 0, 1))
    delta = output_delta(sigmoid(a2), t)
    reference = ag_grad(lambda a: ag_l2(ag_sigmoid(a), t))(a2)
    assert relative_error(delta, reference) < AD
    assume(norm([delta]) > FLOOR)
    numeric = numerical_gradient(lambda a: float(l2_loss(sigmoid(a), t)), a2)
    assert relative_error(delta, numeric) < FD


@given(layer_data())
def test_dL_dh_is_the_gradient_with_respect_to_h(layer):
    h, u, b, t = layer
    delta = output_delta(sigmoid(h @ u + b), t)
    got = dL_dh(delta, u)
    assert got.shape == h.shape
    reference = ag_grad(lambda q: ag_l2(ag_sigmoid(anp.dot(q, u) + b), t))(h)
    assert relative_error(got, reference) < AD
    assume(norm([got]) > FLOOR)
    numeric = numerical_gradient(lambda q: float(l2_loss(sigmoid(q @ u + b), t)), h)
    assert relative_error(got, numeric) < FD


@given(layer_data(), st.data())
def test_hidden_delta_is_dL_da1(layer, data):
    h, u, b, t = layer
    a1 = data.draw(values(h.shape, -4, 4))  # a hidden layer's pre-activation; h = sigma(a1)
    h = sigmoid(a1)
    delta = output_delta(sigmoid(h @ u + b), t)
    got = hidden_delta(delta, u, h)
    assert got.shape == a1.shape
    reference = ag_grad(lambda a: ag_l2(ag_sigmoid(anp.dot(ag_sigmoid(a), u) + b), t))(a1)
    assert relative_error(got, reference) < AD
    assume(norm([got]) > FLOOR)
    numeric = numerical_gradient(lambda a: float(l2_loss(sigmoid(sigmoid(a) @ u + b), t)), a1)
    assert relative_error(got, numeric) < FD


@given(layer_data())
def test_weight_and_bias_gradient_of_one_layer(layer):
    h, u, b, t = layer
    delta = output_delta(sigmoid(h @ u + b), t)
    got_u, got_b = weight_gradient(h, delta), bias_gradient(delta)
    assert got_u.shape == u.shape and got_b.shape == b.shape
    ref_u = ag_grad(lambda q: ag_l2(ag_sigmoid(anp.dot(h, q) + b), t))(u)
    ref_b = ag_grad(lambda q: ag_l2(ag_sigmoid(anp.dot(h, u) + q), t))(b)
    assert relative_error(got_u, ref_u) < AD
    assert relative_error(got_b, ref_b) < AD
    assume(norm([got_u]) > FLOOR and norm([got_b]) > FLOOR)
    num_u = numerical_gradient(lambda q: float(l2_loss(sigmoid(h @ q + b), t)), u)
    num_b = numerical_gradient(lambda q: float(l2_loss(sigmoid(h @ u + q), t)), b)
    assert relative_error(got_u, num_u) < FD
    assert relative_error(got_b, num_b) < FD


@given(st.data())
def test_dL_dy_and_l2_loss(data):
    n, k = data.draw(batches), data.draw(widths)
    y = data.draw(values(rows(n, k), -3, 3))
    t = data.draw(values(rows(n, k), -3, 3))
    assert float(l2_loss(y, t)) == pytest.approx(float(ag_l2(y, t)), rel=1e-14, abs=1e-300)
    got = dL_dy(y, t)
    assert relative_error(got, ag_grad(ag_l2, 0)(y, t)) < AD
    assert relative_error(-got, ag_grad(ag_l2, 1)(y, t)) < AD  # dL/dt = -(y - t)
    assume(norm([got]) > FLOOR)
    assert relative_error(got, numerical_gradient(lambda q: float(l2_loss(q, t)), y)) < FD
    assert relative_error(-got, numerical_gradient(lambda q: float(l2_loss(y, q)), t)) < FD


@given(values(hnp.array_shapes(max_dims=2, max_side=4), -8, 8))
def test_sigmoid_prime_and_dy_da_are_the_slope_of_sigmoid(a):
    slope = sigmoid_prime(a)
    from_y = dy_da(sigmoid(a))
    reference = elementwise_grad(ag_sigmoid)(a)
    assert relative_error(slope, reference) < AD
    assert relative_error(from_y, reference) < AD
    # sum_i sigma(a_i) has gradient sigma'(a_i), elementwise
    numeric = numerical_gradient(lambda q: float(np.sum(sigmoid(q))), a)
    assert relative_error(slope, numeric) < FD
    assert relative_error(from_y, numeric) < FD
