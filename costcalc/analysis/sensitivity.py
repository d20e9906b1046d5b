"""One-at-a-time sensitivity: move each numeric input a realistic step, rank by the effect on self-hosting's savings.

The metric covers the whole horizon (so growth counts): what the best API option costs over the horizon
minus what the best self-hosted option costs, or, without both kinds, the cheapest option's horizon
cost. Totals are accrual (bought hardware as depreciation over its life, not up-front cash), as in simulate. Numbers move by ±delta; whole numbers by realistic steps: one replica more or fewer (never
below one), GPUs per replica halved or doubled (tensor-parallel sizes), other counts by ±delta but at
least one. An estimated throughput moves across the actual range its estimate allows (resolved once by
bands.range_for, the range report costs and simulate samples), not ±delta. Each input carries a label in words
("Llama 3.3 70B: minimum replicas").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from costcalc.analysis.points import (
    RUNS_COSTED,
    Points,
    actual_ranges,
    evaluate_points,
    load_book,
    repriced_monthly,
    resolve,
    runs_beyond,
    scheduled_table_price,
)
from costcalc.analysis.vectorized import CAPACITY_SCALE, Target, target_for
from costcalc.bands import ActualRange, range_source
from costcalc.engine.arrays import FloatArray
from costcalc.engine.options import ApiCost, SelfHostedCost
from costcalc.errors import InputError
from costcalc.models import ApiOption, Hardware, Scenario, SelfHostedOption
from costcalc.pricing.book import PriceBook
from costcalc.resolve.book import PriceSource
from costcalc.scenario.fields import bounds, field_info, is_int_field
from costcalc.scenario.loaders import ScenarioSource
from costcalc.words import counted

if TYPE_CHECKING:
    import pandas as pd
    from pydantic.fields import FieldInfo

    from costcalc.analysis.run import ScenarioInput
    from costcalc.resolve.scenario import ResolvedScenario

DEFAULT_DELTA = 0.2
SKIPPED_KEYS = {"version", "horizon_months", "stale_after_days", "variants", "guardrails"}  # no monthly figure
ALL_INPUTS = "; sensitivity without inputs= lists them all"  # the fix of an input it cannot vary (--input on the CLI)
NOT_INPUTS = {  # top-level numbers that move no cost, even asked for by name
    "version": "it is the scenario format's version",
    "stale_after_days": "it says when a price is stale and moves no cost",
}
SAVINGS = "self_hosted_savings_over_horizon"
CHEAPEST = "cheapest_cost_over_horizon"
DOUBLING_FIELDS = {"gpus_per_replica"}  # tensor-parallel sizes: halved or doubled, not ±1
AT_LEAST_ONE_FIELDS = {"min_replicas"}  # one replica more or fewer, never none (0 would mean scale to zero)
FIELD_WORDS = {  # the last part of a path in words; others: underscores as spaces, units spelled out
    "min_replicas": "minimum replicas",
    "gpus_per_replica": "GPUs per replica",
    "hourly_usd": "GPU price per hour",
    "usd_per_gpu_hour": "GPU price per hour",
    "engineer_hours_per_month": "engineer hours a month",
    "hourly_rate_usd": "engineer's hourly rate",
    "price_usd": "hardware price",
    "useful_life_months": "useful life in months",
    "cost_of_capital_per_year": "cost of capital a year",
    "residual_value_share": "residual value share",
    "usd_per_kw_month": "hosting price per kW-month",
    "electricity_usd_per_kwh": "electricity price per kWh",
    "idle_w_per_gpu": "idle watts per GPU",
    "max_w_per_gpu": "peak watts per GPU",
    "pue": "PUE",
    "server_overhead_w": "server overhead watts",
    "scale": "throughput against its estimate",
    "input_usd_per_mtok": "input price per 1M tokens",
    "output_usd_per_mtok": "output price per 1M tokens",
    "cached_input_usd_per_mtok": "cached-input price per 1M tokens",
    "requests_per_day": "requests per day",
    "tokens_per_month": "tokens per month",
    "input_tokens": "prompt tokens per request",
    "output_tokens": "output tokens per request",
    "reasoning_tokens": "reasoning tokens per request",
    "cached_input_share": "cached share of input",
    "peak_to_average": "peak-to-average load",
    "growth_per_month": "growth a month",
    "batch_share": "batch share",
    "off_peak_share": "off-peak share",
    "discount": "discount",
    "seats": "seats",
    "users": "users",
    "min_output_tokens_per_s_per_user": "SLO: output tokens/s per user",
    "ttft_p95_ms": "SLO: time to first token, p95 (ms)",
    "tpot_p95_ms": "SLO: time per output token, p95 (ms)",
}


def parse_delta(text: str | float) -> float:
    """'20%' or '0.2' → 0.2 (a share, above 0 and below 1)."""
    if isinstance(text, bool) or not isinstance(text, (int, float, str)):
        raise InputError(f"a share such as 0.2 or '20%', not {type(text).__name__}", param="delta")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        raw = text.strip()
        try:
            value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        except ValueError:
            raise InputError(f"{text!r} is not a share; use e.g. 20% or 0.2", param="delta") from None
    if not 0 < value < 1:
        raise InputError(f"delta {value:g} must be above 0 and below 1 (e.g. 20%)", param="delta")
    return value


def numeric_inputs(source: ScenarioSource, scenario: Scenario, resolved: ResolvedScenario) -> dict[str, float]:
    """Every numeric input a swing can move: numbers in the file, plus prices and defaults looked up for it."""
    from costcalc.scenario.overrides import parse_path

    found: dict[str, float] = {}

    def walk(node: Any, shown: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if shown == "" and k in SKIPPED_KEYS:
                    continue
                walk(v, f"{shown}.{k}" if shown else str(k))
        elif isinstance(node, list) and shown == "options":
            for i, item in enumerate(node):
                name = item.get("name") if isinstance(item, dict) else None
                walk(item, f"options[{name}]" if isinstance(name, str) else f"options[{i}]")
        elif isinstance(node, str) and (shown == "workload" or shown.endswith(".hardware")):
            loaded = _model_node(scenario, parse_path(shown))  # a referenced file: the numbers it holds
            if hasattr(loaded, "model_dump"):
                walk(loaded.model_dump(exclude_unset=True), shown)
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            info = field_info(scenario, parse_path(shown))
            value = _model_value(scenario, parse_path(shown))
            if info is not None and value is not None and any(t in (int, float) for t in (_args(info.annotation))):
                found[shown] = value

    walk(source.doc.data, "")
    for opt, res in zip(scenario.options, resolved.options):
        where = f"options[{opt.name}]"
        if isinstance(opt, ApiOption) and isinstance(res.cost, ApiCost):
            for key in ("input", "output", "cached_input"):
                value = getattr(res.cost.rates, key)
                if value is not None:
                    found.setdefault(f"{where}.prices.{key}_usd_per_mtok", float(value))
        if (
            isinstance(opt, SelfHostedOption)
            and isinstance(res.cost, SelfHostedCost)
            and isinstance(opt.hardware, Hardware)
        ):
            plan = res.cost.plan
            found.setdefault(f"{where}.hardware.min_replicas", float(plan.min_replicas))
            if plan.acquisition == "rent":
                found.setdefault(f"{where}.hardware.hourly_usd", float(plan.usd_per_gpu_hour))
            else:
                if plan.acquisition == "buy":  # per server (or GPU), as the file gives it
                    per_unit = plan.price_usd_per_replica / res.cost.life.units_per_replica
                    found.setdefault(f"{where}.hardware.price_usd", float(per_unit))
                found.setdefault(f"{where}.hardware.useful_life_months", float(plan.useful_life_months))
                found.setdefault(f"{where}.power.pue", float(plan.pue))
                found.setdefault(f"{where}.power.electricity_usd_per_kwh", float(plan.usd_per_kwh))
                found.setdefault(f"{where}.power.idle_w_per_gpu", float(plan.idle_w_per_gpu))
                found.setdefault(f"{where}.power.max_w_per_gpu", float(plan.max_w_per_gpu))
            found[f"{where}.{CAPACITY_SCALE}"] = 1.0
    return found


def _args(annotation: Any) -> tuple[Any, ...]:
    import typing

    return typing.get_args(annotation) or (annotation,)


BISECTIONS = 24  # halvings between the base and a step that fails: within 1e-7 of the base value's distance


def _farthest_valid(source: ScenarioSource, book: PriceSource, path: str, value: float, moved: float) -> float | None:
    """The farthest value from `value` towards `moved` that the scenario accepts (another input bounds it: a cached
    share of 0.85 + 0.05 cache writes can rise to 0.95, not 1), at three figures when those hold; None if none does.
    """

    def holds(x: float) -> bool:
        try:
            resolve(source.build({path: x}), book)
        except InputError:
            return False
        return True

    good, bad = value, moved
    for _ in range(BISECTIONS):
        mid = (good + bad) / 2
        good, bad = (mid, bad) if holds(mid) else (good, mid)
    short = float(f"{good:.3g}")
    if abs(short - value) > abs(good - value) / 2 and holds(short):  # 0.95 where the halving stops at 0.9499999
        good = short
    return None if good == value else good


def _swing(value: float, delta: float, info: FieldInfo | None, sign: int, field: str = "") -> float | None:
    """The input moved one realistic step down (sign -1) or up (+1), inside the field's bounds; None if there is none.

    Numbers: × (1 ± delta). Whole numbers: GPUs per replica halved or doubled, minimum replicas ±1 but never
    below 1, other counts ± max(1, round(delta × value))."""
    if not is_int_field(info):
        moved = value * (1 + sign * delta)
    elif field in DOUBLING_FIELDS:
        moved = value * 2 if sign > 0 else value / 2
        if moved != round(moved):
            return None
    elif field in AT_LEAST_ONE_FIELDS:
        moved = value + sign
        if moved < 1:
            return None
    else:
        moved = value + sign * max(1.0, float(round(abs(value) * delta)))
    lo, hi, lo_inc, hi_inc = bounds(info)
    moved = float(f"{min(max(moved, lo), hi):.12g}")  # 0.08, not 0.1 x 0.8 = 0.08000000000000002
    if (moved == lo and not lo_inc) or (moved == hi and not hi_inc) or moved == value:
        return None
    return moved


def metric(pts: Points) -> tuple[str, FloatArray]:
    """(name, values) over the horizon: best API − best self-hosted total cost when both kinds exist, else the
    cheapest option's total (each option's horizon total: growth and scheduled prices count)."""
    totals = pts.cumulative if pts.cumulative is not None else pts.monthly
    apis = [totals[k] for k, kind in zip(pts.option_names, pts.kinds) if kind == "api"]
    selfs = [totals[k] for k, kind in zip(pts.option_names, pts.kinds) if kind == "self_hosted"]
    if apis and selfs:
        return SAVINGS, np.min(apis, axis=0) - np.min(selfs, axis=0)
    return CHEAPEST, np.min(list(totals.values()), axis=0)


SCHEDULED = " (each month's, its scheduled change kept)"  # a table price whose row changes within the horizon


def _target(scenario: Scenario, path: str) -> Target | None:
    from costcalc.scenario.overrides import parse_path

    return None if path.endswith(CAPACITY_SCALE) else target_for(parse_path(path), scenario)


def label(path: str, actual: ActualRange | None = None) -> str:
    """An input path in words: 'options[Llama 3.3 70B].hardware.min_replicas' → 'Llama 3.3 70B: minimum replicas';
    an estimated throughput moved across its actual range says so: '...: throughput against its estimate (9-in-10
    range)', naming published runs where they widened it: '(9-in-10 range, published deepseek-r1 runs)'."""
    owner, _, rest = path.rpartition("].") if path.startswith("options[") else ("", "", path)
    field = rest.rsplit(".", 1)[-1]
    words = FIELD_WORDS.get(field) or field.replace("_usd", " USD").replace("_", " ")
    if actual is not None:
        words += f" (9-in-10 range{', ' + range_source(actual) if actual.widened else ''})"
    if owner:
        return f"{owner.removeprefix('options[')}: {words}"
    section = rest.split(".", 1)[0] if "." in rest else ""
    return f"{section}: {words}" if section and section != "workload" else words[:1].upper() + words[1:]


def sensitivity(
    scenario: ScenarioInput,
    *,
    delta: float | str = DEFAULT_DELTA,
    inputs: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    prices: PriceBook | PriceSource | None = None,
    pricing_lock: str | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """A tornado table (pandas DataFrame), largest swing first.

    Columns: input, label, base, low, high (the input's values), metric_low, metric_high (the metric there),
    range_source (an estimated throughput moved across its actual range: held_out_band, published_runs or architecture_runs; else
    None), swing (|metric_high − metric_low|). attrs: metric (self_hosted_savings_over_horizon: best API − best
    self-hosted, each accrued over the horizon, or cheapest_cost_over_horizon without both kinds), base_metric, delta,
    skipped, limited (ends moved as far as other inputs allow), notes (where an estimated throughput's own published
    runs lie beyond the range swung), currency, horizon_months, growth_per_month.
    Prices are those valid on `today` (`--today`; default the wall clock's day), as `report --today` uses.
    """
    import pandas as pd

    from costcalc.scenario.overrides import parse_path

    share = parse_delta(delta)
    source = ScenarioSource.load(scenario, overrides=overrides)
    book = load_book(pricing_files, prices, pricing_lock, today)
    base = source.build()
    resolved = resolve(base, book)
    available = numeric_inputs(source, base, resolved)
    if inputs:
        chosen = {}
        for path in inputs:
            if path in NOT_INPUTS:  # qa24: version=0 and version=2 'skipped' into an empty table, exit 0
                raise InputError(
                    f"{path!r} is not an input: {NOT_INPUTS[path]}{ALL_INPUTS}", param="inputs", mentions=("inputs",)
                )
            if path not in available and _model_value(base, parse_path(path)) is not None:
                available[path] = float(_model_value(base, parse_path(path)))  # type: ignore[arg-type]
            if path not in available:
                from costcalc.errors import did_you_mean

                hint = did_you_mean(path, list(available)) or ALL_INPUTS
                raise InputError(
                    f"{path!r} is not a numeric input of this scenario{hint}", param="inputs", mentions=("inputs",)
                )
            chosen[path] = available[path]
        available = chosen
    ranges = actual_ranges(resolved)
    repriced = repriced_monthly(resolved)
    scheduled = {  # table prices beside a scheduled change: each month's moves alike, which --set cannot say
        p for p in available if (t := _target(base, p)) is not None and scheduled_table_price(base, t, repriced)
    }
    skipped: list[str] = []  # ends not costed
    limited: list[str] = []  # ends moved to the farthest value another input allows
    rows: list[tuple[str, str, float]] = []  # (path, side, value)
    for path, value in available.items():
        info = None if path.endswith(CAPACITY_SCALE) else field_info(base, parse_path(path))
        if value == 0 and not is_int_field(info):  # a whole number steps from 0 (a replica floor 0 -> 1)
            skipped.append(f"{path}: 0 cannot be scaled by ±{share:.0%}")
            continue
        for side, sign in (("low", -1), ("high", 1)):
            if path in ranges:  # the actual range's end, as report costs it and simulate samples it
                end = ranges[path].low if sign < 0 else ranges[path].high
                moved = None if end == value else end
            else:
                moved = _swing(value, share, info, sign, str(parse_path(path)[-1]) if info is not None else "")
            if moved is None:
                continue
            if info is not None:
                try:
                    resolve(source.build({path: _whole(moved, info)}), book)
                except InputError as exc:
                    within = None if is_int_field(info) else _farthest_valid(source, book, path, value, moved)
                    said = f"{path}={moved:g}: {exc.detail}"
                    if within is None:
                        skipped.append(said)
                        continue
                    limited.append(f"{said}; its {side} end is {within:g} instead, the farthest that holds")
                    moved = within
            rows.append((path, side, moved))
    paths = list(dict.fromkeys(p for p, _, _ in rows))
    n = 1 + len(rows)
    columns: dict[str, FloatArray] = {}
    for path in paths:
        info = None if path.endswith(CAPACITY_SCALE) else field_info(base, parse_path(path))
        col = np.full(n, available[path])
        for i, (p, _, v) in enumerate(rows, start=1):
            if p == path:
                col[i] = v
        columns[path] = col
    pts = evaluate_points(source, columns, n, book=book, timeline=True, check=None, label="inputs", as_is=available)
    name, values = metric(pts)
    table: dict[str, dict[str, Any]] = {}
    for i, (path, side, v) in enumerate(rows, start=1):
        row = table.setdefault(
            path,
            {
                "input": path,
                "label": label(path, ranges.get(path)) + (SCHEDULED if path in scheduled else ""),
                "base": available[path],
                "low": np.nan,
                "high": np.nan,
                "metric_low": values[0],
                "metric_high": values[0],
                "range_source": ranges[path].source if path in ranges else None,
            },
        )
        row[side] = v
        row[f"metric_{side}"] = values[i]
    names = ["input", "label", "base", "low", "high", "metric_low", "metric_high", "range_source"]
    frame = pd.DataFrame(list(table.values()), columns=names)
    frame["swing"] = (frame["metric_high"] - frame["metric_low"]).abs()
    frame = frame.sort_values(["swing", "input"], ascending=[False, True], kind="stable").reset_index(drop=True)
    frame.attrs.update(
        metric=name,
        base_metric=float(values[0]),
        delta=share,
        skipped=skipped,
        limited=limited,
        notes=[  # where an estimated throughput's own published runs lie beyond the range swung, as report says
            f"{label(p, ranges[p])}: {words}, outside the range swung here ({RUNS_COSTED})"
            for p, words in runs_beyond(resolved).items()
            if p in paths
        ],
        currency=pts.currency,
        horizon_months=base.horizon_months,
        growth_per_month=float(resolved.workload.growth_per_month),
    )
    return frame


def _model_value(scenario: Scenario, parts: list[str | int]) -> float | None:
    """The number a path holds in the validated scenario (defaults included), or None."""
    node = _model_node(scenario, parts)
    return float(node) if isinstance(node, (int, float)) and not isinstance(node, bool) else None


def _model_node(scenario: Scenario, parts: list[str | int]) -> Any:
    """What a path holds in the validated scenario (defaults included), or None."""
    node: Any = scenario
    for part in parts:
        if isinstance(node, tuple):
            node = (
                next((o for o in node if getattr(o, "name", None) == part), None)
                if isinstance(part, str)
                else (node[part] if -len(node) <= part < len(node) else None)
            )
        else:
            node = getattr(node, str(part), None)
        if node is None:
            return None
    return node


def _whole(value: float, info: FieldInfo | None) -> float | int:
    return int(value) if is_int_field(info) else value


TORNADO_ROWS = 10  # inputs shown in a tornado, largest swing first


def metric_words(name: str, horizon_months: int) -> str:
    """What the metric is, in words, e.g. "what self-hosting saves accrued over 36 months (best API minus best
    self-hosted)". The totals are accrual: bought hardware counts as depreciation, not up-front cash."""
    if name == SAVINGS:
        return (
            f"what self-hosting saves accrued over {counted(horizon_months, 'month')} (best API minus best self-hosted)"
        )
    if name == CHEAPEST:
        return f"the cheapest option's cost accrued over {counted(horizon_months, 'month')}"
    return name.replace("_", " ")


@dataclass(frozen=True)
class Tornado:
    """Rows (input in words, result at the low case, at the high case), the base result and what the result is."""

    rows: tuple[tuple[str, float, float], ...]
    base: float
    metric: str
    savings: bool = False  # the result is what self-hosting saves (best API minus best self-hosted)


def tornado(
    scenario: ScenarioInput,
    *,
    prices: PriceBook | PriceSource | None = None,
    rows: int = TORNADO_ROWS,
    today: dt.date | None = None,
) -> Tornado:
    """The tornado of a scenario (or a ScenarioSource): its largest swings, the base result and the metric in words."""
    frame = sensitivity(scenario, prices=prices, today=today)
    top = frame.head(rows)
    lows, highs = top["metric_low"].to_numpy(dtype=float), top["metric_high"].to_numpy(dtype=float)
    found = tuple((str(name), float(lo), float(hi)) for name, lo, hi in zip(top["label"], lows, highs, strict=True))
    words = metric_words(str(frame.attrs.get("metric", "")), int(frame.attrs.get("horizon_months", 0)))
    return Tornado(found, float(frame.attrs["base_metric"]), words, frame.attrs.get("metric") == SAVINGS)
