"""NumPy, PyTorch CPU tensors and array-api-strict behind one small interface.

array-api-strict implements the Array API standard and nothing else, so any call outside it
fails there; it also has extra devices, which show that nothing falls back to the default
one. Without PyTorch (it is in the ``bench`` extra) its tests skip with the reason, except
under ``CI=true``, where a missing library fails them.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np
import pytest

LIBRARIES = ["numpy", "torch", "array_api_strict"]
DTYPES = ["float64", "float32"]


@dataclass
class Library:
    """How to move NumPy test data into one array library and back."""

    name: str
    module: Any
    device: Any = None  # None: the library's default device

    def to(self, a: Any, dtype: str = "float64") -> Any:
        a = np.array(a, dtype=dtype)  # always a fresh copy: tests own their data
        if self.name == "numpy":
            return a
        if self.name == "torch":
            return self.module.from_numpy(a)
        return self.module.asarray(a, device=self.device)

    @property
    def xp(self) -> Any:
        return array_api_compat.array_namespace(self.to([0.0]))


def back(a: Any) -> np.ndarray:
    """Any library's array as a NumPy float64 array (DLPack: no library-specific code)."""
    if isinstance(a, (float, int, np.generic)):  # a NumPy loss comes back as a NumPy number
        return np.asarray(a, dtype=np.float64)
    if hasattr(a, "detach"):  # a tensor that requires grad
        a = a.detach()
    return np.asarray(np.from_dlpack(a), dtype=np.float64)


def view(a: Any) -> np.ndarray | None:
    """A NumPy view of an array's memory (DLPack), to ask what it shares; None for a number."""
    if isinstance(a, (float, int, np.generic)):
        return None
    return a if isinstance(a, np.ndarray) else np.from_dlpack(a)


def load(name: str) -> Any:
    """Import an array library, or skip (fail under CI=true) with the reason."""
    try:
        return importlib.import_module(name)
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"{name} is not installed but CI=true: .ci/run installs torch==2.13.0 and the test "
                "extra, so the Array API tests run on every library there",
                pytrace=False,
            )
        pytest.skip(
            f"{name} is not installed: the Array API tests on it are skipped "
            "(pip install -e '.[test,bench]' brings array-api-strict and torch==2.13.0)"
        )


def library(name: str) -> Library:
    return Library(name, load(name))


def assert_same_kind(result: Any, lib: Library, like: Any, dtype: str = "float64") -> None:
    """``result`` is an array of ``lib``, with ``like``'s device and the given dtype."""
    assert array_api_compat.array_namespace(result) is lib.xp, type(result)
    assert type(result) is type(like)
    assert array_api_compat.device(result) == array_api_compat.device(like)
    assert result.dtype == getattr(lib.xp, dtype)


def arrays_in(value: Any) -> list[Any]:
    """Every array inside a value, lists and tuples opened (a NamedTuple too)."""
    if isinstance(value, (list, tuple)):
        return [a for v in value for a in arrays_in(v)]
    return [value] if hasattr(value, "shape") and not isinstance(value, np.generic) else []
