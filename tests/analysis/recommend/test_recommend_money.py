"""recommend's reasons write money as every other line does, in the scenario's currency: the example of candidates
left unsimulated 'costs at least $1,026/month at full load' (it said '1,025.84 USD/month', in USD even for a
scenario in euros)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from costcalc.analysis.recommend.request import Request
from costcalc.analysis.recommend.run import Outcome, recommend
from costcalc.analysis.recommend.space import Constraints
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import load_scenario
from tests.analysis.recommend.scenarios import TODAY, chat
from tests.support.currency_scenario import TEST_PER_USD

DAY = dt.date.fromisoformat(TODAY)
BOUND = re.compile(r": costs at least (?P<symbol>[$€])(?P<amount>[\d,.]+)/month at full load$")


def _run(currency: str) -> Outcome:
    doc = chat()
    if currency != "USD":
        doc["currency"] = {"code": currency, "per_usd": TEST_PER_USD, "as_of": "2026-11-20", "source": "test rate"}
    limits = Constraints(gpus=("l4-24gb", "l40s-48gb"), engines=("vllm",), max_gpus=2, acquisition="rent")
    request = Request(models=("gpt-oss-20b",), limits=limits, top=1)
    return recommend(load_scenario(doc), PriceSource(), request, today=DAY, cache=None)


@pytest.fixture(scope="module")
def bounds() -> dict[str, tuple[str, float]]:
    """Each currency's not-simulated example: the symbol and the amount it gives."""
    out = {}
    for cur in ("USD", "EUR"):
        rec = _run(cur).recommendation
        assert rec.currency == cur
        example = next(e.example for e in rec.excluded if e.reason == "not simulated")
        assert example is not None and "USD" not in example, example
        found = BOUND.search(example)
        assert found, example
        out[cur] = (found["symbol"], float(found["amount"].replace(",", "")))
    return out


def test_the_bound_is_in_the_house_money_style(bounds: dict[str, tuple[str, float]]) -> None:
    assert bounds["USD"][0] == "$" and bounds["EUR"][0] == "€"


def test_a_scenario_in_euros_converts_the_bound(bounds: dict[str, tuple[str, float]]) -> None:
    usd, eur = bounds["USD"][1], bounds["EUR"][1]
    assert eur == pytest.approx(usd * TEST_PER_USD, abs=1.0)  # whole units above 100, cents below
