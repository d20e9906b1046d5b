"""Named variants (`variants:` in a scenario): each a set of overrides, analysed side by side with the base."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from costcalc.analysis.sweep import BASE_VARIANT
from costcalc.pricing.book import PriceBook
from costcalc.report.result import Result
from costcalc.scenario.source import ScenarioSource


def analyze_variants(
    scenario: Any,
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    prices: PriceBook | None = None,
    pricing_lock: str | None = None,
    today: Any = None,
) -> dict[str, Result]:
    """{'base': Result, VARIANT: Result, ...}: the full analysis of the scenario and of each named variant."""
    from costcalc.analysis.run import analyze

    source = ScenarioSource.load(scenario, overrides=overrides)
    kwargs: dict[str, Any] = {
        "pricing_files": pricing_files,
        "prices": prices,
        "pricing_lock": pricing_lock,
        "today": today,
    }
    out = {BASE_VARIANT: analyze(source.build(), **kwargs)}
    for name, settings in source.variants:
        out[name] = analyze(source.with_settings(dict(settings)).build(), **kwargs)
    return out


def variant_names(scenario: Any) -> list[str]:
    """Names of the variants a scenario declares (without 'base')."""
    return [name for name, _ in ScenarioSource.load(scenario).variants]
