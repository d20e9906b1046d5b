"""Counts and durations in words for messages: '1 price', '2 prices', '5,000,250', '2,870 ms' (one spelling each)."""

from __future__ import annotations

import math

WHOLE_MS_FROM = 100.0  # from this many milliseconds a duration is shown in whole ms; below it to 0.1 ms


def count(n: float) -> str:
    """A whole count as people read it, with thousands separators: count(5000250) is '5,000,250'."""
    return f"{n:,.0f}"


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
