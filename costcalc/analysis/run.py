"""From a scenario to its Result: load, price, resolve, cost; the path every report-shaped command takes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from costcalc.analysis.curves import CostCurves
from costcalc.models import Scenario
from costcalc.pricing.book import PriceBook
from costcalc.report.result import Result
from costcalc.resolve.scenario import ResolvedScenario

ScenarioInput = Scenario | str | Path | dict[str, Any]


def analyze(
    scenario: ScenarioInput,
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    today: dt.date | None = None,
) -> Result:
    """Cost every option of a scenario, with break-even, payback and a monthly timeline."""
    return analyze_resolved(
        scenario,
        overrides=overrides,
        pricing_files=pricing_files,
        pricing_lock=pricing_lock,
        prices=prices,
        today=today,
    )[0]


def analyze_with_curves(
    scenario: ScenarioInput,
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    today: dt.date | None = None,
) -> tuple[Result, CostCurves]:
    """`analyze` plus each option's cost-versus-volume curve, resolved once."""
    from costcalc.analysis.curves import cost_curves

    result, resolved, per_usd = analyze_resolved(
        scenario,
        overrides=overrides,
        pricing_files=pricing_files,
        pricing_lock=pricing_lock,
        prices=prices,
        today=today,
    )
    marks = [b.tokens_per_month for b in result.break_even if b.tokens_per_month is not None]
    return result, cost_curves(resolved, include_tokens_per_month=marks, per_usd=per_usd)


def analyze_resolved(
    scenario: ScenarioInput,
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    today: dt.date | None = None,
) -> tuple[Result, ResolvedScenario, float]:
    """(Result, the resolved scenario it was computed from, units of the report currency per USD)."""
    from costcalc.analysis.costing import analyze as cost
    from costcalc.resolve.book import currency, price_book
    from costcalc.resolve.scenario import resolve_scenario
    from costcalc.scenario.loaders import load_scenario

    if not isinstance(scenario, Scenario) or overrides:
        if isinstance(scenario, Scenario):
            scenario = scenario.model_dump(mode="python", exclude_unset=True)
        scenario = load_scenario(scenario, overrides=overrides)
    book = price_book(scenario, pricing_files=pricing_files, pricing_lock=pricing_lock, prices=prices)
    code, per_usd, fx_note = currency(scenario, book)
    resolved = resolve_scenario(scenario, book)
    result = cost(resolved, today=today, currency=code, per_usd=per_usd, fx_note=fx_note)
    return result, resolved, per_usd
