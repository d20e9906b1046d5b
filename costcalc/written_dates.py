"""A date written another way ('2026/08/01', 20260801, '13.08.2026') and the YYYY-MM-DD it means, for error hints."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

ISO_EXAMPLE = "2026-08-01"  # shown when the date meant cannot be told
_PARTS = re.compile(r"\s*(\d{1,4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,4})\s*")
_COMPACT = re.compile(r"\s*(\d{4})(\d{2})(\d{2})\s*")  # 20260801, as a number or text


def date_hint(value: Any) -> str:
    """How to write `value` (refused where a date belongs) as YYYY-MM-DD: 'did you mean 2026-08-01?' where the order
    of its parts is certain ('2026/8/1', 20260801, '13/08/2026', a date and a time); '2026-12-01 or 2026-01-12?' for
    '12/01/2026'; 'the calendar has no such day' for '2026-02-30'; else an example."""
    meant = meant_dates(value)
    if len(meant) == 1:
        return f"write the date as YYYY-MM-DD: did you mean {meant[0].isoformat()}?"
    if len(meant) == 2:
        return f"write the date as YYYY-MM-DD: {meant[0].isoformat()} or {meant[1].isoformat()}?"
    if _year_first(value):  # the form is right, the calendar has no such day
        return "the calendar has no such day: check the month and the day"
    return f"write the date as YYYY-MM-DD, e.g. {ISO_EXAMPLE}"


def meant_dates(value: Any) -> tuple[dt.date, ...]:
    """The dates `value` can mean: one, two (its day and month could be swapped: '12/01/2026'), or none."""
    if isinstance(value, dt.datetime):
        return (value.date(),)
    if isinstance(value, bool) or not isinstance(value, int | str):
        return ()
    if (compact := _COMPACT.fullmatch(str(value))) is not None:
        year, month, day = compact.groups()
        return _dates(((year, month, day),))
    parts = _PARTS.fullmatch(value) if isinstance(value, str) else None
    if parts is None:
        return ()
    first, second, third = parts.groups()
    if len(first) == 4:  # year first: 2026/08/01, 2026.8.1
        return _dates(((first, second, third),))
    if len(third) != 4:  # a two-digit year: which century, and which part is the year?
        return ()
    return _dates(((third, first, second), (third, second, first)))  # month first, then day first


def _year_first(value: Any) -> bool:
    parts = _PARTS.fullmatch(value) if isinstance(value, str) else None
    return parts is not None and len(parts.group(1)) == 4


def _dates(candidates: tuple[tuple[str, str, str], ...]) -> tuple[dt.date, ...]:
    """The real dates among (year, month, day) texts, each once, in order."""
    found: list[dt.date] = []
    for year, month, day in candidates:
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
        if date not in found:
            found.append(date)
    return tuple(found)
