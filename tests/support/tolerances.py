"""The tolerances of the test suite, in one table, and a context that makes float trouble an error.

Every comparison in the tests uses one of these numbers, so a reader sees in one place what
"agrees" means for each kind of reference.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Iterator

import numpy as np

# finite differences (Equation 10.1) against backprop: norm relative error (10.2), float64
FD = 1e-7
# reverse-mode autodiff (autograd) of an independent rewrite: norm relative error
AD = 1e-10
# the same computation on another array library, float64: norm relative error
SAME_MATH = 1e-13
# a float32 computation against the float64 one: norm relative error
FLOAT32 = 1e-5
# smallest gradient norm central differences resolve to FD: below it their noise
# (about 1e-11 absolute, the rounding of the loss over 2 eps) dominates
FLOOR = 1e-4
# ReLU pre-activations closer than this to 0 are kept out of finite-difference tests:
# a central difference with step 1e-5 could straddle the kink
KINK = 1e-3
# a hand computation in plain Python against the package: relative, per entry
BY_HAND = 1e-14


@contextlib.contextmanager
def no_float_trouble() -> Iterator[None]:
    """Make overflow, division by zero, invalid operations and any warning errors.

    Underflow stays allowed: ``sigmoid(-1000)`` is exactly 0.0 *because* e^-1000 underflows.
    """
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield
