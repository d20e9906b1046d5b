"""`costcalc simulate`: Monte Carlo over the scenario's uncertain inputs; percentiles, probabilities, break-even spread."""

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
)


class SimulateFormat(str, Enum):
    """Output formats of `costcalc simulate` (csv: one row per sample)."""

    table = "table"
    json = "json"
    csv = "csv"

    def render(self, sim: object, *, width: int = 120, color: bool = False) -> str:
        """Render a Simulation in this format."""
        from costcalc.render import simulate as r

        if self is SimulateFormat.table:
            return r.render_table(sim, width=width, color=color)
        return {"json": r.render_json, "csv": r.render_csv}[self.value](sim)


def register(app: typer.Typer) -> None:
    """Add the simulate command to the root app."""
    app.command(
        "simulate",
        help="Monte Carlo over uncertain inputs ({dist: triangular|normal|lognormal|uniform, ...} in place of a "
        "number, plus the throughput estimate's error band): P10/P50/P90 costs, the probability that "
        "self-hosting is cheaper, and the break-even's spread. Same --seed, same numbers.",
    )(simulate_command)


def simulate_command(
    scenario: ScenarioArg,
    samples: Annotated[int, typer.Option("--samples", "-n", metavar="N", help="number of samples")] = 10_000,
    seed: Annotated[
        int | None, typer.Option("--seed", metavar="N", help="random seed; the same seed gives the same numbers")
    ] = None,
    no_throughput_band: Annotated[
        bool,
        typer.Option("--no-throughput-band", help="keep estimated throughput fixed (ignore its error band)"),
    ] = False,
    format: Annotated[
        SimulateFormat | None,
        typer.Option("--format", "-f", help=FORMAT_HELP.format(default="table"), case_sensitive=False),
    ] = None,
    output: OutputOpt = None,
    set_: SetOpt = None,
    pricing: PricingOpt = None,
    pricing_lock: PricingLockOpt = None,
    allow_outside: AllowOutsideOpt = False,
    max_memory_mb: MaxMemoryOpt = None,
    today: TodayOpt = None,
    interpolate_lengths: Annotated[
        bool,
        typer.Option(
            "--interpolate-lengths",
            help="read capacity under the SLO between searches at request lengths 9% apart when one request length, or "
            "the input and output lengths together, are sampled: much faster, within 2.2% of a search on the shipped "
            "examples (3.6% for the two together), but a cost near a replica "
            "boundary can move by a replica; explore with it, quote report --set (it searches at each length)",
        ),
    ] = False,
) -> None:
    """Wiring only: parse → costcalc.analysis.simulate → render → write."""
    from costcalc.scenario.references import set_allow_outside

    set_allow_outside(allow_outside)
    from costcalc.analysis.budget import MemoryBudget
    from costcalc.analysis.simulate import simulate
    from costcalc.cli.options import terminal_width
    from costcalc.cli.output import check_writable, emit, to_stderr
    from costcalc.cli.progress import progress_bar
    from costcalc.render.simulate import render_bytes_per_point

    check_writable(output)
    format = pick_format(format, output, SimulateFormat.table)
    day = parse_day(today)
    with progress_bar("simulate", unit="samples") as progress:
        sim = simulate(
            scenario,
            samples=samples,
            seed=seed,
            throughput_band=not no_throughput_band,
            overrides=set_ or (),
            pricing_files=pricing or (),
            pricing_lock=pricing_lock,
            progress=progress,
            memory_budget=MemoryBudget(
                max_memory_mb, render_bytes_per_point(format.value), f"as {format.value}", RAISE_BUDGET
            ),
            today=day,
            interpolate_lengths=interpolate_lengths,
            notice=lambda line: to_stderr(f"note: {line}"),
        )
    color = format is SimulateFormat.table and output is None and sys.stdout.isatty()
    emit(format.render(sim, width=terminal_width(), color=color), output)
