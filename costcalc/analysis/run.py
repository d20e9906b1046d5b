"""From a scenario to its Result: price, resolve, cost, once; the path `report`, `diff`, `chart` and the API take.

The what-if commands (sweep, sensitivity, simulate) take the same ScenarioSource, PriceSource and resolution,
and the same engine dispatch, through costcalc.analysis.points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costcalc.analysis.curves import CostCurves
from costcalc.models import Scenario
from costcalc.pricing.book import PriceBook
from costcalc.report.result import Result
from costcalc.resolve.book import PriceSource
from costcalc.resolve.scenario import ResolvedScenario
from costcalc.resolve.throughput import ThroughputBasis
from costcalc.scenario.loaders import ScenarioSource

ScenarioInput = Scenario | ScenarioSource | str | Path | dict[str, Any]


@dataclass(frozen=True)
class Analysis:
    """A scenario costed: its Result, and the resolution and exchange rate the Result was computed from."""

    result: Result
    resolved: ResolvedScenario
    per_usd: float  # units of the report currency per USD

    def curves(self) -> CostCurves:
        """Each option's cost-versus-volume curve around today's volume, every break-even in view."""
        from costcalc.analysis.curves import cost_curves

        marks = [b.tokens_per_month for b in self.result.break_even if b.tokens_per_month is not None]
        return cost_curves(self.resolved, include_tokens_per_month=marks, per_usd=self.per_usd)


def evaluate(
    scenario: Scenario,
    prices: PriceSource,
    *,
    today: dt.date | None = None,
    throughputs: Mapping[str, ThroughputBasis] | None = None,
) -> Analysis:
    """Price, resolve and cost one validated scenario: the single evaluation path behind every Result.

    `today`: the day prices are valid on and month 1 starts (default: the price source's day, else the wall
    clock's). `throughputs`: self-hosted capacities already resolved, by option name (recommend prices its
    candidates with the capacities its search found, the ones resolve_throughput gives for the same options; its
    search compares GPU counts itself, so the half-replica check is left out).
    """
    from costcalc.analysis.costing import analyze as cost
    from costcalc.resolve.scenario import resolve_scenario

    day = today if today is not None else prices.today
    code, per_usd, fx_note = prices.currency(scenario)
    resolved = resolve_scenario(scenario, prices.for_scenario(scenario, on=day), throughputs=throughputs)
    result = cost(
        resolved, today=day, currency=code, per_usd=per_usd, fx_note=fx_note, layout_check=throughputs is None
    )
    return Analysis(result, resolved, per_usd)


def analysis(
    scenario: ScenarioInput,
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    today: dt.date | None = None,
) -> Analysis:
    """Load (with `overrides`), then `evaluate` with prices from the lock, the given book or the tables + files.

    A Scenario is loaded again too, as sweep, sensitivity and simulate load it: pydantic's `model_copy(update=...)`
    does not validate, so a copy with `requests_per_day=-5` was costed at -$0.03 a month and one with NaN raised a
    bare ValueError; and the loader reads the usage or hardware files a Scenario built in Python names."""
    built = ScenarioSource.load(scenario, overrides=overrides).build()
    return evaluate(built, PriceSource(tuple(pricing_files), pricing_lock, prices), today=today)


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
    return analysis(
        scenario,
        overrides=overrides,
        pricing_files=pricing_files,
        pricing_lock=pricing_lock,
        prices=prices,
        today=today,
    ).result


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
    done = analysis(
        scenario,
        overrides=overrides,
        pricing_files=pricing_files,
        pricing_lock=pricing_lock,
        prices=prices,
        today=today,
    )
    return done.result, done.curves()
