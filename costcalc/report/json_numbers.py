"""JSON numbers: a figure is written as a number or null, never as a word, and a null says why in a sibling
`<key>_is` (report and diff guardrails, diff's break-even and payback, simulate's break-even percentiles, sweep's
break-even columns)."""

from __future__ import annotations

import math

# why a figure is null; each infinity is compared with a limit as the infinity it stands for
NEVER = "never"  # no break-even / payback: +infinity
BECAME_NEVER = "became_never"  # a diff's change: HEAD never, BASE a value (+infinity)
NO_LONGER_NEVER = "no_longer_never"  # a diff's change: BASE never, HEAD a value (-infinity)
UP_FROM_ZERO = "up_from_zero"  # a diff's percent change from BASE zero to HEAD not zero (+infinity percent)
NOT_APPLICABLE = "not_applicable"  # the option has no such figure (an API's payback), or no option has the metric
ABSENT = "absent"  # a diff's option not on this side (added or removed)
WHY = (NEVER, BECAME_NEVER, NO_LONGER_NEVER, UP_FROM_ZERO, NOT_APPLICABLE, ABSENT)


def number(
    value: float | int | None, *, infinite: str = NEVER, minus_infinite: str | None = None, missing: str | None = None
) -> tuple[float | int | None, str | None]:
    """(the number or None, why it is None): an infinity is None and `infinite` (`minus_infinite` for -inf, when it
    differs), None and NaN are None and `missing`; a finite number is itself and None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, missing
    if isinstance(value, float) and math.isinf(value):
        return None, minus_infinite if value < 0 and minus_infinite is not None else infinite
    return value, None


def why_key(key: str) -> str:
    """The sibling that says why `key` is null: 'actual' -> 'actual_is'; a per-option column keeps its option last,
    as the sweep's other columns do: 'break_even_tokens_per_month[H100]' -> 'break_even_tokens_per_month_is[H100]'."""
    name, bracket, rest = key.partition("[")
    return f"{name}_is{bracket}{rest}"


def with_why(
    key: str, value: float | int | None, *, infinite: str = NEVER, missing: str | None = None
) -> dict[str, float | int | str | None]:
    """{key: number or null, why_key(key): why it is null, or null}: the two keys a JSON object carries for one
    figure."""
    found, reason = number(value, infinite=infinite, missing=missing)
    return {key: found, why_key(key): reason}


__all__ = [
    "ABSENT",
    "BECAME_NEVER",
    "NEVER",
    "NOT_APPLICABLE",
    "NO_LONGER_NEVER",
    "UP_FROM_ZERO",
    "WHY",
    "number",
    "why_key",
    "with_why",
]
