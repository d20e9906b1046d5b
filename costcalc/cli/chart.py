"""`costcalc chart`: one chart of a scenario (break-even, cumulative, breakdown, tornado) as SVG or PNG for slides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from costcalc.cli.options import PricingOpt, ScenarioArg, SetOpt, TodayOpt, parse_day

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Tornado:
    """Rows (input, result at the low case, at the high case), the base result and what the result is."""

    rows: tuple[tuple[str, float, float], ...]
    base: float
    metric: str


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
        typer.Option("-o", "--output", help="FILE.svg or FILE.png (default: SVG on stdout)"),
    ] = None,
    set_: SetOpt = None,
    pricing: PricingOpt = None,
    today: TodayOpt = None,
) -> None:
    """Wiring only: load → analyze → curves → matplotlib → write."""
    from costcalc.analysis.run import analyze, analyze_with_curves
    from costcalc.cli.output import check_writable, emit
    from costcalc.errors import InputError
    from costcalc.scenario.loaders import load_scenario

    image_format = _image_format(output)
    check_writable(output)
    day = parse_day(today)
    if kind is ChartKind.tornado and not sensitivity_available():
        raise InputError(
            "the tornado chart needs costcalc.analysis.sensitivity, which this costcalc does not have; "
            "choose --kind breakeven, cumulative or breakdown",
            field="--kind",
        )
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise InputError("charts need matplotlib: pip install 'costcalc[chart]'", field="chart") from None
    model = load_scenario(scenario, overrides=set_ or ())
    curves = None
    if kind is ChartKind.breakeven:
        result, curves = analyze_with_curves(model, pricing_files=pricing or (), today=day)
    else:
        result = analyze(model, pricing_files=pricing or (), today=day)
    from costcalc.render import chart_mpl

    tornado = sensitivity_rows(scenario, set_ or (), pricing or ()) if kind is ChartKind.tornado else None
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


def sensitivity_available() -> bool:
    """True when the what-if module with one-at-a-time sensitivity is installed."""
    import importlib.util

    try:
        return importlib.util.find_spec("costcalc.analysis.sensitivity") is not None
    except ModuleNotFoundError:
        return False


TORNADO_ROWS = 10  # inputs shown in a tornado, largest swing first
METRIC_WORDS = {
    "self_hosted_savings": "self-hosting's monthly savings (best API minus best self-hosted)",
    "cheapest_monthly_cost": "the cheapest option's monthly cost",
}


def sensitivity_rows(
    scenario: str,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
) -> Tornado:
    """The tornado of a scenario: (input, result at its low case, at its high case) rows, base and metric."""
    from costcalc.analysis.sensitivity import sensitivity

    frame = sensitivity(scenario, overrides=overrides, pricing_files=pricing_files, pricing_lock=pricing_lock)
    rows = tuple(
        (str(r.input), float(r.metric_low), float(r.metric_high)) for r in frame.head(TORNADO_ROWS).itertuples()
    )
    metric = str(frame.attrs.get("metric", ""))
    return Tornado(rows, float(frame.attrs["base_metric"]), METRIC_WORDS.get(metric, metric.replace("_", " ")))
