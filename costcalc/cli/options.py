"""Options shared by the commands that read a scenario: one definition each, so help texts never drift."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

ScenarioArg = Annotated[str, typer.Argument(help="scenario YAML file, or - for stdin")]
OutputOpt = Annotated[str | None, typer.Option("-o", "--output", help="write to FILE (only on success)")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="override a scenario field: PATH=VALUE (repeatable)")]
PricingOpt = Annotated[
    list[str] | None,
    typer.Option("--pricing", help="price table CSV or YAML layered over the shipped ones (repeatable)"),
]
PricingLockOpt = Annotated[
    str | None, typer.Option("--pricing-lock", help="use exactly the prices of a `pricing lock` file")
]
TodayOpt = Annotated[str | None, typer.Option("--today", help="date for staleness checks, YYYY-MM-DD (default: today)")]


def parse_day(text: str | None, *, field: str = "--today") -> dt.date | None:
    """A YYYY-MM-DD option's value as a date (None when not given)."""
    from costcalc.errors import InputError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date; use YYYY-MM-DD", field=field) from None


def terminal_width() -> int:
    """Width for tables: the terminal's, within 100..160 columns."""
    import shutil

    return max(100, min(160, shutil.get_terminal_size((120, 40)).columns))
