"""Checks of the Python API's arguments (costcalc.api, PriceBook.load): each refusal is an InputError naming the
parameter (`overrides=`), which the command line says as its flag; a wrong type never reaches the code below."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from costcalc.errors import InputError
from costcalc.written_dates import date_hint

# what each list-of-strings parameter holds, for the error that a list of something else gets
TEXT_EXAMPLES = {
    "overrides": "['workload.requests_per_day=5000']",
    "pricing_files": "['prices.csv']",
    "user_files": "['prices.csv']",
    "vary": "['workload.requests_per_day=1000,2000'] or ['workload.requests_per_day=1e3:1e6:20:log']",
    "inputs": "['workload.requests_per_day'] (None: every numeric input)",
}


def texts(
    value: str | Path | Sequence[str | Path], param: str, *, empty: bool = True, paths: bool = False
) -> tuple[str, ...]:
    """A sequence of strings as a tuple; one string is one item (never its characters); with `paths`, a pathlib.Path
    counts as its string. Anything else (a number, a dict, a list holding numbers; an empty list where `empty` is
    False) is an InputError naming `param`."""
    example = TEXT_EXAMPLES[param]
    single = (str, Path) if paths else str
    items = (value,) if isinstance(value, single) else value
    if isinstance(items, (bytes, dict)) or not isinstance(items, Iterable):
        raise InputError(f"a list of strings such as {example}, not {kind(value)}", param=param)
    out: list[str] = []
    for item in items:
        if not isinstance(item, single):
            raise InputError(f"a list of strings such as {example}; it holds {kind(item)}", param=param)
        out.append(str(item))
    if not out and not empty:
        raise InputError(f"the list is empty; give e.g. {example}", param=param)
    return tuple(out)


def path(value: str | Path | None, param: str, what: str) -> str | None:
    """`value` as a path string (a str or a pathlib.Path; None stays None), else an InputError naming `param` that
    says what the file is (`what`: 'a usage YAML file')."""
    if value is None:
        return None
    if not isinstance(value, (str, Path)):
        raise InputError(f"a path to {what}, not {kind(value)}", param=param)
    return str(value)


def flag(value: bool, param: str) -> bool:
    """`value` when it is True or False, else an InputError naming `param`: 'no' or 0 would be taken as its truth."""
    if not isinstance(value, bool):
        raise InputError(f"True or False, not {kind(value)}", param=param)
    return value


def callback(value: Callable[[int, int], None] | None, param: str) -> Callable[[int, int], None] | None:
    """`value` when it is callable (or None), else an InputError naming `param`."""
    if value is not None and not callable(value):
        raise InputError(f"a function f(done, total) (or None), not {kind(value)}", param=param)
    return value


# The last day a report can be for: every month of the longest horizon (240 months, Scenario.horizon_months) from it
# is a date (Python's dates end with the year 9999); a later --today crashed counting the months' prices.
LATEST_DAY = dt.date(9979, 12, 31)


def too_late(value: dt.date) -> str | None:
    """Why `value` cannot be a report's day (its months would run past the last date), or None."""
    if value <= LATEST_DAY:
        return None
    return f"{value.isoformat()} is too far ahead: a report's months (up to 240) must end by the year 9999; give a day up to {LATEST_DAY.isoformat()}"


def day(value: dt.date | str | None, param: str = "today") -> dt.date | None:
    """`value` as a date: a datetime.date, a datetime (its date) or 'YYYY-MM-DD'; an InputError otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise InputError(f"{value!r} is not a date; {date_hint(value)}", param=param) from None
    elif not isinstance(value, dt.date):
        raise InputError(f"a date (datetime.date or 'YYYY-MM-DD'), not {type(value).__name__}", param=param)
    if (why := too_late(value)) is not None:
        raise InputError(why, param=param)
    return value


def kind(value: object) -> str:
    """'int 5', "str '5'", 'dict': what was passed, short."""
    name = type(value).__name__
    return f"{name} {value!r}" if isinstance(value, (int, float, str)) and len(repr(value)) <= 40 else name
