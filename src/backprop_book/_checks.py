"""Validation at the boundary: turn input into arrays once and name what is wrong.

Every public function passes its arguments through here before it computes
anything, so a bad shape is reported with the argument names and shapes
instead of being broadcast into a silently wrong answer.
"""

from __future__ import annotations

import math
from typing import Any

import array_api_compat
import numpy as np

_np = array_api_compat.array_namespace(np.empty(0))


def arrays(**named: Any) -> tuple[Any, ...]:
    """Return ``(xp, *arrays)``: the arrays' namespace and each argument as a float array.

    Arrays of any Array API library keep their library and device; Python
    numbers and lists become arrays of that library (NumPy when none is given).
    Integers and booleans become floats; anything else non-numeric is a
    ``TypeError`` naming the argument.
    """
    xp = _float_arrays(named.values())
    if xp is not None:
        return (xp, *named.values())  # the common case: nothing to convert
    given = [v for v in named.values() if _is_array(v)]
    xp = array_api_compat.array_namespace(*given) if given else _np
    floats = [v for v in given if xp.isdtype(v.dtype, "real floating")]
    for v in floats:
        try:
            _float_kinds[type(v), v.dtype] = xp  # next time, such arrays take the fast path
        except TypeError:  # an unhashable dtype: such arrays always take this path
            pass
    like = floats[0] if floats else None
    return (xp, *(_to_float(name, value, xp, like) for name, value in named.items()))


_float_kinds: dict[tuple[type, Any], Any] = {}  # (array type, real floating dtype) -> namespace


def _float_arrays(values: Any) -> Any:
    # The namespace if every value is a real floating array of one library seen before, else None.
    # Profiling showed array_namespace and isdtype on every call costing more than the math.
    xp = None
    for v in values:
        try:
            found = _float_kinds.get((type(v), v.dtype))
        except (AttributeError, TypeError):  # no dtype (a number, a list) or an unhashable one
            return None
        if found is None or (xp is not None and found is not xp):
            return None
        xp = found
    return xp


def _is_array(value: Any) -> bool:
    return type(value) is np.ndarray or (
        array_api_compat.is_array_api_obj(value) and not isinstance(value, np.generic)
    )


def _to_float(name: str, value: Any, xp: Any, like: Any) -> Any:
    if _is_array(value):
        if xp.isdtype(value.dtype, "real floating"):
            return value
        if xp.isdtype(value.dtype, ("integral", "bool")):
            dtype = like.dtype if like is not None else xp.float64
            return xp.astype(value, dtype)
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")
    try:
        value = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{name} is not a rectangular array: {error}") from None
    if value.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")
    if like is None:
        return value.astype(np.float64) if xp is _np else xp.asarray(value, dtype=xp.float64)
    return xp.asarray(value, dtype=like.dtype, device=array_api_compat.device(like))


def is_scalar(value: Any) -> bool:
    """True for a Python or NumPy number, whose result is handed back as a float."""
    return isinstance(value, (int, float, np.generic)) and not isinstance(value, bool)


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


def finite(xp: Any, **named: Any) -> None:
    """Raise ``ValueError`` if any named array holds NaN or infinity."""
    for name, a in named.items():
        if not _all_finite(xp, a):
            raise ValueError(f"{name} contains NaN or infinity")


def _all_finite(xp: Any, a: Any) -> bool:
    if type(a) is np.ndarray:  # the method skips np.all's dispatch: 1 us per small array
        return bool(np.isfinite(a).all())
    # NaN and infinities reach the sum, so a finite sum settles it in one reduction and no
    # temporary (4 us on a small tensor, 15 us for all(isfinite)); a sum that overflows (NumPy-
    # backed libraries warn about it) is checked in full
    return math.isfinite(float(xp.sum(a))) or bool(xp.all(xp.isfinite(a)))


def _network_names(depth: int) -> list[str]:
    return [*(f"weights[{l}]" for l in range(depth)), *(f"biases[{l}]" for l in range(depth)), "x", "t"]


def network(weights: Any, biases: Any, x: Any, t: Any = None) -> tuple[Any, ...]:
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
    given = [*weights, *biases, x] if t is None else [*weights, *biases, x, t]
    xp = _float_arrays(given)
    if xp is not None:  # nothing to convert, so no names to build
        converted = given
    else:
        xp, *converted = arrays(**dict(zip(_network_names(depth), given)))
    W, B = converted[:depth], converted[depth : 2 * depth]
    x = converted[2 * depth]
    t = converted[2 * depth + 1] if t is not None else None
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


def integer(name: str, value: Any, minimum: int) -> int:
    """``value`` as a Python int, or an error naming ``name``: an integer (NumPy's too, not a
    bool) of at least ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)
