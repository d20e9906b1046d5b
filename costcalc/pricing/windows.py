"""Time-of-day price windows ('mon-fri 01:00-04:00 06:00-10:00'): parse, print, and hours per week."""

from __future__ import annotations

import re
from dataclasses import dataclass

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
_DAYS = {"daily": tuple(range(7)), "mon-fri": tuple(range(5)), "sat-sun": (5, 6)}
_SPAN = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
FORMAT_HINT = "write e.g. 'mon-fri 01:00-04:00 06:00-10:00' or 'daily 00:30-16:30' (UTC, end exclusive)"


@dataclass(frozen=True)
class Windows:
    """Weekly UTC windows: the days they apply and (start, end) minutes after midnight; end may wrap."""

    days: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]

    def __str__(self) -> str:
        days = next(name for name, value in _DAYS.items() if value == self.days)
        return " ".join([days, *(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in self.spans)])

    def minute_mask(self) -> list[bool]:
        """One flag per minute of a UTC week (Monday 00:00 first): True inside a window."""
        mask = [False] * MINUTES_PER_WEEK
        for day in self.days:
            for start, end in self.spans:
                length = (end - start) % MINUTES_PER_DAY or MINUTES_PER_DAY
                for minute in range(start, start + length):
                    mask[(day * MINUTES_PER_DAY + minute) % MINUTES_PER_WEEK] = True
        return mask

    def hours_per_week(self) -> float:
        """Hours of a week inside the windows."""
        return sum(self.minute_mask()) / 60


def parse(text: str) -> Windows:
    """'mon-fri 01:00-04:00 06:00-10:00' → Windows; ValueError with the expected form otherwise."""
    parts = text.strip().lower().split()
    if len(parts) < 2 or parts[0] not in _DAYS:
        raise ValueError(f"{text!r} is not a window list; {FORMAT_HINT}")
    spans = []
    for part in parts[1:]:
        match = _SPAN.match(part)
        if not match:
            raise ValueError(f"{part!r} is not HH:MM-HH:MM; {FORMAT_HINT}")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2) or (h1 * 60 + m1) == (h2 * 60 + m2):
            raise ValueError(f"{part!r} is not a time span within a day; {FORMAT_HINT}")
        spans.append((h1 * 60 + m1, (h2 * 60 + m2) % MINUTES_PER_DAY))
    return Windows(_DAYS[parts[0]], tuple(sorted(spans)))


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
