"""Options shared by the commands that read a scenario: one definition each, so help texts never drift."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

ScenarioArg = Annotated[str, typer.Argument(metavar="SCENARIO", help="scenario YAML file, or - for stdin")]
OutputOpt = Annotated[
    str | None,
    typer.Option("-o", "--output", metavar="FILE", help="write to FILE (only on success); its extension picks -f"),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", metavar="PATH=VALUE", help="override a scenario field, e.g. workload.users=500 (repeatable)"),
]
WorkloadOpt = Annotated[
    str | None,
    typer.Option("--workload", metavar="FILE", help="usage profile YAML replacing the scenario's workload"),
]
PricingOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--pricing", metavar="FILE", help="price table CSV or YAML layered over the shipped ones (repeatable)"
    ),
]
PricingLockOpt = Annotated[
    str | None,
    typer.Option("--pricing-lock", metavar="FILE", help="use exactly the prices of a `pricing lock` file"),
]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="DATE",
        help="the day the report is for, YYYY-MM-DD (default: today): prices valid then, scheduled changes "
        "month by month from then, staleness",
    ),
]
PricesOnOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="DATE",
        help="the day to list prices for, YYYY-MM-DD (default: today): the rows a report with the same --today uses",
    ),
]
AllowOutsideOpt = Annotated[
    bool,
    typer.Option(
        "--allow-outside",
        help="let the scenario's file references (workload, hardware, measured) leave its folder; only for scenarios you trust",
    ),
]


def parse_day(text: str | None, *, field: str = "--today") -> dt.date | None:
    """A YYYY-MM-DD option's value as a date (None when not given)."""
    from costcalc.errors import InputError
    from costcalc.params import too_late
    from costcalc.written_dates import date_hint

    if text is None:
        return None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date; {date_hint(text)}", field=field) from None
    if (why := too_late(value)) is not None:
        raise InputError(why, field=field)
    return value


def terminal_width() -> int:
    """Width for tables and text: $COLUMNS, else the terminal's, else 120 (when piped); never under 40."""
    import shutil

    from costcalc.render.layout import MIN_WIDTH

    return max(MIN_WIDTH, shutil.get_terminal_size((120, 40)).columns)


RAISE_BUDGET = "--max-memory-mb / $COSTCALC_MAX_MEMORY_MB"  # how a refusal of the memory budget says to raise it


def _positive_mb(value: float | None) -> float | None:
    """--max-memory-mb as given, refused unless a finite number of MB above 0."""
    import math

    from costcalc.errors import InputError

    if value is not None and not (math.isfinite(value) and value > 0):
        raise InputError(f"{value:g} is no memory budget; give megabytes above 0, e.g. 4096", field="--max-memory-mb")
    return value


MaxMemoryOpt = Annotated[
    float | None,
    typer.Option(
        "--max-memory-mb",
        metavar="MB",
        help="refuse a run whose estimated memory is larger (default $COSTCALC_MAX_MEMORY_MB, else 2048)",
        callback=_positive_mb,
    ),
]
