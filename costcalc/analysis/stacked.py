"""A what-if's resolutions that differ only in numbers, stacked into one whose numbers are arrays over the points.

A simulation of a sampled request length resolves the scenario once per sampled value: the request's length and each
estimated option's capacity differ between those resolutions, nothing else `vectorized.evaluate` reads. Stacked, each
number that differs is an array holding every point's own value, and one evaluation costs every point with the
engine's arithmetic, point by point as it costs one resolution's points (the engine broadcasts over array fields).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from costcalc.engine.arrays import IntArray
from costcalc.resolve.scenario import ResolvedApi, ResolvedOption, ResolvedScenario


class _Apart(Exception):
    """The resolutions differ in more than numbers the engine takes as arrays."""


def stacked(resolutions: Sequence[ResolvedScenario], of_point: IntArray) -> ResolvedScenario | None:
    """One resolution of the points whose own is resolutions[of_point[i]]: what they share as it is, each number that
    differs an array over the points. Only for `vectorized.evaluate` (an option's words, warnings and throughput are
    the first resolution's). None where they differ in more (the horizon, the volume, the options as written, a count,
    a word): each is then costed on its own."""
    first = resolutions[0]
    wl = first.workload
    for other in resolutions[1:]:
        if (
            other.scenario.horizon_months != first.scenario.horizon_months
            or other.workload.requests_per_month != wl.requests_per_month
            or other.workload.growth_per_month != wl.growth_per_month
            or len(other.options) != len(first.options)
        ):
            return None
    if any(other.scenario.options != first.scenario.options for other in resolutions[1:]):  # labour, seats
        return None
    try:
        shape = _stacked([r.shape for r in resolutions], of_point)
        options = tuple(_option([r.options[i] for r in resolutions], of_point) for i in range(len(first.options)))
    except _Apart:
        return None
    return dataclasses.replace(first, shape=shape, options=options)


def _option(column: list[ResolvedOption], of_point: IntArray) -> ResolvedOption:
    """One option of every resolution, its cost (and an API's month-by-month rates) stacked."""
    first = column[0]
    if any(o.name != first.name or type(o) is not type(first) for o in column):
        raise _Apart
    cost = _stacked([o.cost for o in column], of_point)
    if isinstance(first, ResolvedApi):
        months = _stacked([o.month_rates for o in column if isinstance(o, ResolvedApi)], of_point)
        return dataclasses.replace(first, cost=cost, month_rates=months)
    return dataclasses.replace(first, cost=cost)


def _stacked(column: list[Any], of_point: IntArray) -> Any:
    """The value every resolution has (the first's object), or the values stacked: numbers as an array over the
    points, arrays with a leading axis over them, dataclasses and tuples field by field."""
    first = column[0]
    if all(v is first for v in column):
        return first
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in column):
        if all(_same_number(v, first) for v in column):
            return first
        if not all(isinstance(v, float) for v in column):  # a count that differs: not an array the engine takes
            raise _Apart
        return np.asarray(column, dtype=float)[of_point]
    if all(isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.shape == first.shape for v in column):
        if all(np.array_equal(v, first) for v in column):
            return first
        return np.stack(column)[of_point]
    if dataclasses.is_dataclass(first) and not isinstance(first, type):
        if any(type(v) is not type(first) for v in column):
            raise _Apart
        changed = {}
        for f in dataclasses.fields(first):
            values = [getattr(v, f.name) for v in column]
            got = _stacked(values, of_point)
            if got is not values[0]:
                if not f.init:
                    raise _Apart
                changed[f.name] = got
        return dataclasses.replace(first, **changed) if changed else first
    if isinstance(first, tuple) and all(isinstance(v, tuple) and len(v) == len(first) for v in column):
        items = [_stacked([v[i] for v in column], of_point) for i in range(len(first))]
        if all(a is b for a, b in zip(items, first, strict=True)):
            return first
        if type(first) is not tuple:
            raise _Apart
        return tuple(items)
    if all(type(v) is type(first) and _equal(v, first) for v in column):
        return first
    raise _Apart


def _equal(a: object, b: object) -> bool:
    """a == b, where that is one truth value."""
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # an array-valued comparison
        return False


def _same_number(a: float, b: float) -> bool:
    """The same number, to the bit a calculation could tell (0.0 from -0.0, NaN as NaN)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b) and type(a) is type(b)
