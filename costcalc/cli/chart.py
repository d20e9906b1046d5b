"""`costcalc chart`: one chart of a scenario (break-even, cumulative, breakdown, tornado) as SVG or PNG for slides."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from costcalc.cli.formats import FORMAT_HELP, pick_format
from costcalc.cli.options import AllowOutsideOpt, PricingLockOpt, PricingOpt, ScenarioArg, SetOpt, TodayOpt, parse_day

if TYPE_CHECKING:
    pass


class ChartFormat(str, Enum):
    """File formats of `costcalc chart` (SVG needs nothing more; PNG needs the 'chart' extra, resvg-py)."""

    svg = "svg"
    png = "png"


class ChartKind(str, Enum):
    """Charts `costcalc chart` draws."""

    breakeven = "breakeven"
    cumulative = "cumulative"
    breakdown = "breakdown"
    tornado = "tornado"


def register(app: typer.Typer) -> None:
    """Add the chart command to the root app."""
    app.command(
        "chart",
        help="Draw one chart of a scenario for slides: the HTML report's SVG, as a standalone SVG or a PNG.",
    )(chart)


def chart(
    scenario: ScenarioArg,
    kind: Annotated[ChartKind, typer.Option("--kind", "-k", help="which chart")] = ChartKind.breakeven,
    format: Annotated[
        ChartFormat | None,
        typer.Option("--format", "-f", help=FORMAT_HELP.format(default="svg"), case_sensitive=False),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", metavar="FILE", help="FILE.svg or FILE.png (default: SVG on stdout)"),
    ] = None,
    set_: SetOpt = None,
    pricing: PricingOpt = None,
    pricing_lock: PricingLockOpt = None,
    today: TodayOpt = None,
    allow_outside: AllowOutsideOpt = False,
) -> None:
    """Wiring only: load → analyze → curves → render.chart → write."""
    from costcalc.scenario.references import set_allow_outside

    set_allow_outside(allow_outside)
    from costcalc.analysis.run import evaluate
    from costcalc.cli.output import check_writable, emit
    from costcalc.errors import InputError
    from costcalc.render import chart as chart_render
    from costcalc.resolve.book import PriceSource
    from costcalc.scenario.loaders import ScenarioSource

    image_format = _image_format(format, output)
    check_writable(output)
    day = parse_day(today)
    if image_format is ChartFormat.png:  # before the analysis, which takes seconds (a tornado tens of them)
        chart_render.require_png()
        if output in (None, "-") and sys.stdout.isatty():
            raise InputError("a PNG is binary; write it with -o FILE.png (or pipe it)", field="--format")
    source = ScenarioSource.load(scenario, overrides=set_ or ())
    prices = PriceSource(tuple(pricing or ()), pricing_lock, today=day)
    done = evaluate(source.build(), prices, today=day)
    result = done.result
    curves = done.curves() if kind is ChartKind.breakeven else None
    tornado = None
    if kind is ChartKind.tornado:
        from costcalc.analysis.sensitivity import tornado as sensitivity_tornado

        tornado = sensitivity_tornado(source, prices=prices, today=day)
    data = chart_render.render(result, kind=kind.value, image_format=image_format.value, curves=curves, tornado=tornado)
    emit(data, output)


def _image_format(given: ChartFormat | None, output: str | None) -> ChartFormat:
    """-f, else -o's extension (.svg or .png), else SVG."""
    from costcalc.errors import InputError

    if given is None and output not in (None, "-") and Path(output).suffix.lower() not in (".svg", ".png"):
        raise InputError(f"{output!r}: write a .svg or .png file", field="-o")
    return pick_format(given, output, ChartFormat.svg)
