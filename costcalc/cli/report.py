"""`costcalc report`: analyze a scenario and print or write the report in one format."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Optional

import typer

from costcalc.render import ReportFormat


def register(app: typer.Typer) -> None:
    """Add the report command to the root app."""
    app.command("report", help="Cost every option of a scenario: monthly cost, $/1M tokens, break-even, payback.")(
        report
    )


def report(
    scenario: Annotated[str, typer.Argument(help="scenario YAML file, or - for stdin")],
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="output format")] = ReportFormat.table,
    output: Annotated[Optional[str], typer.Option("-o", "--output", help="write to FILE (only on success)")] = None,
    set_: Annotated[
        Optional[list[str]], typer.Option("--set", help="override a scenario field: PATH=VALUE (repeatable)")
    ] = None,
    workload: Annotated[
        Optional[str], typer.Option("--workload", help="usage profile YAML replacing the scenario's workload")
    ] = None,
    pricing: Annotated[
        Optional[list[str]], typer.Option("--pricing", help="price table CSV layered over the shipped ones (repeatable)")
    ] = None,
    pricing_lock: Annotated[
        Optional[str], typer.Option("--pricing-lock", help="use exactly the prices of a `pricing lock` file")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="stale or missing prices are errors (exit 2)")] = False,
    today: Annotated[
        Optional[str], typer.Option("--today", help="date for staleness checks, YYYY-MM-DD (default: today)")
    ] = None,
) -> None:
    """Wiring only: load → analyze → render → write; warnings go to stderr."""
    from costcalc.api import analyze, load_scenario
    from costcalc.cli.output import check_writable, emit
    from costcalc.errors import PricingError

    check_writable(output)
    day = _parse_day(today)
    scenario_model = load_scenario(scenario, overrides=set_ or (), workload_file=workload)
    result = analyze(scenario_model, pricing_files=pricing or (), pricing_lock=pricing_lock, today=day)
    stale = [w for w in result.warnings if "older than" in w]
    if strict and stale:
        raise PricingError(f"--strict: {stale[0]}; refresh the prices or pass --pricing with newer rows")
    if format is ReportFormat.table:
        width = _terminal_width()
        text = format.render(result, width=width, color=output is None and sys.stdout.isatty())
    else:
        text = format.render(result)
    emit(text, output)
    for line in result.warnings:
        typer.echo(f"warning: {line}", err=True)


def _parse_day(text: str | None) -> dt.date | None:
    from costcalc.errors import InputError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date; use YYYY-MM-DD", field="--today") from None


def _terminal_width() -> int:
    import shutil

    return max(100, min(160, shutil.get_terminal_size((120, 40)).columns))
