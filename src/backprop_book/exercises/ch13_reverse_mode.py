r"""Chapter 13, backprop as reverse-mode differentiation: checkers for the engine's pieces."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..engine import Value, adjoint_deltas, network_graph
from ..gradcheck import numerical_gradient
from ..hidden_layer import hidden_delta
from ..network import forward
from ..output_layer import output_delta
from .runner import Case, Verdict, random_network, run, running, seeded

# ------------------------------------------------------------------ a new operation


def _node(fn: Callable, a: float) -> np.ndarray:
    """``[z, dL/da]`` for ``z = fn(a)`` and ``L = z * z + z``: the node's value and its rule at work."""
    leaf = Value(float(a), "a")
    z = fn(leaf)
    if not isinstance(z, Value):
        raise TypeError(f"the function must return a Value node, got {type(z).__name__}")
    L = z * z + z  # z is used twice: its rule must serve both uses
    L.backward()
    return np.array([z.data, leaf.grad])


def _wrong_tanh(local: Callable[[float, float], float]) -> Callable:
    def node(a: Value) -> Value:
        c = math.tanh(a.data)
        return Value(c, parents=(a,), local=(local(a.data, c),), op="tanh")

    return node


def check_tanh_node(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(a)``, a new engine operation: the ``tanh`` node of ``a``, Equation (13.10).

    ``fn`` takes a ``Value`` and returns a new ``Value`` that records its parent
    and its local derivative $1 - \tanh^2 a$. The checker uses the node in
    $L = z^2 + z$ with $z = $ ``fn(a)``, runs ``backward``, and compares $z$ and
    $\partial L / \partial a$ with the book's ``Value.tanh`` and with central
    differences.
    """
    rng = seeded(seed)
    values = [("a = 0, where the slope is 1", 0.0), ("a = 0.5", 0.5),
              ("a random a", float(rng.normal())), ("a = -3, nearly saturated", -3.0)]
    cases = []
    for label, a in values:
        def L(v):
            return math.tanh(v) ** 2 + math.tanh(v)

        numeric = np.array([math.tanh(a), float(numerical_gradient(lambda p: L(float(p[0])), np.array([a]))[0])])
        cases.append(Case(label, (a,), ("a",), _node(lambda v: v.tanh(), a), numeric))
    hints = [
        (lambda a: _node(_wrong_tanh(lambda a, c: 1 - a * a), a),
         "the slope is 1 - c^2 with c = tanh(a), the node's output, not 1 - a^2 (13.10)"),
        (lambda a: _node(_wrong_tanh(lambda a, c: c * (1 - c)), a), "c(1 - c) is the sigmoid's slope (13.9); "
         "tanh's is 1 - c^2 (13.10)"),
        (lambda a: _node(_wrong_tanh(lambda a, c: 1.0), a), "the local derivative is missing: 1 is the rule of "
         "a sum, not of tanh"),
    ]
    wrapped = (lambda a: _node(fn, a)) if callable(fn) else fn
    return run("check_tanh_node", wrapped, cases, reference="Value.tanh", hints=hints, out=out)


# ------------------------------------------------------------------- the sweep itself


def _x_times_x(v):
    x = Value(v[0], "x")
    return x * x, [x]


def _chain(v):
    a, b = Value(v[0], "a"), Value(v[1], "b")
    return ((2.0 * a).sigmoid() * b).tanh(), [a, b]


def _diamond(v):
    a, b = Value(v[0], "a"), Value(v[1], "b")
    c = a * b  # used twice
    return c + (c / 2.0).exp() - b, [a, b]


def _running_example_loss(v):
    """The running example's loss as a graph of its 17 weights and biases, given flat."""
    ex, *_ = running()
    params = ex.weights + ex.biases
    parts = np.split(np.asarray(v, dtype=float), np.cumsum([p.size for p in params])[:-1])
    arrays = [part.reshape(p.shape) for part, p in zip(parts, params)]
    g = network_graph(arrays[:2], arrays[2:], ex.x, ex.t)
    return g.loss, [w for layer in g.weights for row in layer for w in row] + [b for layer in g.biases for b in layer]


def _gradients(fn: Callable, build: Callable, values: np.ndarray) -> np.ndarray:
    root, leaves = build(values)
    fn(root)
    return np.array([v.grad for v in leaves])


def _assigning(root: Value) -> None:  # a common slip: = instead of +=
    order = root.topological_order()
    root.grad = 1.0
    for v in reversed(order):
        for p, d in zip(v.parents, v.local):
            p.grad = v.grad * d


def _forwards(root: Value) -> None:  # the nodes visited in the wrong order
    root.grad = 1.0
    for v in root.topological_order():
        for p, d in zip(v.parents, v.local):
            p.grad += v.grad * d


def check_backward(fn: Callable, *, seed: int = 0, out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(root)``, the backward sweep: it must set every node's ``grad``, Equation (13.1).

    ``fn`` receives the root ``Value`` of a fresh graph (all grads 0) and
    returns nothing; afterwards every leaf's ``grad`` must be the derivative of
    the root with respect to it. The graphs use nodes more than once (``x * x``,
    a shared product, $h_j$ feeding both outputs of the running example), so
    each use must add its term. Compared with ``Value.backward`` and with
    central differences.
    """
    rng = seeded(seed)
    ex, *_ = running()
    params = np.concatenate([w.ravel() for w in ex.weights] + [b.ravel() for b in ex.biases])
    items = [("x * x: one node used twice", "x * x", _x_times_x, np.array([3.0])),
             ("a chain", "tanh(sigmoid(2 a) b), leaves a, b", _chain, rng.normal(size=2)),
             ("a product used twice", "c + exp(c / 2) - b with c = a b, leaves a, b", _diamond,
              rng.normal(size=2)),
             ("the running example's loss", "L of (13.12), leaves: w, u, b1, b2 flattened",
              _running_example_loss, params)]
    cases = []
    for label, shown, build, values in items:
        numeric = numerical_gradient(lambda v, build=build: build(v)[0].data, values)
        expected = _gradients(lambda root: root.backward(), build, values)
        cases.append(Case(label, (build, values), ("graph", "leaves"), expected, numeric, {"graph": shown}))
    hints = [
        (lambda build, v: _gradients(_assigning, build, v), "a node used twice gets one term per use: add "
         "into p.grad (+=), do not assign"),
        (lambda build, v: _gradients(_forwards, build, v), "visit the nodes in reverse topological order, "
         "from the root to the leaves"),
        (lambda build, v: np.zeros(len(v)), "nothing reached the leaves: start the sweep with "
         "root.grad = 1"),
    ]
    wrapped = (lambda build, values: _gradients(fn, build, values)) if callable(fn) else fn
    return run("check_backward", wrapped, cases, reference="Value.backward", hints=hints, out=out)


# ------------------------------------------------------------- a delta, off the graph


def _book_deltas(weights: list, biases: list, x: np.ndarray, t: np.ndarray) -> list:
    """Equations (4.4) and (6.1), layer by layer: the hand derivation's deltas."""
    activations = forward(weights, biases, x)
    deltas = [output_delta(activations[-1], t)]
    for l in range(len(weights) - 1, 0, -1):
        deltas.insert(0, hidden_delta(deltas[0], weights[l], activations[l]))
    return deltas


def _activation_adjoints(weights, biases, x, t):
    g = network_graph(weights, biases, x, t)
    g.loss.backward()
    grads = [np.array([[v.grad for v in row] for row in layer]) for layer in g.activations[1:]]
    return grads if np.ndim(x) == 2 else [d[0] for d in grads]


def check_deltas_from_graph(fn: Callable, *, seed: int = 0,
                            out: Callable[[str], Any] | None = print) -> Verdict:
    r"""Check ``fn(weights, biases, x, t)``: every layer's delta, read off the loss graph, Equation (13.14).

    Returns a list with $\boldsymbol{\delta}^{(l)}$ for $l = 1, \dots, D$, each of
    shape ``(n_l,)`` for one sample or ``(N, n_l)`` for a batch. Compared with the
    hand derivation's deltas, Equations (4.4) and (6.1) (sigmoid units, L2 loss).
    """
    rng = seeded(seed)
    ex, *_ = running()
    w3, b3 = random_network(rng, [2, 4, 3, 2])
    w2, b2 = random_network(rng, [3, 4, 2])
    items = [("the running example", ex.weights, ex.biases, ex.x, ex.t),
             ("three layers, one sample", w3, b3, rng.normal(size=2), rng.uniform(size=2)),
             ("a batch of 3 samples", w2, b2, rng.normal(size=(3, 3)), rng.uniform(size=(3, 2)))]
    cases = [Case(label, (w, b, x, t), ("weights", "biases", "x", "t"), _book_deltas(w, b, x, t))
             for label, w, b, x, t in items]
    hints = [
        (_activation_adjoints, "these are the adjoints of the activations h; delta is "
         "the adjoint of a (13.14)"),
        (lambda w, b, x, t: adjoint_deltas(w, b, x, t)[::-1], "the list runs from the first layer to the "
         "output layer: reverse it"),
    ]
    return run("check_deltas_from_graph", fn, cases, reference="output_delta and hidden_delta", hints=hints,
               out=out)
