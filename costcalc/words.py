"""Counts, token volumes and durations in words: '2 prices', '5,000,250', '1.2B', '2,870 ms' (one spelling each)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext

WHOLE_MS_FROM = 100.0  # from this many milliseconds a duration is shown in whole ms; below it to 0.1 ms


def half_up(x: float, places: int) -> float:
    """`x` rounded to `places` decimals as a person rounds the decimal it is written as, halves away from zero: 1.095
    to 2 places is 1.1 (Python's round and format give 1.09, from the binary 1.09499...), 232.5 to 0 places 233."""
    if not math.isfinite(x):
        return x
    written = Decimal(repr(float(x)))  # a numpy float reprs as np.float64(...)
    with localcontext(prec=max(28, written.adjusted() + places + 2)):
        return float(written.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def half_up_significant(x: float, digits: int) -> float:
    """`x` rounded to `digits` significant digits as half_up rounds: 1.095 to 3 is 1.1, 2.28125 is 2.28."""
    if x == 0 or not math.isfinite(x):
        return x
    return half_up(x, digits - 1 - Decimal(repr(float(x))).adjusted())


MOST_TRILLIONS = 10_000  # from 10,000T a volume or an amount is written with its power of ten: 3.04e18, not 3,040,000T


def power_of_ten(x: float) -> str:
    """A magnitude past the named sizes in three significant digits and its power of ten: '3.04e18', '1e18' (never
    '3.04e+18', nor '3,040,000T')."""
    q = Decimal(repr(half_up_significant(abs(float(x)), 3)))
    mantissa = q.scaleb(-q.adjusted()).normalize()
    return f"{'-' if x < 0 else ''}{mantissa:f}e{q.adjusted()}"


def tokens(count: float) -> str:
    """Token volume in words: 1.2B, 350M, 12k, 2,500T; past 10,000T with its power of ten (3.04e18); below one token
    in three significant digits (0.06, never 0)."""
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(count) >= scale:
            q = half_up_significant(count / scale, 3)
            if unit == "T" and abs(q) >= MOST_TRILLIONS:
                return power_of_ten(count)
            return f"{q:,.0f}{unit}" if abs(q) >= 999.5 else f"{q:,.3g}{unit}"  # never "1e+03T"
    if 0 < abs(count) < 1:  # a chart's volume ticks below one token read '0.05 0.1 0.2 0.5 1', not '0 0 0 0 1'
        return fractional_count(count)
    return f"{count:,.0f}"


def count(n: float) -> str:
    """A whole count as people read it, with thousands separators: count(5000250) is '5,000,250'."""
    return f"{n:,.0f}"


def fractional_count(n: float) -> str:
    """A count that may hold a fraction (a usage cap's requests a month, derived from a weekly or hourly one), shown
    so its value reads: 40,000 and 9,733.3 as '40,000' and '9,733', below 100 three significant digits without
    trailing zeros: 43.45 as '43.5', 2 as '2', 0.5 as '0.5' (count() says '0'), 0.00012 as '0.00012'."""
    if abs(n) >= 100 or n == int(n):
        return count(n)
    shown = half_up_significant(n, 3)
    return f"{Decimal(repr(shown)).normalize():f}"


def counted(n: float, noun: str, plural: str | None = None) -> str:
    """`n` and the noun in its number as shown: counted(1, 'price') is '1 price', counted(2, 'price') '2 prices'."""
    shown = count(n)
    word = noun if shown == "1" else (plural or f"{noun}s")
    return f"{shown} {word}"


def milliseconds(ms: float) -> str:
    """A duration in ms, one spelling everywhere: '2,870 ms' and '3,000 ms' (whole from 100 ms), '33.3 ms', '50 ms'
    and '0.8 ms' below (one decimal, none where it is 0: a target given as 50 reads as given); 'inf ms' for a
    latency that never comes (a configuration that does not fit)."""
    if not math.isfinite(ms):
        return f"{ms} ms"
    if round(abs(ms), 1) >= WHOLE_MS_FROM:
        return f"{ms:,.0f} ms"
    return f"{ms:.1f}".replace("-0.0", "0.0").removesuffix(".0") + " ms"
