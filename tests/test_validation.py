"""Bad input gets a clear error, never a silent wrong answer; nothing mutates its arguments.

One test per rule of issue 2, point 5:
- arguments that must share a shape are checked (dL_dy, output_delta, l2_loss, ...);
- weights that do not chain, biases of the wrong length, x or t of the wrong width raise
  ValueError naming the layer and the shapes;
- non-numeric input raises TypeError or ValueError;
- NaN or infinity in the inputs of forward, backprop and l2_loss raises ValueError;
- no function mutates its arguments, and no result aliases an input.
Plus the input types the contract accepts: tuples, integers, float32 (kept float32).
The rules that hold for every public function (non-numeric input refused by name, no
mutation, no aliasing) run over the registry of the public API in ``test_contract.py``.
"""

import re

import numpy as np
import pytest
from support.registry import ENTRIES

from backprop_book import (
    backprop,
    bias_gradient,
    dL_dh,
    dL_dy,
    forward,
    gradient_step,
    hidden_delta,
    l2_loss,
    output_delta,
    pre_activation,
    relative_error,
    running_example,
    train,
    weight_gradient,
)


def shapes_message(first, a, second, b):
    return re.escape(f"{first} has shape {a} but {second} has shape {b}")


# --- 1. arguments that must share a shape ------------------------------------------------------


@pytest.mark.parametrize("f", [dL_dy, output_delta, l2_loss])
@pytest.mark.parametrize("y_shape, t_shape", [((2,), (2, 1)), ((2, 1), (2,)), ((2,), (3,)), ((3, 2), (2, 3))])
def test_y_and_t_must_have_the_same_shape(f, y_shape, t_shape):
    # numpy would broadcast (2,) against (2, 1) into a silently wrong (2, 2) answer
    with pytest.raises(ValueError, match=shapes_message("y", y_shape, "t", t_shape)):
        f(np.full(y_shape, 0.5), np.zeros(t_shape))


def test_dL_dy_message_in_full():
    with pytest.raises(ValueError) as info:
        dL_dy(np.zeros(2), np.zeros((2, 1)))
    assert str(info.value) == "y has shape (2,) but t has shape (2, 1); they must match (no broadcasting)"


def test_gradient_step_param_and_grad_must_match():
    with pytest.raises(ValueError, match=shapes_message("param", (3, 2), "grad", (2, 3))):
        gradient_step(np.zeros((3, 2)), np.zeros((2, 3)), 0.1)


def test_pre_activation_names_x_w_and_b():
    w, b = np.zeros((2, 3)), np.zeros(3)
    with pytest.raises(ValueError, match=re.escape("x has shape (4,), w has shape (2, 3) and b has shape (3,)")):
        pre_activation(np.zeros(4), w, b)
    with pytest.raises(ValueError, match=re.escape("b has shape (2,)")):
        pre_activation(np.zeros(2), w, np.zeros(2))
    with pytest.raises(ValueError, match=re.escape("w must be a 2-D array")):
        pre_activation(np.zeros(2), np.zeros(2), b)


def test_weight_gradient_needs_the_same_samples():
    with pytest.raises(ValueError, match=shapes_message("inputs", (4, 3), "delta", (5, 2))):
        weight_gradient(np.zeros((4, 3)), np.zeros((5, 2)))
    with pytest.raises(ValueError, match=shapes_message("inputs", (3,), "delta", (1, 2))):
        weight_gradient(np.zeros(3), np.zeros((1, 2)))


def test_dL_dh_delta_must_match_u():
    with pytest.raises(ValueError, match=shapes_message("delta", (3,), "u", (3, 2))):
        dL_dh(np.zeros(3), np.zeros((3, 2)))


def test_hidden_delta_h_must_match_the_layer():
    with pytest.raises(ValueError, match=re.escape("h has shape (4,)")) as info:
        hidden_delta(np.zeros(2), np.zeros((3, 2)), np.full(4, 0.5))
    assert "(3, 2)" in str(info.value) and "(3,)" in str(info.value)


def test_bias_gradient_takes_one_or_two_dimensions():
    with pytest.raises(ValueError, match=re.escape("delta must be 1-D (one sample) or 2-D (batch, units), got shape (2, 2, 2)")):
        bias_gradient(np.zeros((2, 2, 2)))


# --- 2. the network's shapes: forward, backprop, train and gradient_check all check them ------------


# Every public function that takes a whole network, from the registry of the public API
NETWORK_ENTRIES = {e.name: e for e in ENTRIES if e.validates and "weights" in e.arrays}
NETWORK_FUNCTIONS = sorted(NETWORK_ENTRIES)
WITH_TARGETS = [name for name in NETWORK_FUNCTIONS if "t" in NETWORK_ENTRIES[name].arrays]


def _calls():
    """Each function that takes a whole network, called with (weights, biases, x, t)."""
    def call(entry):
        def with_network(W, B, x, t):
            network = {"weights": W, "biases": B, "x": x, "t": t}
            return entry.call("the running example", np.asarray, **{k: network[k] for k in entry.arrays})
        return with_network
    return {name: call(entry) for name, entry in NETWORK_ENTRIES.items()}


def _net():
    ex = running_example()
    return ex.weights, ex.biases, ex.x, ex.t


@pytest.mark.parametrize("name", NETWORK_FUNCTIONS)
def test_weights_that_do_not_chain(name):
    W, B, x, t = _net()
    W[1] = np.zeros((4, 2))  # weights[0] gives 3 units, weights[1] expects 4
    with pytest.raises(ValueError, match=r"layer 1") as info:
        _calls()[name](W, B, x, t)
    message = str(info.value)
    assert "weights[0] has shape (2, 3)" in message and "weights[1] has shape (4, 2)" in message


@pytest.mark.parametrize("name", NETWORK_FUNCTIONS)
@pytest.mark.parametrize("layer, bad", [(0, (2,)), (1, (3,)), (0, (1, 3)), (1, ())])
def test_biases_of_the_wrong_shape(name, layer, bad):
    W, B, x, t = _net()
    B[layer] = np.zeros(bad)
    with pytest.raises(ValueError, match=rf"layer {layer}") as info:
        _calls()[name](W, B, x, t)
    message = str(info.value)
    assert f"biases[{layer}] has shape {bad}" in message
    assert f"weights[{layer}] has shape {W[layer].shape}" in message


@pytest.mark.parametrize("name", NETWORK_FUNCTIONS)
@pytest.mark.parametrize("x_shape", [(3,), (1,), (4, 3), (5, 1)])
def test_x_of_the_wrong_width(name, x_shape):
    W, B, _, t = _net()
    t = np.zeros((*x_shape[:-1], 2))
    with pytest.raises(ValueError, match=r"layer 0") as info:
        _calls()[name](W, B, np.zeros(x_shape), t)
    assert f"x has shape {x_shape}" in str(info.value) and "weights[0] has shape (2, 3)" in str(info.value)


@pytest.mark.parametrize("name", NETWORK_FUNCTIONS)
@pytest.mark.parametrize("x_shape", [(), (2, 2, 2)])
def test_x_must_be_one_sample_or_a_batch(name, x_shape):
    W, B, _, t = _net()
    with pytest.raises(ValueError, match=re.escape(f"x must be 1-D (one sample) or 2-D (batch, features), got shape {x_shape}")):
        _calls()[name](W, B, np.zeros(x_shape), t)


@pytest.mark.parametrize("name", WITH_TARGETS)
@pytest.mark.parametrize(
    "x_shape, t_shape, y_shape",
    [((2,), (3,), (2,)), ((2,), (2, 1), (2,)), ((4, 2), (2,), (4, 2)), ((4, 2), (3, 2), (4, 2)), ((4, 2), (4, 1), (4, 2))],
)
def test_t_of_the_wrong_shape(name, x_shape, t_shape, y_shape):
    W, B, _, _ = _net()
    with pytest.raises(ValueError, match=re.escape(f"t has shape {t_shape} but the output y has shape {y_shape}")) as info:
        _calls()[name](W, B, np.zeros(x_shape), np.zeros(t_shape))
    assert "weights[1] has shape (3, 2)" in str(info.value)  # the layer that makes y


@pytest.mark.parametrize("name", NETWORK_FUNCTIONS)
def test_a_weight_that_is_not_a_matrix(name):
    W, B, x, t = _net()
    W[0] = np.zeros(6)
    with pytest.raises(ValueError, match=re.escape("weights[0] must be a 2-D array (inputs, outputs), got shape (6,)")):
        _calls()[name](W, B, x, t)


@pytest.mark.parametrize("name", NETWORK_FUNCTIONS)
def test_one_bias_per_layer(name):
    W, B, x, t = _net()
    with pytest.raises(ValueError, match="weights has 2 layers but biases has 1"):
        _calls()[name](W, B[:1], x, t)


@pytest.mark.parametrize("name", NETWORK_FUNCTIONS)
def test_no_layers(name):
    _, _, x, t = _net()
    with pytest.raises(ValueError, match="weights is empty"):
        _calls()[name]([], [], x, t)


@pytest.mark.parametrize("name", NETWORK_FUNCTIONS)
def test_weights_must_be_a_list_of_layers(name):
    W, B, x, t = _net()
    with pytest.raises(TypeError, match="weights and biases must be lists of arrays"):
        _calls()[name](W[0], B, x, t)


# --- 3. non-numeric input: test_contract.py refuses it, by name, for every array argument of every
# public function (test_non_numeric_input_is_refused_by_name)


# --- 4. NaN and infinity -------------------------------------------------------------------------

NONFINITE = [float("nan"), float("inf"), -float("inf")]


def _poison(array, value):
    array = np.array(array, dtype=float)
    array.flat[array.size // 2] = value
    return array


@pytest.mark.parametrize("value", NONFINITE, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("where", ["weights[0]", "weights[1]", "biases[0]", "biases[1]", "x"])
def test_forward_refuses_nan_and_inf(where, value):
    ex = running_example()
    W, B, x = ex.weights, ex.biases, ex.x
    if where == "x":
        x = _poison(x, value)
    else:
        group, l = where[:-3], int(where[-2])
        (W if group == "weights" else B)[l] = _poison((W if group == "weights" else B)[l], value)
    with pytest.raises(ValueError, match=re.escape(f"{where} contains NaN or infinity")):
        forward(W, B, x)


@pytest.mark.parametrize("value", NONFINITE, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("where", ["weights[0]", "biases[1]", "x", "t"])
def test_backprop_refuses_nan_and_inf(where, value):
    ex = running_example()
    W, B, x, t = ex.weights, ex.biases, np.array([[1.0, 0.5], [0.2, 0.1]]), np.array([[1.0, 0.0], [0.0, 1.0]])
    if where == "x":
        x = _poison(x, value)
    elif where == "t":
        t = _poison(t, value)
    elif where == "weights[0]":
        W[0] = _poison(W[0], value)
    else:
        B[1] = _poison(B[1], value)
    with pytest.raises(ValueError, match=re.escape(f"{where} contains NaN or infinity")):
        backprop(W, B, x, t)


@pytest.mark.parametrize("value", NONFINITE, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("where", ["y", "t"])
def test_l2_loss_refuses_nan_and_inf(where, value):
    y, t = np.array([0.5, 0.25]), np.array([1.0, 0.0])
    args = {"y": y, "t": t} | {where: _poison({"y": y, "t": t}[where], value)}
    with pytest.raises(ValueError, match=re.escape(f"{where} contains NaN or infinity")):
        l2_loss(**args)


@pytest.mark.parametrize("value", NONFINITE, ids=["nan", "inf", "-inf"])
def test_float32_nan_and_inf_are_refused_too(value):
    ex = running_example()
    x = _poison(ex.x, value).astype(np.float32)
    with pytest.raises(ValueError, match=re.escape("x contains NaN or infinity")):
        forward([w.astype(np.float32) for w in ex.weights], [b.astype(np.float32) for b in ex.biases], x)


# --- 5. nothing mutates its arguments, no result aliases an input ---------------------------------


# test_contract.py checks every public function of the registry on every library: no argument
# changes (test_does_not_modify_its_arguments), no result shares memory with an argument
# (test_no_result_shares_memory_with_an_argument).


def test_writing_into_forward_results_leaves_x_alone():
    ex = running_example()
    x = ex.x.copy()
    activations = forward(ex.weights, ex.biases, x)
    activations[0] -= 1.0  # e.g. a caller centring what it was given back
    assert x.tolist() == ex.x.tolist()


# --- 6. the input types the contract accepts ------------------------------------------------------


def test_tuples_of_arrays_work_like_lists():
    ex = running_example()
    as_lists = backprop(ex.weights, ex.biases, ex.x, ex.t)
    as_tuples = backprop(tuple(ex.weights), tuple(ex.biases), ex.x, ex.t)
    for a, b in zip(as_lists[0] + as_lists[1], as_tuples[0] + as_tuples[1]):
        assert np.array_equal(a, b)
    assert [a.tolist() for a in forward(tuple(ex.weights), tuple(ex.biases), ex.x)] == [
        a.tolist() for a in forward(ex.weights, ex.biases, ex.x)
    ]


@pytest.mark.parametrize("as_python", [False, True], ids=["numpy int", "python int"])
def test_integer_inputs_are_computed_in_float64(as_python):
    W = [np.array([[1, -2, 0], [3, 1, -1]]), np.array([[1, 0], [-1, 2], [0, 1]])]
    B = [np.array([0, 1, -1]), np.array([1, 0])]
    x, t = np.array([1, 2]), np.array([1, 0])
    if as_python:
        W, B, x, t = [w.tolist() for w in W], [b.tolist() for b in B], x.tolist(), t.tolist()
    as_float = backprop([np.array(w, dtype=float) for w in W], [np.array(b, dtype=float) for b in B],
                        np.array(x, dtype=float), np.array(t, dtype=float))
    got = backprop(W, B, x, t)
    for a, b in zip(got[0] + got[1], as_float[0] + as_float[1]):
        assert a.dtype == np.float64 and np.array_equal(a, b)
    assert forward(W, B, x)[-1].dtype == np.float64
    assert float(l2_loss([1, 2], [0, 0])) == 2.5
    assert dL_dy(np.array([3, 1]), np.array([1, 1])).tolist() == [2.0, 0.0]


def test_float32_stays_float32_through_forward_and_backprop():
    ex = running_example()
    W = [w.astype(np.float32) for w in ex.weights]
    B = [b.astype(np.float32) for b in ex.biases]
    x, t = ex.x.astype(np.float32), ex.t.astype(np.float32)
    assert all(a.dtype == np.float32 for a in forward(W, B, x))
    weight_grads, bias_grads = backprop(W, B, x, t)
    assert all(g.dtype == np.float32 for g in weight_grads + bias_grads)
    reference = backprop(ex.weights, ex.biases, ex.x, ex.t)
    assert relative_error(weight_grads + bias_grads, reference[0] + reference[1]) < 1e-6
    # integer or Python data next to float32 weights follows the weights
    assert all(a.dtype == np.float32 for a in forward(W, B, [1, 0]))
    assert all(g.dtype == np.float32 for g in sum(backprop(W, B, np.array([[1, 0]]), [[1, 0]]), []))


def test_float32_stays_float32_through_the_other_functions():
    y, t = np.array([0.6, 0.2], dtype=np.float32), np.array([1.0, 0.0], dtype=np.float32)
    u = np.ones((3, 2), dtype=np.float32)
    h = np.full(3, 0.5, dtype=np.float32)
    assert l2_loss(y, t).dtype == np.float32
    assert dL_dy(y, t).dtype == np.float32 and output_delta(y, t).dtype == np.float32
    assert dL_dh(output_delta(y, t), u).dtype == np.float32
    assert hidden_delta(output_delta(y, t), u, h).dtype == np.float32
    assert gradient_step(u, u, 0.1).dtype == np.float32
    ex = running_example()
    W = [w.astype(np.float32) for w in ex.weights]
    B = [b.astype(np.float32) for b in ex.biases]
    weights, biases, _ = train(W, B, ex.x.astype(np.float32), ex.t.astype(np.float32), lr=0.5, epochs=2)
    assert all(a.dtype == np.float32 for a in weights + biases)
