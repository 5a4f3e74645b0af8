"""The reverse-mode engine (engine.py, Chapter 13) against independent references.

1. Every operation of ``Value``: its value and its gradient after ``backward`` against
   the ``autograd`` package (1e-12) and against central differences (1e-7, norm relative
   error as in test_gradients.py), with the number on either side of a binary operator.
2. Whole networks: ``reverse_mode_gradients`` equals ``backprop`` on random networks of
   all 12 combinations of hidden activation and (output, loss) pair, relative error
   below 1e-12, and equals central differences of the graph's own loss; the graph's loss
   equals the package's; ``adjoint_deltas`` equals the deltas ``backprop`` computes.
3. Bad input gets the same named error as ``backprop``; nothing mutates its arguments.
"""

from __future__ import annotations

import math

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as ag_grad
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from backprop_book import (
    Value,
    adjoint_deltas,
    backprop,
    forward,
    forward_mode_gradients,
    l2_loss,
    loss_value,
    network_graph,
    numerical_gradient,
    pre_activation,
    relative_error,
    reverse_mode_gradients,
    running_example,
)

AD_TOL = 1e-12  # autograd and backprop: the same arithmetic, up to rounding
FD_TOL = 1e-7  # central differences, float64
FLOOR = 1e-4  # smallest gradient norm central differences resolve to FD_TOL
HIDDEN = ["sigmoid", "tanh", "relu"]
PAIRS = [("sigmoid", "l2"), ("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"), ("identity", "l2")]
COMBINATIONS = [(h, o, l) for h in HIDDEN for o, l in PAIRS]


def ag_sigmoid(a):
    return 1.0 / (1.0 + anp.exp(-a))


# (name, on Values, on autograd.numpy, the strategy for (a, b))
floats = st.floats(-4, 4, allow_subnormal=False)
away_from_zero = floats.filter(lambda v: abs(v) > 0.1)
positive = st.floats(0.1, 5, allow_subnormal=False)
OPS = [
    ("a + b", lambda a, b: a + b, lambda a, b: a + b, st.tuples(floats, floats)),
    ("a - b", lambda a, b: a - b, lambda a, b: a - b, st.tuples(floats, floats)),
    ("-a", lambda a, b: -a, lambda a, b: -a, st.tuples(floats, floats)),
    ("a * b", lambda a, b: a * b, lambda a, b: a * b, st.tuples(floats, floats)),
    ("a / b", lambda a, b: a / b, lambda a, b: a / b, st.tuples(floats, away_from_zero)),
    ("a ** 2", lambda a, b: a**2, lambda a, b: a**2, st.tuples(floats, floats)),
    ("a ** 3", lambda a, b: a**3, lambda a, b: a**3, st.tuples(floats, floats)),
    ("a ** -1.5", lambda a, b: a**-1.5, lambda a, b: a**-1.5, st.tuples(positive, floats)),
    ("exp(a)", lambda a, b: a.exp(), lambda a, b: anp.exp(a), st.tuples(floats, floats)),
    ("log(a)", lambda a, b: a.log(), lambda a, b: anp.log(a), st.tuples(positive, floats)),
    ("sigmoid(a)", lambda a, b: a.sigmoid(), lambda a, b: ag_sigmoid(a), st.tuples(floats, floats)),
    ("tanh(a)", lambda a, b: a.tanh(), lambda a, b: anp.tanh(a), st.tuples(floats, floats)),
    ("relu(a)", lambda a, b: a.relu(), lambda a, b: anp.maximum(a, 0.0), st.tuples(away_from_zero, floats)),
]
IDS = [name for name, *_ in OPS]


@pytest.mark.parametrize("name, ours, reference, inputs", OPS, ids=IDS)
@given(data=st.data())
def test_every_operation_against_autograd(name, ours, reference, inputs, data):
    a0, b0 = data.draw(inputs)
    a, b = Value(a0, "a"), Value(b0, "b")
    c = ours(a, b)
    c.backward()
    assert c.data == pytest.approx(float(reference(a0, b0)), rel=1e-14, abs=1e-300)
    assert a.grad == pytest.approx(float(ag_grad(reference, 0)(a0, b0)), rel=AD_TOL, abs=1e-300)
    uses_b = "b" in name  # autograd warns about differentiating a function that ignores b
    expected_b = float(ag_grad(reference, 1)(a0, b0)) if uses_b else 0.0
    assert b.grad == pytest.approx(expected_b, rel=AD_TOL, abs=1e-300)


@pytest.mark.parametrize("name, ours, reference, inputs", OPS, ids=IDS)
@given(data=st.data())
def test_every_operation_against_finite_differences(name, ours, reference, inputs, data):
    a0, b0 = data.draw(inputs)
    a, b = Value(a0), Value(b0)
    c = ours(a, b)
    c.backward()
    numeric = numerical_gradient(lambda p: ours(Value(float(p[0])), Value(float(p[1]))).data,
                                 np.array([a0, b0]))
    assume(np.linalg.norm(numeric) > FLOOR)
    assert relative_error(np.array([a.grad, b.grad]), numeric) < FD_TOL


BINARY = [("+", lambda a, b: a + b), ("-", lambda a, b: a - b), ("*", lambda a, b: a * b),
          ("/", lambda a, b: a / b)]


@pytest.mark.parametrize("symbol, op", BINARY, ids=[s for s, _ in BINARY])
@pytest.mark.parametrize("a0, b0", [(1.5, -0.5), (-2.0, 3.0), (0.25, 4.0)])
def test_a_number_on_either_side_is_a_constant(symbol, op, a0, b0):
    a = Value(a0)
    left, right = op(a, b0), op(b0, a)  # Value (op) number, number (op) Value
    assert left.data == pytest.approx(op(a0, b0), rel=1e-15)
    assert right.data == pytest.approx(op(b0, a0), rel=1e-15)
    left.backward()
    assert a.grad == pytest.approx(float(ag_grad(op, 0)(a0, b0)), rel=AD_TOL)
    right.backward()
    assert a.grad == pytest.approx(float(ag_grad(op, 1)(b0, a0)), rel=AD_TOL)


@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(0.2, 3))
def test_a_composite_expression_against_autograd(a0, b0, c0):
    def ours(a, b, c):
        return ((a * b + c).sigmoid() - (a / c).tanh()) ** 2 + (b - a).relu() * c.log() + (-b).exp()

    def reference(a, b, c):
        return ((ag_sigmoid(a * b + c) - anp.tanh(a / c)) ** 2 + anp.maximum(b - a, 0.0) * anp.log(c)
                + anp.exp(-b))

    assume(abs(b0 - a0) > 1e-3)  # off the relu's kink
    a, b, c = Value(a0), Value(b0), Value(c0)
    out = ours(a, b, c)
    out.backward()
    assert out.data == pytest.approx(float(reference(a0, b0, c0)), rel=1e-13)
    expected = [float(ag_grad(reference, i)(a0, b0, c0)) for i in range(3)]
    assert relative_error(np.array([a.grad, b.grad, c.grad]), np.array(expected)) < AD_TOL


# --------------------------------------------------------------------------- the sweep


def test_a_node_used_twice_adds_its_two_gradients():
    x = Value(3.0)
    y = x * x  # dy/dx = x + x: one local derivative per use
    y.backward()
    assert x.grad == 6.0
    z = x * 2.0 + x.exp() * x  # three uses of x
    z.backward()
    assert x.grad == pytest.approx(2 + math.exp(3) * 4, rel=1e-15)


def test_backward_twice_gives_the_same_gradients():
    ex = running_example()
    g = network_graph(ex.weights, ex.biases, ex.x, ex.t)
    g.loss.backward()
    first = [v.grad for row in g.weights[0] for v in row]
    g.loss.backward()
    assert [v.grad for row in g.weights[0] for v in row] == first


def test_the_topological_order_puts_every_node_after_its_parents():
    ex = running_example()
    order = network_graph(ex.weights, ex.biases, ex.x, ex.t).loss.topological_order()
    position = {id(v): i for i, v in enumerate(order)}
    assert len(position) == len(order), "a node appears twice"
    assert all(position[id(p)] < position[id(v)] for v in order for p in v.parents)
    assert order[-1].op == "*"  # the 1/2 of the L2 loss is the last node


def test_a_deep_chain_needs_no_recursion():
    x = Value(0.5)
    y = x
    for _ in range(5000):  # deeper than Python's recursion limit
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0


def test_the_graph_records_parents_and_local_derivatives():
    a, b = Value(2.0, "a"), Value(5.0, "b")
    c = a * b
    assert c.parents == (a, b) and c.local == (5.0, 2.0) and c.op == "*"
    assert a.parents == () and a.local == () and a.op == "" and a.label == "a"
    assert "a: data=2" in repr(a)


# ------------------------------------------------------------------------ whole networks

widths = st.integers(1, 4)
batches = st.one_of(st.none(), st.integers(1, 3))


def values(shape, low, high):
    return hnp.arrays(np.float64, shape, elements=st.floats(low, high, allow_subnormal=False), fill=st.nothing())


def rows(n, d):
    return (d,) if n is None else (n, d)


@st.composite
def networks(draw, output="sigmoid"):
    """(weights, biases, x, t): 1 to 3 weight layers and targets the output accepts."""
    depth = draw(st.integers(1, 3))
    sizes = draw(st.lists(widths, min_size=depth + 1, max_size=depth + 1))
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    n = draw(batches)
    weights = [draw(values((m, k), -1.5, 1.5)) for m, k in zip(sizes, sizes[1:])]
    biases = [draw(values((k,), -1, 1)) for k in sizes[1:]]
    x = draw(values(rows(n, sizes[0]), -2, 2))
    t = draw(values(rows(n, sizes[-1]), 0.01 if output == "softmax" else 0, 1))
    if output == "softmax":
        t = t / t.sum(axis=-1, keepdims=True)  # each row a probability distribution
    return weights, biases, x, t


def norm(arrays):
    return float(np.sqrt(sum(np.sum(np.asarray(a) ** 2) for a in arrays)))


def book_loss(weights, biases, x, t, hidden, output, loss):
    """The package's loss of the network, from its forward pass (independent of the engine)."""
    activations = forward(weights, biases, x, hidden=hidden, output=output)
    if (output, loss) == ("sigmoid", "l2"):
        return float(l2_loss(activations[-1], t))
    a = pre_activation(activations[-2], weights[-1], biases[-1])
    return float(loss_value(a, t, output=output, loss=loss))


@pytest.mark.parametrize("hidden, output, loss", COMBINATIONS)
@given(data=st.data())
def test_engine_equals_backprop_on_random_networks(hidden, output, loss, data):
    weights, biases, x, t = data.draw(networks(output))
    kw = dict(hidden=hidden, output=output, loss=loss)
    wg, bg = reverse_mode_gradients(weights, biases, x, t, **kw)
    ref_w, ref_b = backprop(weights, biases, x, t, **kw)
    assert [g.shape for g in wg + bg] == [g.shape for g in ref_w + ref_b]
    assert all(g.dtype == np.float64 for g in wg + bg)
    assume(norm(ref_w + ref_b) > 1e-8)  # a relative error needs something to be relative to
    assert relative_error(wg + bg, ref_w + ref_b) < AD_TOL


@pytest.mark.parametrize("hidden, output, loss", COMBINATIONS)
@given(data=st.data())
def test_the_graphs_loss_is_the_books_loss(hidden, output, loss, data):
    weights, biases, x, t = data.draw(networks(output))
    kw = dict(hidden=hidden, output=output, loss=loss)
    ours = network_graph(weights, biases, x, t, **kw).loss.data
    assert ours == pytest.approx(book_loss(weights, biases, x, t, **kw), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("hidden, output, loss", COMBINATIONS)
def test_engine_equals_finite_differences(hidden, output, loss):
    rng = np.random.default_rng(13)
    sizes = [3, 4, 2]
    weights = [rng.normal(0, 1, (m, n)) for m, n in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.5, n) for n in sizes[1:]]
    x = rng.normal(size=(2, 3))
    t = rng.dirichlet(np.ones(2), size=2) if output == "softmax" else rng.uniform(size=(2, 2))
    kw = dict(hidden=hidden, output=output, loss=loss)
    wg, bg = reverse_mode_gradients(weights, biases, x, t, **kw)
    params = weights + biases
    numeric = []
    for i, p in enumerate(params):
        def loss_of(q, i=i):
            trial = params[:i] + [q] + params[i + 1:]
            return network_graph(trial[:2], trial[2:], x, t, **kw).loss.data

        numeric.append(numerical_gradient(loss_of, p))
    assert relative_error(wg + bg, numeric) < FD_TOL


@pytest.mark.parametrize("hidden, output, loss", COMBINATIONS)
@given(data=st.data())
def test_adjoints_of_pre_activations_are_backprops_deltas(hidden, output, loss, data):
    weights, biases, x, t = data.draw(networks(output))
    kw = dict(hidden=hidden, output=output, loss=loss)
    deltas = adjoint_deltas(weights, biases, x, t, **kw)
    assert [d.shape for d in deltas] == [(*np.shape(x)[:-1], len(b)) for b in biases]
    samples = [(x, t)] if x.ndim == 1 else list(zip(x, t))
    for s, (x_s, t_s) in enumerate(samples):  # one sample alone: its bias gradients are its deltas
        _, bias_grads = backprop(weights, biases, x_s, t_s, **kw)
        ours = [d if x.ndim == 1 else d[s] for d in deltas]
        for mine, theirs in zip(ours, bias_grads):
            np.testing.assert_allclose(mine, theirs, rtol=1e-11, atol=1e-15)


def test_running_example_values():
    ex = running_example()
    wg, bg = reverse_mode_gradients(ex.weights, ex.biases, ex.x, ex.t)
    np.testing.assert_allclose(bg[1], [-0.0982666, 0.13175279], rtol=1e-6)
    delta1, delta2 = adjoint_deltas(ex.weights, ex.biases, ex.x, ex.t)
    np.testing.assert_array_equal(delta2, bg[1])  # one sample: delta^(2) is dL/db^(2)
    np.testing.assert_array_equal(delta1, bg[0])
    g = network_graph(ex.weights, ex.biases, ex.x, ex.t)
    ops = [v.op for v in g.loss.topological_order() if v.op]
    # 2-3-2: 6 + 6 products, 2 * 3 + 3 * 2 sums, 5 sigmoids, 2 differences, 2 squares,
    # 1 sum of the squares and the 1/2
    assert {op: ops.count(op) for op in set(ops)} == {"*": 13, "+": 13, "σ": 5, "-": 2, "^2": 2}


# ----------------------------------------------------------------- errors and mutation

# every public entry point that takes a network, forward mode (test_dual.py) included
TAKES_A_NETWORK = [network_graph, reverse_mode_gradients, adjoint_deltas, forward_mode_gradients]

BAD = [
    (dict(hidden="softplus"), "hidden='softplus' is not a valid choice"),
    (dict(output="softmax", loss="l2"), "is not supported"),
    (dict(loss="hinge"), "loss='hinge' is not a valid choice"),
]


@pytest.mark.parametrize("fn", TAKES_A_NETWORK, ids=lambda f: f.__name__)
@pytest.mark.parametrize("kw, phrase", BAD)
def test_bad_names_get_backprops_message(fn, kw, phrase):
    ex = running_example()
    with pytest.raises(ValueError) as theirs:
        backprop(ex.weights, ex.biases, ex.x, ex.t, **kw)
    with pytest.raises(ValueError) as ours:
        fn(ex.weights, ex.biases, ex.x, ex.t, **kw)
    assert str(ours.value) == str(theirs.value) and phrase in str(ours.value)


def _bad_arguments():
    ex = running_example()
    w, u = ex.weights
    b1, b2 = ex.biases
    return [
        ("x has the wrong width", ([w, u], [b1, b2], np.ones(3), ex.t), {}, "x has shape (3,)"),
        ("t has the wrong shape", ([w, u], [b1, b2], ex.x, np.ones(3)), {}, "t has shape (3,)"),
        ("layers do not chain", ([w, w], [b1, b1], ex.x, np.ones(3)), {}, "weights[1] has shape (2, 3)"),
        ("a bias of the wrong length", ([w, u], [b2, b2], ex.x, ex.t), {}, "biases[0] has shape (2,)"),
        ("NaN in the input", ([w, u], [b1, b2], np.array([np.nan, 1.0]), ex.t), {}, "x contains NaN"),
        ("weights not a list", (w, [b1, b2], ex.x, ex.t), {}, "weights and biases must be lists"),
        ("targets outside [0, 1]", ([w, u], [b1, b2], ex.x, np.array([2.0, 0.0])),
         dict(loss="cross_entropy"), "t must hold probabilities"),
        ("targets not a distribution", ([w, u], [b1, b2], ex.x, np.array([1.0, 1.0])),
         dict(output="softmax", loss="cross_entropy"), "t must hold probability distributions"),
    ]


@pytest.mark.parametrize("fn", TAKES_A_NETWORK, ids=lambda f: f.__name__)
@pytest.mark.parametrize("label, args, kw, phrase", _bad_arguments(), ids=[b[0] for b in _bad_arguments()])
def test_bad_arguments_get_backprops_named_error(fn, label, args, kw, phrase):
    with pytest.raises((ValueError, TypeError)) as theirs:
        backprop(*args, **kw)
    with pytest.raises(type(theirs.value)) as ours:
        fn(*args, **kw)
    assert str(ours.value) == str(theirs.value)
    assert phrase in str(ours.value)


@pytest.mark.parametrize("make, error, phrase", [
    (lambda: Value("1.5"), TypeError, "data must be a real number, got str"),
    (lambda: Value(True), TypeError, "data must be a real number, got bool"),
    (lambda: Value(np.array([1.0, 2.0])), TypeError, "data must be a real number, got ndarray"),
    (lambda: Value(2.0) ** Value(3.0), TypeError, "the exponent p must be a real number, got Value"),
    (lambda: Value(-1.0).log(), ValueError, "log needs a positive Value, got -1"),
    (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "division by a Value that is 0"),
    (lambda: Value(1.0) + "2", TypeError, "unsupported operand type"),
    (lambda: [1.0] * Value(1.0), TypeError, "can't multiply sequence"),
])
def test_bad_values_get_named_errors(make, error, phrase):
    with pytest.raises(error, match=phrase):
        make()


@pytest.mark.parametrize("fn", TAKES_A_NETWORK, ids=lambda f: f.__name__)
def test_nothing_mutates_its_arguments(fn):
    rng = np.random.default_rng(3)
    weights = [rng.normal(size=(2, 3)), rng.normal(size=(3, 2))]
    biases = [rng.normal(size=3), rng.normal(size=2)]
    x, t = rng.normal(size=(4, 2)), rng.uniform(size=(4, 2))
    before = [a.copy() for a in weights + biases + [x, t]]
    fn(weights, biases, x, t)
    assert all(np.array_equal(a, b) for a, b in zip(weights + biases + [x, t], before))


def test_lists_are_accepted_like_backprop_accepts_them():
    ex = running_example()
    as_lists = [w.tolist() for w in ex.weights], [b.tolist() for b in ex.biases], ex.x.tolist(), ex.t.tolist()
    wg, bg = reverse_mode_gradients(*as_lists)
    ref_w, ref_b = backprop(ex.weights, ex.biases, ex.x, ex.t)
    assert relative_error(wg + bg, ref_w + ref_b) < AD_TOL
