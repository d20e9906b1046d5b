"""`costcalc chart`: one chart of a scenario (break-even, cumulative, breakdown, tornado) as SVG or PNG for slides."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from costcalc.cli.options import PricingOpt, ScenarioArg, SetOpt, TodayOpt, parse_day

if TYPE_CHECKING:
    pass


class ChartKind(str, Enum):
    """Charts `costcalc chart` draws."""

    breakeven = "breakeven"
    cumulative = "cumulative"
    breakdown = "breakdown"
    tornado = "tornado"


def register(app: typer.Typer) -> None:
    """Add the chart command to the root app."""
    app.command("chart", help="Draw one chart of a scenario with matplotlib (SVG or PNG, for slides).")(chart)


def chart(
    scenario: ScenarioArg,
    kind: Annotated[ChartKind, typer.Option("--kind", "-k", help="which chart")] = ChartKind.breakeven,
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", metavar="FILE", help="FILE.svg or FILE.png (default: SVG on stdout)"),
    ] = None,
    set_: SetOpt = None,
    pricing: PricingOpt = None,
    today: TodayOpt = None,
) -> None:
    """Wiring only: load → analyze → curves → matplotlib → write."""
    from costcalc.analysis.run import evaluate
    from costcalc.cli.output import check_writable, emit
    from costcalc.errors import InputError
    from costcalc.resolve.book import PriceSource
    from costcalc.scenario.loaders import ScenarioSource

    image_format = _image_format(output)
    check_writable(output)
    day = parse_day(today)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise InputError("charts need matplotlib: pip install 'costcalc[chart]'", field="chart") from None
    source = ScenarioSource.load(scenario, overrides=set_ or ())
    prices = PriceSource(tuple(pricing or ()))
    done = evaluate(source.build(), prices, today=day)
    result = done.result
    curves = done.curves() if kind is ChartKind.breakeven else None
    from costcalc.render import chart_mpl

    tornado = None
    if kind is ChartKind.tornado:
        from costcalc.analysis.sensitivity import tornado as sensitivity_tornado

        tornado = sensitivity_tornado(source, prices=prices)
    data = chart_mpl.render(result, kind=kind.value, image_format=image_format, curves=curves, tornado=tornado)
    emit(data, output)


def _image_format(output: str | None) -> str:
    from costcalc.errors import InputError

    if output in (None, "-"):
        return "svg"
    suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
    if suffix not in ("svg", "png"):
        raise InputError(f"{output!r}: write a .svg or .png file", field="-o")
    return suffix
