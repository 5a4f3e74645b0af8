r"""A reverse-mode automatic differentiation engine on scalars (Chapter 13).

A :class:`Value` holds one number, the values it was computed from (its
parents) and the local derivative of itself with respect to each parent.
Every operation below adds one node to that graph and knows one rule, its
local derivative. :meth:`Value.backward` then walks the graph once, from the
output back to the leaves, and applies the chain rule (13.1) at every node:
one sweep gives the derivative of the output with respect to every leaf.

This is micrograd's design (Karpathy), with the local derivatives stored as
numbers instead of closures. ``network_graph`` builds the loss of a whole
network out of such nodes; ``reverse_mode_gradients`` and ``adjoint_deltas``
read the gradients and the deltas of ``backprop`` off that one graph.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, NamedTuple

import numpy as np

from . import _scalars


def _number(name: str, value: Any) -> float:
    """``value`` as a float, or ``TypeError`` naming the argument."""
    if type(value) is float:  # what the operations pass: no check needed
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r:.40}")
    return float(value)


class Value:
    r"""A number that remembers how it was computed, for reverse-mode differentiation.

    Each operation returns a new node that records its parents and the local
    derivative $\partial c / \partial p$ of its result $c$ with respect to
    each parent $p$, one rule per operation: sum, Equation (13.2); difference
    and negation, Equation (13.3); product, Equation (13.4); quotient,
    Equation (13.5); power, Equation (13.6); ``exp``, Equation (13.7);
    ``log``, Equation (13.8); ``sigmoid``, Equation (13.9); ``tanh``,
    Equation (13.10); ``relu``, Equation (13.11). ``backward`` applies the
    chain rule of Equation (13.1) once per edge of the graph.

    Parameters
    ----------
    data : float
        The number.
    label : str, optional
        A name for pictures and messages, e.g. ``"w11"``.

    Attributes
    ----------
    data : float
        The value computed in the forward pass.
    grad : float
        $\bar v = \partial L / \partial v$ after ``L.backward()``, else 0.
    parents : tuple of Value
        The nodes this one was computed from (none for a leaf).
    local : tuple of float
        $\partial v / \partial p$ for each parent $p$, in the same order.
    op : str
        The operation that made the node (``""`` for a leaf).

    Examples
    --------
    >>> a, b = Value(2.0, "a"), Value(-3.0, "b")
    >>> c = a * b + a
    >>> c.backward()
    >>> c.data, a.grad, b.grad  # dc/da = b + 1, dc/db = a
    (-4.0, -2.0, 2.0)
    """

    __slots__ = ("data", "grad", "parents", "local", "op", "label")

    def __init__(
        self, data: Any, label: str = "", *, parents: tuple = (), local: tuple = (), op: str = ""
    ) -> None:
        self.data = _number("data", data)
        self.grad = 0.0
        self.parents, self.local = tuple(parents), tuple(local)
        self.op, self.label = op, str(label)

    def __repr__(self) -> str:
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # ---------------------------------------------------------------- arithmetic

    def __add__(self, other: Any) -> Value:
        r"""The sum of two nodes; each parent passes the adjoint on unchanged.

        $$ c = a + b, \qquad \frac{\partial c}{\partial a} = 1, \quad
           \frac{\partial c}{\partial b} = 1 $$

        Equation (13.2).

        Examples
        --------
        >>> c = Value(2.0) + 3.0
        >>> c.data, c.local
        (5.0, (1.0, 1.0))
        """
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return Value(self.data + other.data, parents=(self, other), local=(1.0, 1.0), op="+")

    def __radd__(self, other: Any) -> Value:
        return self + other

    def __sub__(self, other: Any) -> Value:
        r"""The difference of two nodes: the second parent gets the adjoint with its sign flipped.

        $$ c = a - b, \qquad \frac{\partial c}{\partial a} = 1, \quad
           \frac{\partial c}{\partial b} = -1; \qquad
           c = -a, \qquad \frac{\partial c}{\partial a} = -1 $$

        Equation (13.3), with negation.

        Examples
        --------
        >>> c = Value(2.0) - 3.0
        >>> c.data, c.local
        (-1.0, (1.0, -1.0))
        """
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return Value(self.data - other.data, parents=(self, other), local=(1.0, -1.0), op="-")

    def __rsub__(self, other: Any) -> Value:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return other - self

    def __neg__(self) -> Value:
        """Negation, Equation (13.3): local derivative -1."""
        return Value(-self.data, parents=(self,), local=(-1.0,), op="neg")

    def __mul__(self, other: Any) -> Value:
        r"""The product of two nodes: each parent's local derivative is the other factor.

        $$ c = a b, \qquad \frac{\partial c}{\partial a} = b, \quad
           \frac{\partial c}{\partial b} = a $$

        Equation (13.4).

        Examples
        --------
        >>> c = Value(2.0) * 3.0
        >>> c.data, c.local
        (6.0, (3.0, 2.0))
        """
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return Value(
            self.data * other.data, parents=(self, other), local=(other.data, self.data), op="*"
        )

    def __rmul__(self, other: Any) -> Value:
        return self * other

    def __truediv__(self, other: Any) -> Value:
        r"""The quotient of two nodes.

        $$ c = \frac{a}{b}, \qquad \frac{\partial c}{\partial a} = \frac{1}{b}, \quad
           \frac{\partial c}{\partial b} = -\frac{a}{b^2} $$

        Equation (13.5). Division by zero raises ``ZeroDivisionError``.

        Examples
        --------
        >>> c = Value(1.0) / 4.0
        >>> c.data, c.local
        (0.25, (0.25, -0.0625))
        """
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        a, b = self.data, other.data
        if b == 0:
            raise ZeroDivisionError(f"division by a Value that is 0 (dividend {a:.6g})")
        return Value(a / b, parents=(self, other), local=(1 / b, -a / (b * b)), op="/")

    def __rtruediv__(self, other: Any) -> Value:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return other / self

    def __pow__(self, p: Any) -> Value:
        r"""A node raised to a constant power.

        $$ c = a^p, \qquad \frac{\partial c}{\partial a} = p\, a^{p-1} $$

        Equation (13.6). The exponent ``p`` is a number, not a node: the
        square of the L2 loss is ``(y - t) ** 2``.

        Examples
        --------
        >>> c = Value(3.0) ** 2
        >>> c.data, c.local
        (9.0, (6.0,))
        """
        p = _number("the exponent p", p)
        return Value(self.data**p, parents=(self,), local=(p * self.data ** (p - 1),), op=f"^{p:g}")

    # ---------------------------------------------------------------- functions

    def exp(self) -> Value:
        r"""The exponential: its slope is itself.

        $$ c = e^{a}, \qquad \frac{\partial c}{\partial a} = e^{a} = c $$

        Equation (13.7).

        Examples
        --------
        >>> c = Value(0.0).exp()
        >>> c.data, c.local
        (1.0, (1.0,))
        """
        c = math.exp(self.data)
        return Value(c, parents=(self,), local=(c,), op="exp")

    def log(self) -> Value:
        r"""The natural logarithm, of a positive node.

        $$ c = \log a, \qquad \frac{\partial c}{\partial a} = \frac{1}{a} $$

        Equation (13.8). A node that is not positive raises ``ValueError``.

        Examples
        --------
        >>> c = Value(2.0).log()
        >>> round(c.data, 4), c.local
        (0.6931, (0.5,))
        """
        if self.data <= 0:
            raise ValueError(f"log needs a positive Value, got {self.data:.6g}")
        return Value(math.log(self.data), parents=(self,), local=(1 / self.data,), op="log")

    def sigmoid(self) -> Value:
        r"""The logistic sigmoid, with the slope of Equation (3.3).

        $$ c = \sigma(a) = \frac{1}{1 + e^{-a}}, \qquad
           \frac{\partial c}{\partial a} = \sigma(a)\bigl(1 - \sigma(a)\bigr) = c(1 - c) $$

        Equation (13.9). Computed without overflow for large $|a|$.

        Examples
        --------
        >>> c = Value(0.0).sigmoid()
        >>> c.data, c.local
        (0.5, (0.25,))
        """
        a = self.data
        c = 1 / (1 + math.exp(-a)) if a >= 0 else math.exp(a) / (1 + math.exp(a))
        return Value(c, parents=(self,), local=(c * (1 - c),), op="σ")

    def tanh(self) -> Value:
        r"""The hyperbolic tangent, with the slope of Equation (11.2).

        $$ c = \tanh a, \qquad \frac{\partial c}{\partial a} = 1 - \tanh^2 a = 1 - c^2 $$

        Equation (13.10).

        Examples
        --------
        >>> c = Value(0.0).tanh()
        >>> c.data, c.local
        (0.0, (1.0,))
        """
        c = math.tanh(self.data)
        return Value(c, parents=(self,), local=(1 - c * c,), op="tanh")

    def relu(self) -> Value:
        r"""The rectified linear unit, with the slope of Equation (11.4) (0 at the kink).

        $$ c = \max(0, a), \qquad \frac{\partial c}{\partial a} = [a > 0] $$

        Equation (13.11).

        Examples
        --------
        >>> Value(-2.0).relu().local, Value(0.0).relu().local, Value(3.0).relu().local
        ((0.0,), (0.0,), (1.0,))
        """
        a = self.data
        return Value(max(a, 0.0), parents=(self,), local=(1.0 if a > 0 else 0.0,), op="relu")

    # ---------------------------------------------------------------- the backward sweep

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each after all of its parents; this node last.

        Examples
        --------
        >>> a = Value(1.0, "a"); b = a * a; c = b + a
        >>> [v.op or v.label for v in c.topological_order()]
        ['a', '*', '+']
        """
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # depth first, without recursion: deep graphs are fine
            v, parents_done = stack.pop()
            if parents_done:
                order.append(v)
            elif id(v) not in seen:
                seen.add(id(v))
                stack.append((v, True))
                stack.extend((p, False) for p in v.parents if id(p) not in seen)
        return order

    def backward(self) -> None:
        r"""Set every node's ``grad`` to the derivative of this node with respect to it.

        $$ \bar{L} = 1, \qquad \bar{v} = \sum_{c \,:\, v \to c} \bar{c}\,
           \frac{\partial c}{\partial v} $$

        Equation (13.1), the chain rule: a node's adjoint $\bar v = \partial L / \partial v$
        is the sum, over the nodes $c$ that use it, of their adjoint times the
        local derivative. Visiting the nodes in reverse topological order means
        every $\bar c$ is complete before it is passed on. The grads are reset
        first, so calling it twice gives the same answer.

        Examples
        --------
        >>> x = Value(3.0, "x")
        >>> y = x * x  # x is used twice: both uses add to its gradient
        >>> y.backward()
        >>> x.grad
        6.0
        """
        order = self.topological_order()
        for v in order:
            v.grad = 0.0
        self.grad = 1.0  # dL/dL
        for v in reversed(order):
            for p, d in zip(v.parents, v.local):
                p.grad += v.grad * d  # bar p += bar v * dv/dp


def _lift(other: Any) -> Any:
    """A Value, or a number turned into a constant leaf, or NotImplemented."""
    if isinstance(other, Value):
        return other
    if type(other) is float or isinstance(other, numbers.Real) and not isinstance(other, bool):
        return Value(float(other))
    return NotImplemented


# -------------------------------------------------------------------- whole networks


class NetworkGraph(NamedTuple):
    """The nodes of a network's loss graph, shaped like the arrays they stand for.

    ``weights[l][i][j]`` is the leaf of ``weights[l][i, j]``; ``pre_activations[l]``
    and ``activations[l]`` are lists of rows (one per sample) of nodes for layer
    $l + 1$; ``x`` and ``t`` are rows of leaves too.
    """

    loss: Value
    weights: list
    biases: list
    x: list
    t: list
    pre_activations: list
    activations: list


def network_graph(
    weights: list[Any],
    biases: list[Any],
    x: Any,
    t: Any,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "l2",
) -> NetworkGraph:
    r"""Build the loss of a network as a graph of scalar ``Value`` nodes.

    $$ L = \frac12 \sum_k \Bigl(\sigma\Bigl(\sum_j \sigma\Bigl(\sum_i x_i w_{ij}
       + b^{(1)}_j\Bigr) u_{jk} + b^{(2)}_k\Bigr) - t_k\Bigr)^2 $$

    Equation (13.12) for the running example: every product, sum, sigmoid,
    difference and square of the loss is one node. Any depth, batch and
    supported ``hidden``, ``output`` and ``loss`` (as for ``backprop``): a
    batch's loss is the sum of its samples' losses; the cross-entropies are
    built from ``exp`` and ``log`` in their overflow-free forms.

    Parameters
    ----------
    weights, biases, x, t, hidden, output, loss
        As for ``backprop``.

    Returns
    -------
    NetworkGraph
        ``loss`` (the root node) and the leaves and layer nodes, with their
        forward values in ``.data``. Nothing is differentiated yet.

    Examples
    --------
    >>> from backprop_book import running_example, l2_loss, forward
    >>> ex = running_example()
    >>> g = network_graph(ex.weights, ex.biases, ex.x, ex.t)
    >>> round(g.loss.data, 6), round(float(l2_loss(forward(ex.weights, ex.biases, ex.x)[-1], ex.t)), 6)
    (0.222666, 0.222666)
    >>> len(g.loss.topological_order())  # nodes of the running example's loss
    57
    """
    W, B, X, T = _scalars.checked(weights, biases, x, t, hidden, output, loss)
    leaves = _scalars.leaves(Value, W, B, X, T)
    root, A, H = _scalars.network_loss(*leaves, hidden=hidden, output=output, loss=loss)
    return NetworkGraph(root, *leaves, A, H)


def reverse_mode_gradients(
    weights: list[Any],
    biases: list[Any],
    x: Any,
    t: Any,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "l2",
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    r"""Every weight and bias gradient, read off the loss graph after one backward sweep.

    $$ \frac{\partial L}{\partial w^{(l)}_{ij}} = \bar{w}^{(l)}_{ij}, \qquad
       \frac{\partial L}{\partial b^{(l)}_j} = \bar{b}^{(l)}_j $$

    Equation (13.13): build the graph (13.12), call ``backward`` once
    (13.1), and every parameter's adjoint is its gradient. The same numbers
    as ``backprop``, computed without any of the book's derived formulas.

    Parameters
    ----------
    weights, biases, x, t, hidden, output, loss
        As for ``backprop``.

    Returns
    -------
    (weight_grads, bias_grads)
        Lists of float64 arrays shaped like ``weights`` and ``biases``.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_book import running_example, backprop, relative_error
    >>> ex = running_example()
    >>> weight_grads, bias_grads = reverse_mode_gradients(ex.weights, ex.biases, ex.x, ex.t)
    >>> weight_grads[0].round(4)
    array([[-0.0265,  0.0188,  0.0189],
           [-0.0132,  0.0094,  0.0095]])
    >>> relative_error(weight_grads + bias_grads,
    ...                sum(backprop(ex.weights, ex.biases, ex.x, ex.t), [])) < 1e-12
    True
    """
    g = network_graph(weights, biases, x, t, hidden=hidden, output=output, loss=loss)
    g.loss.backward()
    return _scalars.grads(g.weights), _scalars.grads(g.biases)


def adjoint_deltas(
    weights: list[Any],
    biases: list[Any],
    x: Any,
    t: Any,
    *,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "l2",
) -> list[np.ndarray]:
    r"""The deltas of every layer, read off the graph: each is the adjoint of a pre-activation.

    $$ \delta^{(l)}_j = \frac{\partial L}{\partial a^{(l)}_j} = \bar{a}^{(l)}_j $$

    Equation (13.14): the hand derivation's deltas, Equations (4.4), (5.2)
    and (6.1), are the adjoints the engine's backward sweep leaves on the
    pre-activation nodes. ``backprop`` computes them layer by layer as
    vectors; the engine computes the same numbers node by node.

    Parameters
    ----------
    weights, biases, x, t, hidden, output, loss
        As for ``backprop``.

    Returns
    -------
    list of float64 arrays
        ``deltas[l - 1]`` is $\boldsymbol{\delta}^{(l)}$, shape ``(n_l,)`` for
        one sample or ``(N, n_l)`` for a batch.

    Examples
    --------
    >>> from backprop_book import running_example, forward, output_delta, hidden_delta
    >>> ex = running_example()
    >>> delta1, delta2 = adjoint_deltas(ex.weights, ex.biases, ex.x, ex.t)
    >>> delta2.round(4)
    array([-0.0983,  0.1318])
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> bool(np.allclose(delta1, hidden_delta(output_delta(y, ex.t), ex.weights[1], h),
    ...                  rtol=1e-13, atol=0))
    True
    """
    g = network_graph(weights, biases, x, t, hidden=hidden, output=output, loss=loss)
    g.loss.backward()
    deltas = _scalars.grads(g.pre_activations)
    return deltas if np.ndim(x) == 2 else [d[0] for d in deltas]
