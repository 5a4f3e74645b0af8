"""Symbolic truth: sympy differentiates the 2-3-2 network and agrees with the source's closed forms.

The loss is built from symbols exactly as Chapter 2 defines the network,

    h_j = sigma(sum_i x_i w_ij + b1_j),   y_k = sigma(sum_j h_j u_jk + b2_k),
    L = 1/2 sum_k (y_k - t_k)^2,          sigma(a) = 1 / (1 + e^-a),

and sympy takes dL/dw_ij, dL/du_jk, dL/db by the chain rule. Each is compared with the
closed form the chapters derive (Equations 4.5, 5.2-5.3, 7.1).

How the identities are proved: after differentiating, every e^{-a} is replaced by a fresh
positive symbol (E1_j for the hidden layer, E2_k for the output layer, so sigma(a) = 1/(1+E)).
The difference "sympy's derivative minus closed form" then becomes a rational function of
independent symbols, and ``sympy.cancel`` reducing it to 0 proves it vanishes identically,
for every value of the E's and so in particular for E = e^{-a}. This is the substitution
y = sigma(a) done symbolically, and it is much faster than ``simplify`` on the exponentials
(which the output-layer test also runs, as a cross-check).
"""

import mpmath
import numpy as np
import pytest
import sympy as sp

from backprop_book import backprop, relative_error, running_example


def sigma(z):
    return 1 / (1 + sp.exp(-z))


x = sp.symbols("x1:3", real=True)
t = sp.symbols("t1:3", real=True)
w = sp.Matrix(2, 3, lambda i, j: sp.Symbol(f"w{i + 1}{j + 1}", real=True))
u = sp.Matrix(3, 2, lambda j, k: sp.Symbol(f"u{j + 1}{k + 1}", real=True))
b1 = sp.symbols("b1_1:4", real=True)
b2 = sp.symbols("b2_1:3", real=True)

a1 = [sum(x[i] * w[i, j] for i in range(2)) + b1[j] for j in range(3)]  # (2.1)
h = [sigma(a) for a in a1]  # (2.2)
a2 = [sum(h[j] * u[j, k] for j in range(3)) + b2[k] for k in range(2)]
y = [sigma(a) for a in a2]
L = sp.Rational(1, 2) * sum((y[k] - t[k]) ** 2 for k in range(2))  # (3.1)

# the source's closed forms
delta = [(y[k] - t[k]) * y[k] * (1 - y[k]) for k in range(2)]  # (4.4)
hidden = [sum(delta[k] * u[j, k] for k in range(2)) * h[j] * (1 - h[j]) for j in range(3)]  # (5.2)

E1 = sp.symbols("E1_1:4", positive=True)
E2 = sp.symbols("E2_1:3", positive=True)


def as_rational_function(expr):
    """Replace e^{-a2_k} by E2_k, then e^{-a1_j} by E1_j; no exponential may remain."""
    expr = expr.xreplace({sp.exp(-a2[k]): E2[k] for k in range(2)})
    expr = expr.xreplace({sp.exp(-a1[j]): E1[j] for j in range(3)})
    assert not expr.atoms(sp.exp), f"an exponential escaped the substitution: {expr.atoms(sp.exp)}"
    return expr


def vanishes_identically(expr):
    return sp.cancel(as_rational_function(expr)) == 0


# --- the derivative of the sigmoid, Equation (3.3) ---------------------------------------


def test_sigmoid_derivative_is_sigma_times_one_minus_sigma():
    z = sp.Symbol("z", real=True)
    assert sp.simplify(sp.diff(sigma(z), z) - sigma(z) * (1 - sigma(z))) == 0
    # and 1 - sigma(z) = sigma(-z), the form sigmoid_prime computes
    assert sp.simplify(1 - sigma(z) - sigma(-z)) == 0


def test_chain_rule_factors_of_the_output_layer():
    ys, ts, a = sp.symbols("y t a", real=True)
    assert sp.diff(sp.Rational(1, 2) * (ys - ts) ** 2, ys) == ys - ts  # (4.2)
    s = sigma(a)
    assert sp.simplify(sp.diff(s, a) - s * (1 - s)) == 0  # (4.3), y = sigma(a)


# --- the 12 weights -------------------------------------------------------------------------


@pytest.mark.parametrize("i, j", [(i, j) for i in range(3) for j in range(2)])
def test_dL_du_ij_is_delta_j_h_i(i, j):
    """dL/du_ij = (y_j - t_j) y_j (1 - y_j) h_i = delta_j h_i, Equation (4.5)."""
    assert vanishes_identically(sp.diff(L, u[i, j]) - delta[j] * h[i])


@pytest.mark.parametrize("i, j", [(i, j) for i in range(2) for j in range(3)])
def test_dL_dw_ij_is_the_sum_over_outputs(i, j):
    """dL/dw_ij = sum_k (y_k - t_k) y_k (1 - y_k) u_jk h_j (1 - h_j) x_i, Equations (5.2)-(5.3)."""
    source = sum((y[k] - t[k]) * y[k] * (1 - y[k]) * u[j, k] for k in range(2)) * h[j] * (1 - h[j]) * x[i]
    assert vanishes_identically(sp.diff(L, w[i, j]) - source)


def test_output_weights_also_by_plain_simplify():
    """A cross-check without the substitution: simplify on the exponentials themselves."""
    for i in range(3):
        for j in range(2):
            assert sp.simplify(sp.diff(L, u[i, j]) - delta[j] * h[i]) == 0


# --- the 5 biases, Equation (7.1) ------------------------------------------------------------


@pytest.mark.parametrize("k", range(2))
def test_dL_db2_k_is_the_output_delta(k):
    assert vanishes_identically(sp.diff(L, b2[k]) - delta[k])


@pytest.mark.parametrize("j", range(3))
def test_dL_db1_j_is_the_hidden_delta(j):
    assert vanishes_identically(sp.diff(L, b1[j]) - hidden[j])


# --- the check can fail -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong",
    [
        delta[0] * h[1],  # the wrong hidden unit
        delta[0] * h[0] * 2,  # a stray factor 2 (forgetting the 1/2 of the loss)
        (y[0] - t[0]) * h[0],  # the sigmoid's slope y(1 - y) left out
    ],
)
def test_a_wrong_closed_form_for_u11_does_not_vanish(wrong):
    assert not vanishes_identically(sp.diff(L, u[0, 0]) - wrong)


def test_a_wrong_closed_form_for_w11_does_not_vanish():
    # the hidden slope h_1 (1 - h_1) dropped: exactly the factor a first derivation forgets
    wrong = sum(delta[k] * u[0, k] for k in range(2)) * x[0]
    assert not vanishes_identically(sp.diff(L, w[0, 0]) - wrong)


# --- sympy's numbers = backprop's numbers ------------------------------------------------------


PARAMS = [*w, *u, *b1, *b2]  # row by row, as numpy ravels
INPUTS = [*x, *t]
# every partial derivative, evaluated in 30-digit mpmath arithmetic
GRADIENT = sp.lambdify([PARAMS, INPUTS], [sp.diff(L, p) for p in PARAMS], modules="mpmath")


def _symbolic_gradients(weights, biases, xs, ts):
    """sympy's gradient at the float64 inputs (taken exactly) in the shapes backprop returns."""
    with mpmath.workdps(30):
        params = [mpmath.mpf(float(v)) for a in weights + biases for v in np.ravel(a)]
        g = [float(d) for d in GRADIENT(params, [mpmath.mpf(float(v)) for v in [*xs, *ts]])]
    return [np.array(g[0:6]).reshape(2, 3), np.array(g[6:12]).reshape(3, 2)], [np.array(g[12:15]), np.array(g[15:17])]


def test_symbolic_gradient_at_the_running_example_equals_backprop():
    ex = running_example()
    sym_w, sym_b = _symbolic_gradients(ex.weights, ex.biases, ex.x, ex.t)
    weight_grads, bias_grads = backprop(ex.weights, ex.biases, ex.x, ex.t)
    for ours, exact in zip(weight_grads + bias_grads, sym_w + sym_b):
        np.testing.assert_allclose(ours, exact, rtol=1e-12, atol=1e-15)
    assert relative_error(weight_grads + bias_grads, sym_w + sym_b) < 1e-12


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_symbolic_gradient_at_random_points_equals_backprop(seed):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(2, 3)), rng.normal(size=(3, 2))]
    biases = [rng.normal(size=3), rng.normal(size=2)]
    xs, ts = rng.normal(size=2), rng.uniform(size=2)
    sym_w, sym_b = _symbolic_gradients(weights, biases, xs, ts)
    weight_grads, bias_grads = backprop(weights, biases, xs, ts)
    assert relative_error(weight_grads + bias_grads, sym_w + sym_b) < 1e-12
    for ours, exact in zip(weight_grads + bias_grads, sym_w + sym_b):
        np.testing.assert_allclose(ours, exact, rtol=1e-10, atol=1e-15)
