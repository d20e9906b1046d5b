"""Helpers shared by the format parsers: typed field access, unit conversion, format errors."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal, overload

from costcalc.errors import ThroughputError
from costcalc.throughput.points import LatencyStats
from costcalc.units import MS_PER_S

# Time units the tools write next to their numbers, as milliseconds per unit.
MS_PER_UNIT = {
    "ns": 1e-6,
    "us": 1e-3,
    "µs": 1e-3,
    "ms": 1.0,
    "s": MS_PER_S,
    "sec": MS_PER_S,
    "secs": MS_PER_S,
    "seconds": MS_PER_S,
}


class FormatProblem(ValueError):
    """A recognised document lacks a field or has one of the wrong type (turned into ThroughputError)."""

    fix = "re-export it from the tool or fix the field"


class MissingField(FormatProblem):
    """A recognised document lacks a field its tool always writes."""

    fix = "re-export it from the tool (its complete result has the field) or add the field"

    def __init__(self, detail: str, *, fix: str | None = None) -> None:
        super().__init__(detail)
        if fix is not None:
            self.fix = fix


@overload
def number(value: Any, *, what: str, required: Literal[True]) -> float: ...
@overload
def number(value: Any, *, what: str, required: bool = False) -> float | None: ...
def number(value: Any, *, what: str, required: bool = False) -> float | None:
    """`value` as a float; None (or an error when required) for null, missing or "inf"."""
    if value is None or isinstance(value, bool):
        if required:
            raise MissingField(f"{what} is missing")
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise FormatProblem(f"{what} should be a number, found {value!r}") from None
    if not isinstance(value, (int, float)):
        raise FormatProblem(f"{what} should be a number, found {type(value).__name__}")
    result = float(value)
    if math.isnan(result) or math.isinf(result):
        if required:
            raise FormatProblem(f"{what} is not a finite number ({result})")
        return None
    return result


def count(value: Any, *, what: str) -> int | None:
    """A request count as int, or None when absent."""
    num = number(value, what=what)
    return None if num is None else round(num)


def mapping(value: Any, *, what: str) -> Mapping[str, Any]:
    """`value` when it is a JSON object, else a FormatProblem naming `what`."""
    if not isinstance(value, Mapping):
        raise FormatProblem(f"{what} should be an object, found {type(value).__name__}")
    return value


def dig(doc: Any, *path: str) -> Any:
    """doc[path[0]][path[1]]..., or None as soon as a level is missing or not an object."""
    for key in path:
        if not isinstance(doc, Mapping):
            return None
        doc = doc.get(key)
    return doc


def latency(values: Mapping[str, float | None], *, ms_per_unit: float = 1.0) -> LatencyStats:
    """LatencyStats from {'mean', 'p50', 'p90', 'p95', 'p99'} in some unit, converted to ms."""

    def conv(key: str) -> float | None:
        num = number(values.get(key), what=key)
        return None if num is None else num * ms_per_unit

    return LatencyStats(mean=conv("mean"), p50=conv("p50"), p90=conv("p90"), p95=conv("p95"), p99=conv("p99"))


def ms_per_unit(unit: Any, *, what: str) -> float:
    """Milliseconds per `unit` ('ms', 's', 'ns', ...); FormatProblem for an unknown unit."""
    if unit is None:
        return 1.0
    factor = MS_PER_UNIT.get(str(unit).strip().lower())
    if factor is None:
        raise FormatProblem(f"{what} has unit {unit!r}; expected one of {', '.join(MS_PER_UNIT)}")
    return factor


def mean_per_request(total: float | None, completed: int | None) -> float:
    """total / completed, or 0.0 when nothing completed (such a level is dropped later)."""
    if total is None or not completed:
        return 0.0
    return total / completed


def problem_to_error(source: str, tool_name: str, problem: FormatProblem) -> ThroughputError:
    """The user-facing error for a recognised but broken file."""
    return ThroughputError(
        f"looks like a {tool_name} result but {problem}; {problem.fix}",
        file=source,
    )
