"""Named variants (`variants:` in a scenario): each a set of overrides, analysed side by side with the base."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from costcalc.errors import InputError
from costcalc.pricing.book import PriceBook
from costcalc.report.result import Result
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import BASE_VARIANT, ScenarioSource

if TYPE_CHECKING:
    from costcalc.analysis.run import ScenarioInput


def analyze_variants(
    scenario: ScenarioInput,
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    prices: PriceBook | PriceSource | None = None,
    pricing_lock: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Result]:
    """{'base': Result, VARIANT: Result, ...}: the full analysis of the scenario and of each named variant."""
    from costcalc.analysis.points import load_book
    from costcalc.analysis.run import evaluate

    source = ScenarioSource.load(scenario, overrides=overrides)
    book = load_book(pricing_files, prices, pricing_lock)
    return {BASE_VARIANT: evaluate(source.build(), book, today=today).result, **each_variant(source, book, today)}


def each_variant(source: ScenarioSource, prices: PriceSource, today: dt.date | None = None) -> dict[str, Result]:
    """{VARIANT: Result, ...}: each named variant of `source` analysed on `prices`, an error at the variant's line."""
    from costcalc.analysis.run import evaluate

    out = {}
    for name, settings in source.variants:
        try:
            out[name] = evaluate(source.with_settings(dict(settings)).build(), prices, today=today).result
        except InputError as exc:
            raise source.variant_error(name, exc) from None
    return out
