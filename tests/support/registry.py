"""The public API of ``backprop_book``, one entry per name: how to call it, on any library and dtype.

Every name in ``backprop_book.__all__`` has an ``Entry`` in ``REGISTRY``, and every exercise
checker of ``backprop_book.exercises.__all__`` a correct answer in ``CHECKERS``; the contract
tests (``tests/test_contract.py``) run over both, so a function that joins ``__all__`` fails
a test until it is added here, and then gets every contract test for free (scikit-learn's
``test_common.py`` runs its common checks over one list of estimators the same way).

An entry says:

- ``draw``: the keyword arguments of a valid call built from a ``Sample`` (a network, its
  data and every intermediate value) and ``to``, which moves a NumPy float64 array into the
  library and dtype under test. ``cases`` are ``draw`` on the running example plus ``more``,
  labelled further calls (batches, edge values, other activations); the property test of
  issue 10 calls ``draw`` on samples hypothesis draws;
- ``arrays``: which arguments hold arrays (or lists of arrays): they must keep their values
  (no mutation), share no memory with the result, and are refused by name when they hold
  something that is not a number;
- ``returns``: what comes back (``LIKE_INPUT``: arrays of the input's library, device and
  dtype, in whatever lists the function documents, with Python floats where it returns
  floats; ``FLOAT``: a Python float; ``NUMPY64``: NumPy float64 arrays whatever the input);
- ``errors``: labelled bad calls, as the arguments to change in the running example's call; each raises
  the same error with the same message on every library;
- ``validates`` and ``holds_arguments``: False / True for the record type ``Example``,
  which stores what it is given and checks nothing; ``measures``: True for the finite-
  difference tools, whose float32 answer is rounding noise rather than the float64 value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

import backprop_book
from backprop_book import exercises

from .libraries import back
from .answers import ANSWERS
from .running import BATCH_T, BATCH_X, EX, T, U, W, WEIGHT_GRADS, X, network_loss, random_network

To = Callable[[Any], Any]
Build = Callable[[To], dict[str, Any]]

LIKE_INPUT, FLOAT, NUMPY64 = "arrays like the input", "a Python float", "NumPy float64 arrays"
FLOAT64_LIKE_INPUT = "float64 arrays of the input's library"  # central differences need float64's digits

# Chapter 13's scalar engines compute on Python floats node by node, one value at a time, and
# return NumPy float64: not functions of arrays, so tests/test_engine.py and tests/test_dual.py
# hold them to their contract (named errors, no mutation, equal to backprop) instead.
SCALAR_ENGINES = {"Value", "Dual", "network_graph", "reverse_mode_gradients", "adjoint_deltas",
                  "forward_mode_gradients",
                  # Chapters 14 and 15: floats from arrays, or arrays from layer widths (like= picks
                  # the library); tests/test_init.py and tests/test_minibatch.py hold them to it
                  "layer_gradient_norms", "batch_gradient_variance", "normal_init", "xavier_init", "he_init"}
PUBLIC_NAMES: list[str] = sorted(set(backprop_book.__all__) - SCALAR_ENGINES)  # what the contract covers
CHECKER_NAMES: list[str] = sorted(n for n in exercises.__all__ if n.startswith("check_"))


@dataclass(frozen=True)
class Sample:
    """A network, its data and every intermediate value: what the entries build their calls from.

    ``x`` is one sample ``(n_0,)`` or a batch ``(n, n_0)``, ``n`` possibly 0.
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    x: np.ndarray
    t: np.ndarray  # targets in [0, 1], shaped like y
    onehot: np.ndarray  # one-hot targets, shaped like y (softmax with cross-entropy)
    a1: np.ndarray  # the hidden layer's pre-activation
    h: np.ndarray  # sigmoid(a1)
    a2: np.ndarray  # the output layer's pre-activation (logits)
    y: np.ndarray  # sigmoid(a2)
    delta: np.ndarray  # the output delta (4.4)
    weight_grads: list[np.ndarray]


def sample(weights: list, biases: list, x: Any, t: Any, labels: Any = None) -> Sample:
    """Work a two-layer network forward and backward with the package (NumPy, float64)."""
    x, t = np.asarray(x, dtype=np.float64), np.asarray(t, dtype=np.float64)
    k = weights[-1].shape[1]
    labels = np.zeros(t.shape[:-1], dtype=int) if labels is None else labels
    a1 = backprop_book.pre_activation(x, weights[0], biases[0])
    h = backprop_book.sigmoid(a1)
    a2 = backprop_book.pre_activation(h, weights[1], biases[1])
    y = backprop_book.sigmoid(a2)
    weight_grads, _ = backprop_book.backprop(weights, biases, x, t)
    return Sample(list(weights), list(biases), x, t, np.eye(k)[labels], a1, h, a2, y,
                  backprop_book.output_delta(y, t), weight_grads)


RUNNING = sample(EX.weights, EX.biases, X, T)


@dataclass(frozen=True)
class Entry:
    name: str
    draw: Callable[[Sample, To], dict[str, Any]]  # the keyword arguments of a valid call on a sample
    arrays: tuple[str, ...]
    returns: str = LIKE_INPUT
    more: dict[str, Build] = field(default_factory=dict)  # further cases, beyond the running example
    errors: dict[str, Build] = field(default_factory=dict)
    validates: bool = True
    holds_arguments: bool = False
    measures: bool = False  # a finite-difference measurement: in float32 it is noise, not the float64 value

    @property
    def function(self) -> Callable[..., Any]:
        return getattr(backprop_book, self.name)

    @property
    def cases(self) -> dict[str, Build]:
        return {"the running example": lambda to: self.draw(RUNNING, to), **self.more}

    def call(self, case: str, to: To, **changes: Any) -> Any:
        return self.function(**{**self.cases[case](to), **changes})


# ------------------------------------------------------------------ test data beyond the example
_rng = np.random.default_rng(1)
A = _rng.normal(0, 3, (4, 3))  # a batch of logits
A_EDGE = np.array([-800.0, -30.0, -1.0, 0.0, 1e-9, 2.0, 40.0, 800.0])
H_BATCH = _rng.uniform(0.05, 0.95, (4, 3))
D_BATCH = _rng.normal(0, 1, (4, 2))
PROBS = np.exp(A) / np.exp(A).sum(axis=1, keepdims=True)
ONEHOT = np.eye(3)[[0, 2, 1, 2]]
T01 = _rng.uniform(0, 1, (4, 3))
BATCH = sample(*random_network((3, 4, 2), 5))  # a batch through a wider network
SAME_NET_BATCH = sample(EX.weights, EX.biases, BATCH_X, BATCH_T)  # a batch through the running example


def net(s: Sample, to: To) -> dict[str, Any]:
    """A sample's network and data as keyword arguments, moved into the library by ``to``."""
    return {"weights": [to(w) for w in s.weights], "biases": [to(b) for b in s.biases], "x": to(s.x), "t": to(s.t)}


def net_x(s: Sample, to: To) -> dict[str, Any]:
    """``net`` without ``t``, for forward."""
    kwargs = net(s, to)
    del kwargs["t"]
    return kwargs


def on(draw: Callable[[Sample, To], dict[str, Any]], s: Sample, **more: Any) -> Build:
    """A case: ``draw`` on another sample, with extra keywords (hidden=, output=, loss=, ...)."""
    return lambda to: {**draw(s, to), **more}


def _loss_of_u(s: Sample, to: To) -> Callable[[Any], float]:
    """The sample's loss as a function of u, computed by the library under test."""
    weights, biases, x, t = net(s, to).values()
    return lambda q: network_loss([weights[0], to(back(q))], biases, x, t)


def _fields(**names: str) -> Callable[[Sample, To], dict[str, Any]]:
    """A call whose arguments are fields of the sample: ``_fields(a="a2", t="onehot")``."""
    return lambda s, to: {arg: to(getattr(s, field)) for arg, field in names.items()}


_ZEROS_2, _COLUMN = np.zeros(2), np.zeros((2, 1))
_Y_VS_COLUMN: Build = lambda to: {"y": to(_ZEROS_2), "t": to(_COLUMN)}  # noqa: E731  the (2,) vs (2, 1) trap
_Y_T = _fields(y="y", t="t")
_NETWORK = ("weights", "biases", "x", "t")

ENTRIES = [
    Entry("Example", net, _NETWORK, validates=False, holds_arguments=True),
    Entry("network_loss", net, _NETWORK, more={
        "tanh, softmax, cross-entropy": on(lambda s, to: {**net(s, to), "t": to(s.onehot)}, SAME_NET_BATCH,
                                           hidden="tanh", output="softmax", loss="cross_entropy"),
    }, errors={"t shape": lambda to: {"t": to(np.zeros((1, 2)))}}),
    Entry("numerical_backprop", net, _NETWORK, returns=FLOAT64_LIKE_INPUT, measures=True,
          errors={"NaN in x": lambda to: {"x": to([np.nan, 0.5])}}),
    Entry("running_example", lambda s, to: {}, (), returns=NUMPY64),
    Entry("backprop", net, _NETWORK, more={
        "a batch of 5": on(net, BATCH),
        "tanh, softmax, cross-entropy": on(lambda s, to: {**net(s, to), "t": to(s.onehot)}, SAME_NET_BATCH,
                                           hidden="tanh", output="softmax", loss="cross_entropy"),
    }, errors={
        "t shape": lambda to: {"t": to(np.zeros((1, 2)))},
        "NaN in x": lambda to: {"x": to([np.nan, 0.5])},
        "inf in weights[1]": lambda to: {"weights": [to(W), to(np.full((3, 2), np.inf))]},
        "NaN in t": lambda to: {"t": to([np.nan, 0.0])},
        "one bias": lambda to: {"biases": [to(EX.biases[0])]},
        "unknown hidden": lambda to: {"hidden": "softplus"},
        "not a distribution": lambda to: {"output": "softmax", "loss": "cross_entropy", "t": to([0.5, 0.9])},
    }),
    Entry("bias_gradient", _fields(delta="delta"), ("delta",),
          more={"a batch": lambda to: {"delta": to(D_BATCH)}},
          errors={"3-D": lambda to: {"delta": to(np.zeros((2, 2, 2)))}}),
    Entry("dL_dh", lambda s, to: {"delta": to(s.delta), "u": to(s.weights[1])}, ("delta", "u"),
          more={"a batch": lambda to: {"delta": to(D_BATCH), "u": to(U)}},
          errors={"widths": lambda to: {"delta": to(np.zeros(3))}}),
    Entry("dL_dy", _Y_T, ("y", "t"), errors={
        "(2,) vs (2, 1)": _Y_VS_COLUMN,
        "array vs list": lambda to: {"y": to(_ZEROS_2), "t": [[0.0], [0.0]]},
    }),
    Entry("drelu_da", lambda s, to: {"h": to(np.maximum(s.a1, 0))}, ("h",),
          more={"a batch": lambda to: {"h": to(np.maximum(A, 0))}}),
    Entry("dtanh_da", lambda s, to: {"h": to(np.tanh(s.a1))}, ("h",),
          more={"a batch": lambda to: {"h": to(np.tanh(A))}}),
    Entry("dy_da", _fields(y="y"), ("y",)),
    Entry("forward", net_x, ("weights", "biases", "x"), more={
        "a batch of 5": on(net_x, BATCH),
        "tanh, softmax": on(net_x, RUNNING, hidden="tanh", output="softmax"),
    }, errors={
        "x width": lambda to: {"x": to([1.0, 0.5, 2.0])},
        "weights chain": lambda to: {"weights": [to(np.zeros((2, 4))), to(U)]},
        "bias shape": lambda to: {"biases": [to(np.zeros(4)), to(EX.biases[1])]},
        "3-D x": lambda to: {"x": to(np.zeros((1, 1, 2)))},
        "unknown output": lambda to: {"output": "linear"},
    }),
    Entry("gradient_check", net, _NETWORK, returns=FLOAT, measures=True, more={
        "relu, sigmoid, cross-entropy": on(net, RUNNING, hidden="relu", output="sigmoid", loss="cross_entropy"),
    }, errors={
        "t shape": lambda to: {"t": to(np.zeros(3))},
        "NaN in biases[0]": lambda to: {"biases": [to([0.0, np.nan, 0.0]), to(EX.biases[1])]},
    }),
    Entry("gradient_step", lambda s, to: {"param": to(s.weights[1]), "grad": to(s.weight_grads[1]), "lr": 0.5},
          ("param", "grad"), more={
        "lists of arrays": lambda to: {"param": [to(w) for w in EX.weights],
                                       "grad": [to(g) for g in WEIGHT_GRADS], "lr": 0.3},
    }, errors={
        "shapes": lambda to: {"param": to(np.zeros((3, 2))), "grad": to(np.zeros((2, 3)))},
        "lr zero": lambda to: {"lr": 0.0},
    }),
    Entry("hidden_delta", lambda s, to: {"delta": to(s.delta), "u": to(s.weights[1]), "h": to(s.h)},
          ("delta", "u", "h"), more={"a batch": lambda to: {"delta": to(D_BATCH), "u": to(U), "h": to(H_BATCH)}},
          errors={"h shape": lambda to: {"delta": to(_ZEROS_2), "h": to(_ZEROS_2)}}),
    Entry("l2_loss", _Y_T, ("y", "t"), more={"a batch": lambda to: {"y": to(H_BATCH), "t": to(T01)}}, errors={
        "(2,) vs (2, 1)": _Y_VS_COLUMN,
        "NaN": lambda to: {"y": to([np.nan, 0.0])},
    }),
    Entry("loss_value", _fields(a="a2", t="t"), ("a", "t"), more={
        "sigmoid, cross-entropy": lambda to: {"a": to(A), "t": to(T01), "output": "sigmoid", "loss": "cross_entropy"},
        "softmax, cross-entropy": lambda to: {"a": to(A), "t": to(ONEHOT), "output": "softmax",
                                              "loss": "cross_entropy"},
        "identity, l2": lambda to: {"a": to(A), "t": to(T01), "output": "identity"},
    }, errors={"unknown pair": lambda to: {"output": "softmax", "loss": "l2"}}),
    Entry("numerical_gradient", lambda s, to: {"f": _loss_of_u(s, to), "param": to(s.weights[1])}, ("param",),
          returns=FLOAT64_LIKE_INPUT, measures=True, errors={"eps zero": lambda to: {"eps": 0.0}}),
    Entry("output_delta", _Y_T, ("y", "t"), errors={"(2,) vs (2, 1)": _Y_VS_COLUMN}),
    Entry("pre_activation", lambda s, to: {"x": to(s.x), "w": to(s.weights[0]), "b": to(s.biases[0])},
          ("x", "w", "b"), more={"a batch": lambda to: {"x": to(BATCH_X), "w": to(W), "b": to(EX.biases[0])}},
          errors={"1-D w": lambda to: {"w": to(_ZEROS_2)}, "widths": lambda to: {"w": to(np.zeros((3, 3)))}}),
    Entry("relative_error", lambda s, to: {"a": to(s.a2), "b": to(1.5 * s.a2 + 0.1)}, ("a", "b"), returns=FLOAT,
          more={"two lists of arrays": lambda to: {"a": [to(g) for g in WEIGHT_GRADS],
                                                   "b": [to(g * 1.5 + 0.1) for g in WEIGHT_GRADS]}},
          errors={"sizes": lambda to: {"b": to(np.zeros(3))}}),
    Entry("relu", _fields(a="a1"), ("a",), more={"edge values": lambda to: {"a": to(A_EDGE)}}),
    Entry("relu_hidden_delta", lambda s, to: {"delta": to(s.delta), "u": to(s.weights[1]),
                                              "h": to(np.maximum(s.a1, 0))}, ("delta", "u", "h"),
          more={"a batch": lambda to: {"delta": to(D_BATCH), "u": to(U), "h": to(np.maximum(A, 0))}},
          errors={"h shape": lambda to: {"h": to(np.zeros((4, 2)))}}),
    Entry("sigmoid", _fields(a="a1"), ("a",), more={
        "a batch": lambda to: {"a": to(A)}, "edge values": lambda to: {"a": to(A_EDGE)},
        "a 0-d array": lambda to: {"a": to(np.array(0.3))},
    }),
    Entry("sigmoid_cross_entropy", _fields(a="a2", t="t"), ("a", "t"),
          more={"a batch": lambda to: {"a": to(A), "t": to(T01)}},
          errors={"target above 1": lambda to: {"a": to(_ZEROS_2), "t": to([0.5, 1.5])}}),
    Entry("sigmoid_cross_entropy_delta", _Y_T, ("y", "t"), more={"a batch": lambda to: {"y": to(H_BATCH),
                                                                                       "t": to(T01)}},
          errors={"target below 0": lambda to: {"y": to(_ZEROS_2), "t": to([-0.5, 0.5])}}),
    Entry("sigmoid_prime", _fields(a="a1"), ("a",), more={"edge values": lambda to: {"a": to(A_EDGE)}}),
    Entry("softmax", _fields(a="a2"), ("a",), more={"a batch": lambda to: {"a": to(A)}},
          errors={"3-D": lambda to: {"a": to(np.zeros((2, 2, 2)))}, "inf": lambda to: {"a": to([np.inf, 0.0])}}),
    Entry("softmax_cross_entropy", _fields(a="a2", t="onehot"), ("a", "t"),
          more={"a batch": lambda to: {"a": to(A), "t": to(ONEHOT)}}, errors={
        "shapes": lambda to: {"a": to(np.zeros(3)), "t": to(np.zeros((3, 1)))},
        "not a distribution": lambda to: {"a": to(np.zeros(3)), "t": to([0.5, 0.9, 0.0])},
    }),
    Entry("softmax_cross_entropy_delta", lambda s, to: {"y": to(backprop_book.softmax(s.a2)), "t": to(s.onehot)},
          ("y", "t"), more={"a batch": lambda to: {"y": to(PROBS), "t": to(ONEHOT)}},
          errors={"not a distribution": lambda to: {"y": to(np.full(3, 1 / 3)), "t": to([0.5, 0.9, 0.0])}}),
    Entry("tanh", _fields(a="a1"), ("a",), more={"edge values": lambda to: {"a": to(A_EDGE)}}),
    Entry("tanh_hidden_delta", lambda s, to: {"delta": to(s.delta), "u": to(s.weights[1]), "h": to(np.tanh(s.a1))},
          ("delta", "u", "h"), more={"a batch": lambda to: {"delta": to(D_BATCH), "u": to(U), "h": to(np.tanh(A))}},
          errors={"h shape": lambda to: {"delta": to(_ZEROS_2), "h": to(_ZEROS_2)}}),
    Entry("train", lambda s, to: {**net(s, to), "lr": 0.5, "epochs": 2}, _NETWORK, more={
        "a batch, 2 epochs": on(lambda s, to: {**net(s, to), "lr": 0.5, "epochs": 2}, SAME_NET_BATCH),
        "no epochs": on(lambda s, to: {**net(s, to), "lr": 0.5, "epochs": 0}, RUNNING),
    }, errors={
        "NaN in x": lambda to: {"x": to([np.nan, 0.0])},
        "epochs": lambda to: {"epochs": -1},
    }),
    Entry("weight_gradient", lambda s, to: {"inputs": to(s.h), "delta": to(s.delta)}, ("inputs", "delta"),
          more={"a batch": lambda to: {"inputs": to(H_BATCH), "delta": to(D_BATCH)}}, errors={
        "batches": lambda to: {"inputs": to(np.zeros((4, 3))), "delta": to(np.zeros((5, 2)))},
        "3-D": lambda to: {"inputs": to(np.zeros((1, 4, 3))), "delta": to(np.zeros((1, 4, 2)))},
    }),
]
REGISTRY: dict[str, Entry] = {e.name: e for e in ENTRIES}

# The exercise checkers, each with a correct answer: the book's own function, or (for the
# count of Chapter 12) one written independently of the module's own count.
CHECKERS: dict[str, Callable[..., Any]] = {
    **{f"check_{name}": getattr(backprop_book, name) for name in [
        "pre_activation", "forward", "sigmoid", "sigmoid_prime", "l2_loss", "dL_dy", "dy_da", "output_delta",
        "weight_gradient", "dL_dh", "hidden_delta", "backprop", "bias_gradient", "gradient_step", "train",
        "numerical_gradient", "relative_error", "dtanh_da", "drelu_da", "softmax", "softmax_cross_entropy_delta",
        "sigmoid_cross_entropy_delta"]},
    "check_multiply_adds": lambda sizes, batch: batch * sum(
        (2 if l == 0 else 3) * m * n for l, (m, n) in enumerate(zip(sizes, sizes[1:]))
    ),
    **ANSWERS,  # the checkers of exercises the package has no function for
}
