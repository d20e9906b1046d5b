"""Broadcasting helpers of the engine: floats back for scalar inputs, a trailing axis for array fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
D = TypeVar("D", bound="DataclassInstance")

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
Floats = float | FloatArray  # a scalar, or one value per what-if point / candidate


def floats(x: ArrayLike) -> FloatArray:
    """x as a float64 array (no copy when it already is one)."""
    return np.asarray(x, dtype=np.float64)


def divide(numerator: ArrayLike, denominator: ArrayLike, *, fill: float) -> FloatArray:
    """numerator / denominator, broadcast; `fill` where the denominator is 0 (no warning, no inf or NaN)."""
    num, den = floats(numerator), floats(denominator)
    out = np.full(np.broadcast_shapes(num.shape, den.shape), fill)
    np.divide(num, den, out=out, where=den != 0)
    return out


def plain(x: ArrayLike) -> Floats:
    """A 0-d result as a float (what scalar callers expect), an array result unchanged."""
    arr = floats(x)
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


def replaced(inputs: D, changes: Mapping[str, Any]) -> D:
    """dataclasses.replace with field values from a mapping (numeric fields, scalars or one value per point)."""
    return dataclasses.replace(inputs, **changes)
