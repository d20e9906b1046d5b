"""`costcalc sensitivity`: swing each numeric input ±delta and rank inputs by their effect on self-hosting's savings."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from costcalc.cli.formats import FORMAT_HELP, pick_format
from costcalc.cli.options import (
    AllowOutsideOpt,
    OutputOpt,
    PricingLockOpt,
    PricingOpt,
    ScenarioArg,
    SetOpt,
    TodayOpt,
    parse_day,
)


class SensitivityFormat(str, Enum):
    """Output formats of `costcalc sensitivity`."""

    table = "table"
    csv = "csv"
    json = "json"

    def render(self, frame: object, *, width: int = 120, color: bool = False) -> str:
        """Render a sensitivity DataFrame in this format."""
        from costcalc.render import sensitivity as r

        if self is SensitivityFormat.table:
            return r.render_table(frame, width=width, color=color)
        return {"csv": r.render_csv, "json": r.render_json}[self.value](frame)


def register(app: typer.Typer) -> None:
    """Add the sensitivity command to the root app."""
    app.command(
        "sensitivity",
        help="One-at-a-time swings of every numeric input (or --input PATH ...), ranked by their effect on what "
        "self-hosting saves accrued over the horizon (best API minus best self-hosted; bought hardware as "
        "depreciation, not up-front cash; a tornado table). Numbers move "
        "±delta, replicas ±1, GPUs per replica halve or double.",
    )(sensitivity_command)


def sensitivity_command(
    scenario: ScenarioArg,
    delta: Annotated[
        str, typer.Option("--delta", metavar="SHARE", help="swing of each input, e.g. 20% or 0.2")
    ] = "20%",
    input_: Annotated[
        list[str] | None,
        typer.Option("--input", metavar="PATH", help="only these inputs (PATH, repeatable); default all"),
    ] = None,
    format: Annotated[
        SensitivityFormat | None,
        typer.Option("--format", "-f", help=FORMAT_HELP.format(default="table"), case_sensitive=False),
    ] = None,
    output: OutputOpt = None,
    set_: SetOpt = None,
    pricing: PricingOpt = None,
    pricing_lock: PricingLockOpt = None,
    allow_outside: AllowOutsideOpt = False,
    today: TodayOpt = None,
) -> None:
    """Wiring only: parse → costcalc.analysis.sensitivity → render → write."""
    from costcalc.scenario.references import set_allow_outside

    set_allow_outside(allow_outside)
    from costcalc.analysis.sensitivity import sensitivity
    from costcalc.cli.options import terminal_width
    from costcalc.cli.output import check_writable, emit

    check_writable(output)
    format = pick_format(format, output, SensitivityFormat.table)
    day = parse_day(today)
    frame = sensitivity(
        scenario,
        delta=delta,
        inputs=input_ or None,
        overrides=set_ or (),
        pricing_files=pricing or (),
        pricing_lock=pricing_lock,
        today=day,
    )
    color = format is SensitivityFormat.table and output is None and sys.stdout.isatty()
    emit(format.render(frame, width=terminal_width(), color=color), output)
