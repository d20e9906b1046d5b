"""Broadcasting helpers of the engine: floats back for scalar inputs, a trailing axis for array fields."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

T = TypeVar("T")

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Floats = float | FloatArray  # a scalar, or one value per what-if point / candidate


def plain(x: Any) -> Any:
    """A 0-d result as a float (what scalar callers expect), an array result unchanged."""
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def with_trailing_axis(inputs: T) -> T:
    """A frozen dataclass whose array fields get a trailing axis, so they broadcast over a grid (..., K)."""
    arrays = {
        f.name: np.expand_dims(value, -1)
        for f in dataclasses.fields(inputs)  # type: ignore[arg-type]
        if isinstance(value := getattr(inputs, f.name), np.ndarray)
    }
    return dataclasses.replace(inputs, **arrays) if arrays else inputs  # type: ignore[type-var]


def rows_of(inputs: T, rows: slice, n: int) -> T:
    """A frozen dataclass whose array fields (one value per point, n points) are cut to `rows`."""
    arrays = {
        f.name: np.broadcast_to(value, (n,))[rows]
        for f in dataclasses.fields(inputs)  # type: ignore[arg-type]
        if isinstance(value := getattr(inputs, f.name), np.ndarray) and value.ndim > 0
    }
    return dataclasses.replace(inputs, **arrays) if arrays else inputs  # type: ignore[type-var]
