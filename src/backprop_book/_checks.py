"""Validation at the boundary: every argument is converted and checked once, and every message lives here.

A public function is wrapped by :func:`validated` with the checker of its
arguments. Called by a user, the checker turns each argument into an array of
one library, checks shapes, values and names, and the function runs inside a
*trusted* context that remembers the arrays' namespace. A public function
called from inside that context (``backprop`` calling ``hidden_delta``, ``train``
calling ``backprop``) skips its checker: its arguments were checked at the
outermost call. scikit-learn's ``validate_params(...,
prefer_skip_nested_validation=True)`` is the model.

User code that runs in between (``numerical_gradient``'s ``f``) leaves the
trusted context through :func:`outside`, so what it passes back into the
package is checked again.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import math
from typing import Any, Callable, TypeAlias

import array_api_compat
import numpy as np

_np = array_api_compat.array_namespace(np.empty(0))
NUMPY = _np  # NumPy's namespace, for results that stay NumPy arrays

# What the signatures call an array: one of any Array API library (NumPy, PyTorch,
# array-api-strict, Dask ...) or, where a function accepts one, a Python number or a
# nested list, which becomes a NumPy array. Results keep the arguments' library.
Array: TypeAlias = Any

# The namespace of the outermost public call while it runs, None outside the package.
_inside: contextvars.ContextVar[Any] = contextvars.ContextVar("backprop_book_inside", default=None)


def validated(check: Callable[..., tuple[Any, tuple, dict, bool]]) -> Callable:
    """Decorate a public function with ``check``, which runs only at the outermost call.

    ``check(*args, **kwargs)`` returns ``(xp, args, kwargs, scalar)``: the namespace,
    the converted arguments, and whether the result goes back as a Python float.
    """

    def decorate(fn: Callable) -> Callable:
        signature = inspect.signature(fn)
        positional = {
            name for name, p in signature.parameters.items() if p.kind is p.POSITIONAL_OR_KEYWORD
        }

        @functools.wraps(fn)
        def public(*args: Any, **kwargs: Any) -> Any:
            if _inside.get() is not None:  # a nested call: its arguments were checked at the boundary
                return fn(*args, **kwargs)
            if positional.intersection(kwargs):  # sigmoid(a=...): the checker takes them in order
                bound = signature.bind(*args, **kwargs)
                args, kwargs = bound.args, bound.kwargs
            xp, args, kwargs, scalar = check(*args, **kwargs)
            token = _inside.set(xp)
            try:
                # NumPy's warnings stay inside: results at the limits are exact (issue 10, rule 1)
                with np.errstate(all="ignore"):
                    result = fn(*args, **kwargs)
            finally:
                _inside.reset(token)
            return float(result) if scalar else result

        public.__wrapped_check__ = check  # the tests count conversions through it
        return public

    return decorate


def xp() -> Any:
    """The namespace of the arrays of the public call that is running."""
    return _inside.get()


def outside(f: Callable[..., Any]) -> Callable[..., Any]:
    """``f`` run as user code: the package's functions it calls check their arguments again."""

    @functools.wraps(f)
    def call(*args: Any, **kwargs: Any) -> Any:
        token = _inside.set(None)
        try:
            return f(*args, **kwargs)
        finally:
            _inside.reset(token)

    return call


# ------------------------------------------------------------------ arrays of one library


def arrays(**named: Any) -> tuple[Any, ...]:
    """Return ``(xp, *arrays)``: the arrays' namespace and each argument as a float array.

    Arrays of any Array API library keep their library and device; Python
    numbers and lists become arrays of that library (NumPy when none is given).
    Integers and booleans become floats; anything else non-numeric is a
    ``TypeError`` naming the argument. Floats of two precisions all become the
    wider one, so a function sees one dtype.
    """
    xp = _float_arrays(named.values())
    if xp is not None:
        return (xp, *named.values())  # the common case: nothing to convert
    given = {n: v for n, v in named.items() if _is_array(v)}
    xp = _namespace(given) if given else _np
    floats = [v for v in given.values() if xp.isdtype(v.dtype, "real floating")]
    for v in floats:
        try:
            _float_kinds[type(v), v.dtype] = xp  # next time, such arrays take the fast path
        except TypeError:  # an unhashable dtype: such arrays always take this path
            pass
    like = floats[0] if floats else None  # where numbers and lists go: its device
    # float32 next to float64: every argument becomes float64, the type promotion of NumPy
    # and of the standard (PyTorch's products would refuse the mix), so a function sees one dtype
    dtype = None if like is None else like.dtype
    if any(v.dtype != dtype for v in floats):
        dtype = xp.result_type(*floats)
    converted = [_to_float(name, value, xp, like, dtype) for name, value in named.items()]
    return (xp, *(v if dtype is None or v.dtype == dtype else xp.astype(v, dtype) for v in converted))


_float_kinds: dict[tuple[type, Any], Any] = {}  # (array type, real floating dtype) -> namespace


def _float_arrays(values: Any) -> Any:
    # The namespace if every value is a real floating array of one library and one dtype,
    # of a kind seen before; else None.
    xp = dtype = None
    for v in values:
        try:
            found = _float_kinds.get((type(v), v.dtype))
        except (AttributeError, TypeError):  # no dtype (a number, a list) or an unhashable one
            return None
        if found is None or (xp is not None and (found is not xp or v.dtype != dtype)):
            return None
        xp, dtype = found, v.dtype
    return xp


def _namespace(given: dict[str, Any]) -> Any:
    try:
        return array_api_compat.array_namespace(*given.values())
    except TypeError:
        libraries = ", ".join(f"{n} is {_library(v)}" for n, v in given.items())
        raise TypeError(
            f"arrays of different libraries in one call ({libraries}); convert them to one library"
        ) from None


def _library(value: Any) -> str:
    return f"a {type(value).__module__.split('.')[0]}.{type(value).__name__}"  # numpy.ndarray, torch.Tensor


def _is_array(value: Any) -> bool:
    return type(value) is np.ndarray or (
        array_api_compat.is_array_api_obj(value) and not isinstance(value, np.generic)
    )


def _to_float(name: str, value: Any, xp: Any, like: Any, dtype: Any) -> Any:
    # ``dtype``: the call's float dtype, None when no float array is given (then float64)
    if _is_array(value):
        if xp.isdtype(value.dtype, "real floating"):
            return value
        if xp.isdtype(value.dtype, ("integral", "bool")):
            return xp.astype(value, dtype if dtype is not None else xp.float64)
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")
    try:
        value = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{name} is not a rectangular array: {error}") from None
    if value.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")
    if like is None:
        return value.astype(np.float64) if xp is _np else xp.asarray(value, dtype=xp.float64)
    return xp.asarray(value, dtype=dtype, device=array_api_compat.device(like))


def is_scalar(value: Any) -> bool:
    """True for a Python or NumPy number, whose result is handed back as a float."""
    return isinstance(value, (int, float, np.generic)) and not isinstance(value, (bool, np.bool_))


# ------------------------------------------------------------------ shapes and values


def same_shape(**named: Any) -> None:
    """Raise ``ValueError`` unless every named array has the same shape."""
    (first, a), *rest = named.items()
    for name, b in rest:
        if tuple(a.shape) != tuple(b.shape):
            raise ValueError(
                f"{first} has shape {tuple(a.shape)} but {name} has shape {tuple(b.shape)}; "
                "they must match (no broadcasting)"
            )


def ndim_in(name: str, a: Any, allowed: tuple[int, ...], what: str) -> None:
    """Raise ``ValueError`` unless ``a.ndim`` is one of ``allowed``."""
    if a.ndim not in allowed:
        raise ValueError(f"{name} must be {what}, got shape {tuple(a.shape)}")


ONE_OR_BATCH = "1-D (one sample) or 2-D (batch, units)"


def finite(xp: Any, **named: Any) -> None:
    """Raise ``ValueError`` if any named array holds NaN or infinity."""
    for name, a in named.items():
        if not _all_finite(xp, a):
            raise ValueError(f"{name} contains NaN or infinity")


def copy(xp: Any, a: Any, dtype: Any = None) -> Any:
    """A new array with ``a``'s values: no view, no autograd history (a tensor's is detached)."""
    return xp.asarray(plain(a), dtype=dtype, copy=True)


def plain(a: Any) -> Any:
    """``a`` without an autograd tape (PyTorch's ``requires_grad``), so reading it never warns."""
    return a.detach() if getattr(a, "requires_grad", False) else a  # a view off the tape


def _all_finite(xp: Any, a: Any) -> bool:
    if type(a) is np.ndarray:  # the method skips np.all's dispatch: 1 us per small array
        return bool(np.isfinite(a).all())
    a = plain(a)
    # NaN and infinities reach the sum, so a finite sum settles it in one reduction; a sum that
    # overflows is checked in full. NumPy-backed libraries must not warn about that overflow.
    with np.errstate(over="ignore", invalid="ignore"):
        return math.isfinite(float(xp.sum(a))) or bool(xp.all(xp.isfinite(a)))


def distributions(xp: Any, t: Any) -> None:
    """Raise ``ValueError`` unless every row of ``t`` is a probability distribution."""
    if not bool(xp.all(t >= 0)):
        raise ValueError(
            "t must hold probability distributions for softmax with cross_entropy "
            f"(entries >= 0, each row summing to 1), but its smallest entry is {float(xp.min(t))}"
        )
    sums = xp.reshape(xp.sum(t, axis=-1), (-1,))
    if sums.shape[0] == 0:  # an empty batch holds no row to check
        return
    worst = sums[int(xp.argmax(xp.abs(sums - 1)))]  # the row sum farthest from 1
    if abs(float(worst) - 1) > float(xp.finfo(t.dtype).eps) ** 0.5:
        raise ValueError(
            "t must hold probability distributions for softmax with cross_entropy "
            f"(entries >= 0, each row summing to 1), but a row of t sums to {float(worst)}"
        )


def probabilities(xp: Any, t: Any) -> None:
    """Raise ``ValueError`` unless every entry of ``t`` lies in [0, 1]."""
    if not bool(xp.all((t >= 0) & (t <= 1))):
        raise ValueError(
            "t must hold probabilities in [0, 1] for sigmoid with cross_entropy (binary "
            f"cross-entropy), but its entries range from {float(xp.min(t))} to {float(xp.max(t))}"
        )


# ------------------------------------------------------------------ scalars and names


def one_of(name: str, value: Any, valid: Any) -> None:
    """Raise ``ValueError`` unless ``value`` is one of the names ``valid``, listing them."""
    if not isinstance(value, str) or value not in valid:
        raise ValueError(
            f"{name}={value!r} is not a valid choice; choose one of "
            + ", ".join(repr(v) for v in valid)
        )


def unsupported_pair(output: str, loss: str, pairs: Any) -> ValueError:
    """The error for a valid output and loss that do not go together."""
    return ValueError(
        f"output={output!r} with loss={loss!r} is not supported; the valid (output, loss) "
        "pairs are " + ", ".join(f"({o!r}, {l!r})" for o, l in pairs)
    )


def _real(name: str, value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not is_scalar(value):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    return float(value)  # a Python float: it takes the arrays' dtype, never raises it


def learning_rate(lr: Any) -> float:
    """``lr`` as a float; ``TypeError`` unless a real number, ``ValueError`` unless positive and finite."""
    value = _real("lr", lr)
    if not 0 < value < math.inf:
        raise ValueError(f"lr must be a positive finite number, got {lr}")
    return value


def step(eps: Any) -> float:
    """``eps`` as a float; ``TypeError`` unless a real number, ``ValueError`` unless positive and finite."""
    value = _real("eps", eps)
    if not 0 < value < math.inf:
        raise ValueError(f"eps must be positive and finite, got {eps}")
    return value


def count(name: str, value: Any) -> int:
    """``value`` as an int; ``ValueError`` unless a non-negative integer (not a bool)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


# ------------------------------------------------------------------ a whole network


def _network_names(depth: int) -> list[str]:
    return [*(f"weights[{l}]" for l in range(depth)), *(f"biases[{l}]" for l in range(depth)), "x", "t"]


NO_TARGETS = object()  # forward's network has inputs only; None as t is a mistake to report


def network(weights: Any, biases: Any, x: Any, t: Any = NO_TARGETS) -> tuple[Any, ...]:
    """Check a whole network at once; return ``(xp, weights, biases, x, t)`` as arrays.

    ``weights[l]`` has shape ``(n_l, n_(l+1))``, ``biases[l]`` shape ``(n_(l+1),)``,
    ``x`` shape ``(n_0,)`` or ``(batch, n_0)`` and ``t`` the shape of the output.
    """
    if not isinstance(weights, (list, tuple)) or not isinstance(biases, (list, tuple)):
        raise TypeError(
            "weights and biases must be lists of arrays, one per layer, got "
            f"{type(weights).__name__} and {type(biases).__name__}"
        )
    if len(weights) == 0:
        raise ValueError("weights is empty: a network needs at least one weight layer")
    if len(weights) != len(biases):
        raise ValueError(
            f"weights has {len(weights)} layers but biases has {len(biases)}; give one bias per layer"
        )
    depth = len(weights)
    targets = t is not NO_TARGETS
    given = [*weights, *biases, x, t] if targets else [*weights, *biases, x]
    xp, *converted = arrays(**dict(zip(_network_names(depth), given)))
    W, B = converted[:depth], converted[depth : 2 * depth]
    x = converted[2 * depth]
    t = converted[2 * depth + 1] if targets else None
    for l, (w, b) in enumerate(zip(W, B)):
        ndim_in(f"weights[{l}]", w, (2,), "a 2-D array (inputs, outputs)")
        if tuple(b.shape) != (w.shape[1],):
            raise ValueError(
                f"layer {l}: biases[{l}] has shape {tuple(b.shape)} but weights[{l}] has shape "
                f"{tuple(w.shape)}, so the bias must have shape ({w.shape[1]},)"
            )
        if l > 0 and W[l - 1].shape[1] != w.shape[0]:
            raise ValueError(
                f"layer {l}: weights[{l - 1}] has shape {tuple(W[l - 1].shape)} and gives "
                f"{W[l - 1].shape[1]} units, but weights[{l}] has shape {tuple(w.shape)} "
                f"and expects {w.shape[0]}"
            )
    ndim_in("x", x, (1, 2), "1-D (one sample) or 2-D (batch, features)")
    if x.shape[-1] != W[0].shape[0]:
        raise ValueError(
            f"layer 0: x has shape {tuple(x.shape)} with {x.shape[-1]} features but "
            f"weights[0] has shape {tuple(W[0].shape)} and expects {W[0].shape[0]}"
        )
    if t is not None:
        expected = (*x.shape[:-1], W[-1].shape[1])
        if tuple(t.shape) != expected:
            raise ValueError(
                f"t has shape {tuple(t.shape)} but the output y has shape {expected} "
                f"(x has shape {tuple(x.shape)}, weights[{depth - 1}] has shape "
                f"{tuple(W[-1].shape)})"
            )
    for i, a in enumerate(converted):  # weights, biases, x, t: the order errors are reported in
        if not _all_finite(xp, a):
            raise ValueError(f"{_network_names(depth)[i]} contains NaN or infinity")
    return xp, list(W), list(B), x, t


# ------------------------------------------------------------------ checkers, one per signature


def elementwise(name: str) -> Callable[..., tuple[Any, tuple, dict, bool]]:
    """The checker of a function of one array of any shape, or a number (handed back as a float)."""

    def check(value: Any) -> tuple[Any, tuple, dict, bool]:
        scalar = is_scalar(value)
        xp, value = arrays(**{name: value})
        return xp, (value,), {}, scalar

    return check


def outputs_and_targets(y: Any, t: Any) -> tuple[Any, tuple, dict, bool]:
    """``y`` and ``t`` of the same shape."""
    xp, y, t = arrays(y=y, t=t)
    same_shape(y=y, t=t)
    return xp, (y, t), {}, False


def finite_outputs_and_targets(y: Any, t: Any) -> tuple[Any, tuple, dict, bool]:
    """``y`` and ``t`` of the same shape, free of NaN and infinity (a loss)."""
    xp, (y, t), _, _ = outputs_and_targets(y, t)
    finite(xp, y=y, t=t)
    return xp, (y, t), {}, False


def logits_and_targets(a: Any, t: Any) -> tuple[Any, tuple, dict, bool]:
    """Output pre-activations ``a`` (one sample or a batch) and targets of its shape, all finite."""
    xp, a, t = arrays(a=a, t=t)
    ndim_in("a", a, (1, 2), "1-D (one sample) or 2-D (batch, outputs)")
    same_shape(a=a, t=t)
    finite(xp, a=a, t=t)
    return xp, (a, t), {}, False


def logits(a: Any) -> tuple[Any, tuple, dict, bool]:
    """One row of logits per sample, at least one class, all finite (softmax)."""
    xp, a = arrays(a=a)
    ndim_in("a", a, (1, 2), "1-D (one sample) or 2-D (batch, classes)")
    if a.shape[-1] == 0:
        raise ValueError(f"a has shape {tuple(a.shape)}: softmax needs at least one class")
    finite(xp, a=a)
    return xp, (a,), {}, False


def layer_input(x: Any, w: Any, b: Any) -> tuple[Any, tuple, dict, bool]:
    """A layer's input ``x``, weights ``w`` and biases ``b`` that fit together."""
    xp, x, w, b = arrays(x=x, w=w, b=b)
    ndim_in("w", w, (2,), "a 2-D array (inputs, outputs)")
    ndim_in("x", x, (1, 2), "1-D (one sample) or 2-D (batch, features)")
    if x.shape[-1] != w.shape[0] or tuple(b.shape) != (w.shape[1],):
        raise ValueError(
            f"x has shape {tuple(x.shape)}, w has shape {tuple(w.shape)} and b has shape "
            f"{tuple(b.shape)}: need x of width {w.shape[0]} and b of shape ({w.shape[1]},)"
        )
    return xp, (x, w, b), {}, False


def inputs_and_delta(inputs: Any, delta: Any) -> tuple[Any, tuple, dict, bool]:
    """A layer's inputs and deltas for the same samples."""
    xp, inputs, delta = arrays(inputs=inputs, delta=delta)
    ndim_in("inputs", inputs, (1, 2), ONE_OR_BATCH)
    if inputs.ndim != delta.ndim or inputs.shape[:-1] != delta.shape[:-1]:
        raise ValueError(
            f"inputs has shape {tuple(inputs.shape)} but delta has shape {tuple(delta.shape)}; "
            "they need the same number of samples"
        )
    return xp, (inputs, delta), {}, False


def delta_only(delta: Any) -> tuple[Any, tuple, dict, bool]:
    """A layer's deltas, one sample or a batch."""
    xp, delta = arrays(delta=delta)
    ndim_in("delta", delta, (1, 2), ONE_OR_BATCH)
    return xp, (delta,), {}, False


def delta_and_weights(delta: Any, u: Any) -> tuple[Any, tuple, dict, bool]:
    """The next layer's deltas and the weights that lead to it."""
    xp, delta, u = arrays(delta=delta, u=u)
    _delta_fits(delta, u)
    return xp, (delta, u), {}, False


def _delta_fits(delta: Any, u: Any) -> None:
    ndim_in("u", u, (2,), "a 2-D array (this layer's units, next layer's units)")
    ndim_in("delta", delta, (1, 2), ONE_OR_BATCH)
    if delta.shape[-1] != u.shape[1]:
        raise ValueError(
            f"delta has shape {tuple(delta.shape)} but u has shape {tuple(u.shape)}; "
            f"delta's last axis ({delta.shape[-1]}) must equal u's second axis ({u.shape[1]})"
        )


def hidden_layer(delta: Any, u: Any, h: Any) -> tuple[Any, tuple, dict, bool]:
    """The next layer's deltas, the weights that lead to it, and this layer's activations."""
    xp, delta, u, h = arrays(delta=delta, u=u, h=h)
    _delta_fits(delta, u)
    layer = (*delta.shape[:-1], u.shape[0])
    if tuple(h.shape) != layer:
        raise ValueError(
            f"h has shape {tuple(h.shape)} but delta has shape {tuple(delta.shape)} and u has "
            f"shape {tuple(u.shape)}, which give this layer shape {layer}"
        )
    return xp, (delta, u, h), {}, False


def step_of(param: Any, grad: Any, lr: Any) -> tuple[Any, tuple, dict, bool]:
    """A parameter (or a list of them), its gradient and a learning rate."""
    lr = learning_rate(lr)
    if isinstance(param, (list, tuple)):
        if not isinstance(grad, (list, tuple)) or len(grad) != len(param):
            raise ValueError("param is a list, so grad must be a list of the same length")
        checked = [step_of(p, g, lr) for p, g in zip(param, grad)]
        xp = checked[0][0] if checked else _np
        return xp, ([c[1][0] for c in checked], [c[1][1] for c in checked], lr), {}, False
    xp, param, grad = arrays(param=param, grad=grad)
    same_shape(param=param, grad=grad)
    return xp, (param, grad, lr), {}, False


def _with_targets(base: Callable, targets: Callable[[Any, Any], None]) -> Callable:
    def check(first: Any, t: Any) -> tuple[Any, tuple, dict, bool]:
        xp, (first, t), _, _ = base(first, t)
        targets(xp, t)
        return xp, (first, t), {}, False

    check.__doc__ = f"{base.__doc__.rstrip('.')}, and targets checked by ``{targets.__name__}``."
    return check


logits_and_distributions = _with_targets(logits_and_targets, distributions)
logits_and_probabilities = _with_targets(logits_and_targets, probabilities)
outputs_and_distributions = _with_targets(outputs_and_targets, distributions)
outputs_and_probabilities = _with_targets(outputs_and_targets, probabilities)


def scalar_function(f: Any) -> Callable[[Any], float]:
    """The user's ``f``, run as user code, whose value must be a real number; ``TypeError`` otherwise."""
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    run = outside(f)

    @functools.wraps(f)
    def value(theta: Any) -> float:
        got = run(theta)
        if isinstance(got, (bool, np.bool_)) or not (is_scalar(got) or _real_0d(got)):
            shape = getattr(got, "shape", None)
            what = f"of shape {tuple(shape)}" if shape is not None else repr(got)[:40]
            raise TypeError(
                f"f returned {type(got).__name__} {what}, but f must return a real number (the loss)"
            )
        return float(plain(got))

    return value


def _real_0d(value: Any) -> bool:
    if not _is_array(value) or tuple(value.shape) != ():
        return False
    xp = array_api_compat.array_namespace(value)
    return bool(xp.isdtype(value.dtype, ("real floating", "integral")))


def _flat(name: str, value: Any) -> list[Any]:
    parts = list(value) if isinstance(value, (list, tuple)) else [value]
    return [arrays(**{name: p})[1] for p in parts]  # None or text: a TypeError naming the argument


def two_gradients(a: Any, b: Any) -> tuple[Any, tuple, dict, bool]:
    """Two gradients (arrays, or lists of arrays) of one library with as many numbers each."""
    parts = {"a": _flat("a", a), "b": _flat("b", b)}
    named = {f"{n}[{i}]": p for n, ps in parts.items() for i, p in enumerate(ps)}
    xp = _namespace(named) if named else _np
    sizes = {n: sum(math.prod(p.shape) for p in ps) for n, ps in parts.items()}
    if sizes["a"] != sizes["b"]:
        raise ValueError(f"a has {sizes['a']} numbers but b has {sizes['b']}; they must match")
    return xp, (parts["a"], parts["b"]), {}, False


def integer(name: str, value: Any, minimum: int) -> int:
    """``value`` as a Python int, or an error naming ``name``: an integer (NumPy's too, not a
    bool) of at least ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def batch_of_samples(x: Any) -> None:
    """Raise ``ValueError`` unless ``x`` is a batch, one sample per row (mini-batches need rows)."""
    if x.ndim != 2:
        raise ValueError(f"batch_size needs a batch of samples, but x has shape {tuple(x.shape)}")
