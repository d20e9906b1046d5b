"""Fixtures of the render tests: the shared base scenario analysed, with its cost curves."""

from __future__ import annotations

import pytest

from costcalc.analysis.curves import cost_curves
from costcalc.api import analyze, load_scenario, price_book
from costcalc.resolve import resolve_scenario


@pytest.fixture
def base_analysed(base_scenario, today):
    """The base scenario's Result and its cost curves, with each break-even volume on them."""
    scenario = load_scenario(base_scenario)
    result = analyze(scenario, today=today)
    resolved = resolve_scenario(scenario, price_book(scenario))
    marks = [b.tokens_per_month for b in result.break_even if b.tokens_per_month]
    return result, cost_curves(resolved, include_tokens_per_month=marks)
