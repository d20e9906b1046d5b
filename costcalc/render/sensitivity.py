"""Sensitivity results as a tornado table (text bars, framed as what self-hosting saves), CSV or JSON; no I/O."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from costcalc.render.escape import csv_frame
from costcalc.render.layout import GAP, Column, linked_note
from costcalc.render.numbers import money, rounded, short_money
from costcalc.report.money_words import money_each, percent
from costcalc.words import counted

BAR_WIDTH = 24  # characters for the largest swing
MIN_SWING = 0.5  # a swing under half a currency unit changes nothing worth a row
SAVINGS = "self_hosted_savings_over_horizon"
CENT = 0.01  # a price below it reads '$0.00' in money's two decimals
SHARE_FIELDS = frozenset({"growth_per_month", "discount", "cost_of_capital_per_year"})  # shares not named *_share
INPUT_WRAP = 38  # an input's name wraps here when the terminal is wide enough
MIN_INPUT_WRAP = 24  # and no narrower than this to keep the low and high values beside it


def input_value(x: float) -> str:
    """An input's value for the table: '0.5276', '32,000', and from a million on in words ('24B', not
    '24,000,000,000', so the low and high values fit beside the input at 80 columns); CSV and JSON keep every digit."""
    if isinstance(x, float) and math.isnan(x):
        return "-"
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6)):
        if abs(x) >= scale:
            return f"{x / scale:,.4g}{unit}"
    return f"{x:,.0f}" if abs(x) >= 10_000 else f"{x:,.4g}"


def input_values(values: Sequence[float], path: str = "") -> list[str]:
    """One input's values (its low and high, or its P10, P50 and P90) in the unit its field's name gives: a price in USD
    as money, apart where two that differ would read the same ('$3.43', '$0.08'), a share as a percentage ('24%'), an
    estimate's throughput scale as a factor ('0.79x'); any other number as input_value writes it ('5.148' read as a
    price per hour, '0.24' as a share, before). CSV and JSON keep every digit."""
    field = path.rsplit(".", 1)[-1]
    known = [x for x in values if not math.isnan(x)]
    if "usd" in field.split("_"):
        texts = _usd(known)
    elif field.endswith("_share") or field in SHARE_FIELDS:
        texts = [percent(x) for x in known]
    elif field == "scale":
        texts = [f"{x:.2f}x" for x in known]
    else:
        return [input_value(x) for x in values]
    said = iter(texts)
    return ["-" if math.isnan(x) else next(said) for x in values]


def _usd(amounts: list[float]) -> list[str]:
    """Prices in USD as money_each writes them ('$3.43', '$144'), whole where every one is whole ('$96', not '$96.00'
    beside '$144'), and with two significant digits of the smallest where one is under a cent ('$0.0048', not
    '$0.00'; '$0.008', its trailing zero dropped)."""
    tiny = [abs(x) for x in amounts if 0 < abs(x) < CENT]
    if tiny:
        places = 1 - math.floor(math.log10(min(tiny)))
        return [money(x, "USD", decimals=places).rstrip("0").rstrip(".") for x in amounts]  # '$0.008', not '$0.0080'
    if all(float(x).is_integer() for x in amounts):
        return [money(x, "USD", decimals=0) for x in amounts]
    return money_each(amounts, "USD")


def outcome(value: float, metric: str, currency: str) -> str:
    """The metric in words: 'saves $12.3k', 'costs $4.1k more' (self-hosting), or the cheapest option's cost."""
    if metric != SAVINGS:
        return short_money(value, currency)
    if abs(value) < 0.5:
        return "breaks even"
    return f"saves {short_money(value, currency)}" if value > 0 else f"costs {short_money(-value, currency)} more"


def render_table(frame: Any, *, width: int = 120, color: bool = False, limit: int = 30) -> str:
    """A tornado fitted to `width`: each input in words, its low and high value, what self-hosting saves (or costs
    more) over the horizon there, bars scaled to the largest swing."""
    from costcalc.analysis.sensitivity import metric_words
    from costcalc.render.layout import render

    base = frame.attrs.get("base_metric", 0.0)
    cur = frame.attrs.get("currency", "USD")
    name = frame.attrs.get("metric", "")
    months = int(frame.attrs.get("horizon_months", 0))
    growth = float(frame.attrs.get("growth_per_month", 0.0))
    accrued = f"Accrued over {counted(months, 'month')} at {growth:.1%} growth a month"
    if name == SAVINGS:
        head = f"{accrued}, self-hosting {outcome(base, name, cur)}"
    else:
        head = f"{accrued}, the cheapest option costs {money(base, cur)}"
    lines = [
        head + ".",
        f"Sensitivity of {metric_words(name, months)}: each number ±{frame.attrs.get('delta', 0):.0%},"
        " replicas ±1, GPUs per replica halved or doubled, an estimated throughput across the range its estimate"
        " allows (9 in 10).",
        "Accrued: bought hardware counts as depreciation over its life, not up-front cash (the report's Cash column).",
    ]
    moving = frame[frame["swing"] > MIN_SWING]
    shown = moving.head(limit)
    top = float(frame["swing"].max()) if len(frame) else 0.0
    ends = Column(
        "Low → high",
        [" → ".join(input_values((r.low, r.high), r.input)) for r in shown.itertuples()],
        kind="number",
        drop=1,
    )
    at_low = Column("At low", [outcome(r.metric_low, name, cur) for r in shown.itertuples()], kind="number")
    at_high = Column("At high", [outcome(r.metric_high, name, cur) for r in shown.itertuples()], kind="number")
    columns = [
        Column(
            "Input",
            [str(r.label) for r in shown.itertuples()],
            kind="text",
            wrap_at=_input_wrap(width, ends, at_low, at_high),
        ),
        ends,
        at_low,
        at_high,
        # the swing is the distance between the two ends' outcomes: it gives way before the values it follows from
        Column("Swing", [short_money(r.swing, cur) for r in shown.itertuples()], kind="number", drop=2),
        Column(
            "Effect (low | high)",
            [_bar(r.metric_low - base, r.metric_high - base, top) for r in shown.itertuples()],
            kind="id",
            drop=3,
        ),
    ]
    text = (
        "\n".join(wrap(line, width) for line in lines)
        + "\n"
        + render(columns, width, color=color, elsewhere="as do --format csv and json")
    )
    if len(moving) > limit:
        text += f"{len(moving) - limit} smaller swings not shown; --format csv lists all\n"
    if len(frame) > len(moving):
        text += wrap(f"{len(frame) - len(moving)} inputs change nothing here; --format csv lists them.", width) + "\n"
    for line in frame.attrs.get("skipped", []):
        text += linked_note(f"skipped: {line}", width, color=color)  # a source's URL links whole on a terminal
    for line in frame.attrs.get("limited", []):
        text += linked_note(f"limited: {line}", width, color=color)
    for line in frame.attrs.get("notes", []):
        text += linked_note(f"note: {line}", width, color=color, rest="  ")
    return text


def _input_wrap(width: int, *beside: Column) -> int:
    """Where the input's name wraps: at INPUT_WRAP, or narrower (down to MIN_INPUT_WRAP) where that leaves room for
    the input's low and high values and the outcome at each beside it (an 80-column terminal)."""
    room = width - sum(c.widest for c in beside) - GAP * len(beside)
    return max(MIN_INPUT_WRAP, min(INPUT_WRAP, room))


def wrap(text: str, width: int) -> str:
    """Text wrapped at spaces to `width` (never inside an id; a source's URL longer than a line folded after a '/')."""
    from costcalc.render.wrapping import wrap as wrapped

    return "\n".join(wrapped(text, width))


def _bar(low: float, high: float, top: float) -> str:
    """Two bars around the base: the effect at the low value, then at the high value (+ more saved, − less)."""

    def cells(x: float) -> int:
        return 0 if top <= 0 else round(abs(x) / top * BAR_WIDTH / 2)

    def one(x: float) -> str:
        mark = "+" if x > 0 else "−"
        return mark + "█" * cells(x) if cells(x) else "·"

    return f"{one(low)} | {one(high)}"


def render_csv(frame: Any) -> str:
    """Every input, full precision."""
    safe: Any = csv_frame(frame)
    text: str = safe.to_csv(index=False, lineterminator="\n")
    return text


def render_json(frame: Any) -> str:
    """{'schema_version', 'kind': 'sensitivity', 'metric', 'metric_basis', 'base_metric', 'delta', 'inputs': [...],
    'skipped', 'limited', 'notes'}."""
    rows = [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
        for rec in frame.to_dict(orient="records")
    ]
    doc = {
        # 1.1: metrics over the horizon, inputs carry a label in words; 1.2: metric_basis; 1.3: limited (ends moved as
        # far as another input allows, listed apart from skipped ends); 1.4: an estimated throughput's ends are its
        # actual range (costcalc/bands.py), inputs carry range_source (held_out_band, published_runs, architecture_runs or null);
        # 1.5: notes (where an estimated throughput's own published runs lie beyond the range swung, in report's words)
        "schema_version": "1.5",
        "kind": "sensitivity",
        "metric": frame.attrs.get("metric"),
        "metric_basis": "accrual",  # horizon totals as accrued: bought hardware as depreciation, not up-front cash
        "base_metric": frame.attrs.get("base_metric"),
        "delta": frame.attrs.get("delta"),
        "currency": frame.attrs.get("currency", "USD"),
        "horizon_months": frame.attrs.get("horizon_months"),
        "growth_per_month": frame.attrs.get("growth_per_month"),
        "inputs": rows,
        "skipped": list(frame.attrs.get("skipped", [])),
        "limited": list(frame.attrs.get("limited", [])),
        "notes": list(frame.attrs.get("notes", [])),
    }
    return json.dumps(rounded(doc), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
