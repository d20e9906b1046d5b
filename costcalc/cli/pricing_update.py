"""`costcalc pricing update|validate`: refresh API prices from a catalog; check a price file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from costcalc.cli.formats import FORMAT_HELP, pick_format
from costcalc.cli.options import OutputOpt
from costcalc.units import BYTES_PER_MB


class SourceChoice(str, Enum):
    """Public catalogs `pricing update` can read."""

    genai_prices = "genai-prices"
    litellm = "litellm"
    openrouter = "openrouter"


class DiffFormat(str, Enum):
    """Output formats of `pricing update`."""

    table = "table"
    json = "json"


class TableChoice(str, Enum):
    """Price tables a user file can be in the shape of."""

    api = "api"
    seats = "seats"
    rental = "rental"
    hardware = "hardware"
    datacenter = "datacenter"
    fx = "fx"


def register(pricing_app: typer.Typer) -> None:
    """Add `update` and `validate` to the `pricing` sub-app."""
    pricing_app.command(
        "update",
        help="Fetch the newest published prices (default: the latest genai-prices release), show what changed, "
        "and store them in the user cache, dated by the upstream (never by the download day).",
    )(_update)
    pricing_app.command(
        "validate",
        help="Check a user price file (CSV or YAML rows): schema, units, dates, duplicates, rows older than the"
        " table's limit. Without FILE, check the shipped tables against their recorded build dates"
        " (pricing/freshness.csv) and the rows allowed to lag (freshness-exceptions.csv).",
    )(_validate)


def _update(
    *,
    source: Annotated[
        SourceChoice, typer.Option(help="genai-prices: its newest release on the package index; or a catalog")
    ] = SourceChoice.genai_prices,
    url: Annotated[
        str | None, typer.Option(metavar="URL", help="fetch from this URL (a mirror) instead of the default")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="for a catalog with no dates (litellm, openrouter): the day its prices were checked",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="show the diff, write nothing")] = False,
    output_format: Annotated[
        DiffFormat | None,
        typer.Option("--format", "-f", help=FORMAT_HELP.format(default="table"), case_sensitive=False),
    ] = None,
    output: OutputOpt = None,
    timeout_s: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.001,
            metavar="SECONDS",
            help="seconds to wait for the server (connect and each read); the whole download stops after 4x this",
        ),
    ] = 30.0,
    tries: Annotated[
        int, typer.Option("--tries", min=1, metavar="N", help="attempts on network errors, 5xx and 429")
    ] = 3,
    backoff_s: Annotated[
        float,
        typer.Option("--backoff", min=0.0, metavar="SECONDS", help="seconds before the 2nd try; doubles after each"),
    ] = 1.0,
    max_mb: Annotated[
        float, typer.Option("--max-mb", min=0.001, metavar="MB", help="refuse bodies larger than this (MB)")
    ] = 64.0,
    min_rows: Annotated[
        int, typer.Option("--min-rows", min=1, metavar="N", help="refuse a first fetch that maps to fewer rows")
    ] = 20,
) -> None:

    from costcalc.cli.options import parse_day, terminal_width
    from costcalc.cli.output import check_writable, emit, stderr_console, to_stderr
    from costcalc.pricing.fetch import FetchConfig
    from costcalc.pricing.update import update
    from costcalc.render.pricing_diff import render_json, render_table

    check_writable(output)
    output_format = pick_format(output_format, output, DiffFormat.table)
    config = FetchConfig(
        connect_timeout_s=timeout_s,
        read_timeout_s=timeout_s,
        max_tries=tries,
        backoff_base_s=backoff_s,
        max_bytes=int(max_mb * BYTES_PER_MB),
    )
    day = parse_day(as_of, field="--as-of") if as_of else None
    err = stderr_console()
    with waiting(err, f"fetching {source.value} prices"):
        result = update(source.value, url, dry_run=dry_run, config=config, min_rows=min_rows, as_of=day)
    for warning in result.warnings:
        to_stderr(f"warning: {warning}")
    text = render_json(result) if output_format is DiffFormat.json else render_table(result, width=terminal_width())
    emit(text, output)


@contextlib.contextmanager
def waiting(console: Any, message: str) -> Iterator[None]:
    """A spinner on stderr while the block runs, only when stderr is a terminal (never in a pipe or log)."""
    if not console.is_terminal:
        yield
        return
    with console.status(message, spinner="dots"):
        yield


def _validate(
    file: Annotated[
        Path | None,
        typer.Argument(metavar="FILE", help="CSV in a price table's shape, or a YAML list of rows"),
    ] = None,
    *,
    table: Annotated[
        TableChoice | None,
        typer.Option(help="the table the file is in (default: detect from columns)"),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="DATE",
            help="the day FILE's dates are checked on, YYYY-MM-DD (default: today): an as_of after it is an error,"
            " one older than the table's limit stale (a CI job pins it as its reports' --today)",
        ),
    ] = None,
) -> None:
    from costcalc.cli.options import parse_day
    from costcalc.cli.output import to_stderr
    from costcalc.errors import InputError
    from costcalc.pricing.validate import validate_file

    day = parse_day(today)
    if file is None:
        if day is not None:
            raise InputError("the shipped tables are checked against their build dates; give a FILE", field="--today")
        _validate_shipped()
        return
    report = validate_file(str(file), table.value if table else None, today=day)
    for row in report.stale:
        to_stderr(
            f"warning: {report.file}:{row.line}: {row.id} as_of {row.as_of.isoformat()} is "
            f"{row.age_days} days old (stale after {row.limit_days}); recheck the source"
        )
    _echo_wrapped(report.summary())


def _echo_wrapped(line: str) -> None:
    """One summary line on stdout, wrapped at spaces to the terminal's width (continuation lines indented)."""
    from costcalc.cli.options import terminal_width
    from costcalc.cli.output import CONTINUED
    from costcalc.render.wrapping import wrap

    typer.echo("\n".join(wrap(line, terminal_width(), rest=CONTINUED)))


def _validate_shipped() -> None:
    """The shipped tables against their recorded build dates; the first problem is the error (exit 2)."""
    from costcalc.errors import PricingError
    from costcalc.pricing.freshness import check_shipped

    lines, problems = check_shipped()
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise PricingError(problems[0] + more)
    for line in lines:
        _echo_wrapped(f"ok: {line}")
