"""The engine's broadcasting helpers: float arrays, safe division, slicing a dataclass's array fields."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from costcalc.engine.arrays import divide, floats, plain, replaced, rows_of, with_trailing_axis


@dataclasses.dataclass(frozen=True)
class Inputs:
    price: float | np.ndarray
    count: float | np.ndarray = 1.0
    label: str = "x"


def test_floats_are_float64() -> None:
    out = floats([1, 2])
    assert out.dtype == np.float64 and list(out) == [1.0, 2.0]


def test_divide_fills_where_the_denominator_is_zero_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = divide([1.0, 2.0, 0.0], [0.0, 4.0, 0.0], fill=7.0)
    assert list(out) == [7.0, 0.5, 7.0]
    assert divide(3.0, [1.0, 2.0], fill=0.0).tolist() == [3.0, 1.5]  # broadcast


def test_plain_gives_floats_for_scalars_and_keeps_arrays() -> None:
    assert plain(np.array(2.5)) == 2.5 and isinstance(plain(np.array(2.5)), float)
    assert isinstance(plain(np.array([1.0, 2.0])), np.ndarray)


def test_rows_of_cuts_array_fields_to_the_rows() -> None:
    inputs = Inputs(price=np.arange(6.0), count=np.array(3.0))
    cut = rows_of(inputs, slice(2, 4), 6)
    assert cut.price.tolist() == [2.0, 3.0]
    assert float(cut.count) == 3.0 and np.ndim(cut.count) == 0  # a 0-d array stays whole
    scalars = Inputs(price=1.0)
    assert rows_of(scalars, slice(0, 1), 6) is scalars
    broadcast = rows_of(Inputs(price=np.array([5.0])), slice(1, 3), 4)  # one value for every point
    assert broadcast.price.tolist() == [5.0, 5.0]


def test_replaced_and_trailing_axis() -> None:
    assert replaced(Inputs(price=1.0), {"price": 2.0, "count": 3.0}) == Inputs(price=2.0, count=3.0)
    grid = with_trailing_axis(Inputs(price=np.array([1.0, 2.0]), count=4.0))
    assert grid.price.shape == (2, 1) and grid.count == 4.0
    with pytest.raises(TypeError):
        replaced(Inputs(price=1.0), {"nope": 1.0})


def test_divide_broadcasts_either_side() -> None:
    # a (2, 3) numerator over one denominator, and one numerator over a (2, 3) denominator with a zero
    num = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(divide(num, 2.0, fill=-1.0), num / 2)
    den = np.array([[1.0, 0.0, 2.0], [4.0, 5.0, 0.0]])
    np.testing.assert_array_equal(divide(10.0, den, fill=-1.0), [[10.0, -1.0, 5.0], [2.5, 2.0, -1.0]])
