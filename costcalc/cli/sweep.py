"""`costcalc sweep`: every combination of varied inputs, each option's monthly cost, the cheapest and break-even."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from costcalc.cli.formats import FORMAT_HELP, pick_format
from costcalc.cli.options import (
    RAISE_BUDGET,
    AllowOutsideOpt,
    MaxMemoryOpt,
    OutputOpt,
    PricingLockOpt,
    PricingOpt,
    ScenarioArg,
    SetOpt,
    TodayOpt,
    parse_day,
    terminal_width,
)
from costcalc.cli.progress import Update, progress_bar


class SweepFormat(str, Enum):
    """Output formats of `costcalc sweep`."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"

    def render(
        self, frame: object, *, width: int = 120, color: bool = False, progress: Update | None = None
    ) -> str | bytes:
        """Render a sweep DataFrame in this format (CSV reports rows written to `progress`)."""
        from costcalc.render import sweep as r

        if self is SweepFormat.table:
            return r.render_table(frame, width=width, color=color)
        if self is SweepFormat.csv:
            return r.render_csv(frame, progress=progress)
        return r.render_parquet(frame) if self is SweepFormat.parquet else r.render_json(frame)


def register(app: typer.Typer) -> None:
    """Add the sweep command to the root app."""
    app.command(
        "sweep",
        help="Vary inputs over a grid (--vary PATH=START:STOP[:STEPS][:log] or PATH=V1,V2): each option's cost, "
        "the cheapest and break-even at every combination; two inputs show a who-wins matrix.",
    )(sweep_command)


def check_binary_target(output: str | None) -> None:
    """Binary formats go to a file or a pipe, never to a terminal."""
    from costcalc.errors import InputError

    if output in (None, "-") and sys.stdout.isatty():
        raise InputError("parquet is binary; write it with -o FILE.parquet (or pipe it)", field="--format")


def sweep_command(
    scenario: ScenarioArg,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            metavar="PATH=RANGE",
            help="PATH=START:STOP[:STEPS][:log] or PATH=V1,V2,... (repeatable; first is outermost)",
        ),
    ] = None,
    format: Annotated[
        SweepFormat | None,
        typer.Option("--format", "-f", help=FORMAT_HELP.format(default="table"), case_sensitive=False),
    ] = None,
    output: OutputOpt = None,
    set_: SetOpt = None,
    pricing: PricingOpt = None,
    pricing_lock: PricingLockOpt = None,
    no_variants: Annotated[bool, typer.Option("--no-variants", help="ignore the scenario's variants:")] = False,
    allow_outside: AllowOutsideOpt = False,
    max_memory_mb: MaxMemoryOpt = None,
    today: TodayOpt = None,
    interpolate_lengths: Annotated[
        bool,
        typer.Option(
            "--interpolate-lengths",
            help="read capacity under the SLO between searches at request lengths 9% apart when one request length, or "
            "the input and output lengths together, are varied: much faster, within 2.2% of a search on the shipped "
            "examples (3.6% for the two together), but a cost near a replica "
            "boundary can move by a replica; explore with it, quote report --set (it searches at each length)",
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            help="processes for the points that each search a replica's capacity (a request length or GPU count "
            "varied): the same output, sooner where CPUs are free; default the usable CPUs, at most 8 (1 off Linux); "
            "1 runs in this process alone",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Wiring only: parse → costcalc.analysis.sweep → render → write."""
    from costcalc.scenario.references import set_allow_outside

    set_allow_outside(allow_outside)
    from costcalc.analysis.budget import MemoryBudget
    from costcalc.analysis.sweep import sweep
    from costcalc.cli.output import check_writable, emit, to_stderr
    from costcalc.render.sweep import render_bytes_per_point

    check_writable(output)
    format = pick_format(format, output, SweepFormat.table)
    day = parse_day(today)
    if format is SweepFormat.parquet:
        check_binary_target(output)
    with progress_bar("sweep", unit="points") as progress:
        frame = sweep(
            scenario,
            vary or (),
            overrides=set_ or (),
            pricing_files=pricing or (),
            pricing_lock=pricing_lock,
            variants=not no_variants,
            progress=progress,
            memory_budget=MemoryBudget(
                max_memory_mb, render_bytes_per_point(format.value), f"as {format.value}", RAISE_BUDGET
            ),
            today=day,
            interpolate_lengths=interpolate_lengths,
            notice=lambda line: to_stderr(f"note: {line}"),
            jobs=jobs,
        )
    for line in frame.attrs.get("warnings", ()):
        to_stderr(f"warning: {line}")
    color = format is SweepFormat.table and output is None and sys.stdout.isatty()
    with progress_bar(f"writing {format.value}", unit="rows") as progress:
        emit(format.render(frame, width=terminal_width(), color=color, progress=progress), output)
