"""The verdict writes every amount in one money style, the report's currency by its symbol: a replica that never
stays cheaper says '$0.41 vs $0.13 per 1M tokens' like the headline's '$0.13 per 1M tokens' (it said 'USD 0.416 vs
USD 0.132', in USD even in a report in euros), from numbers the Result carries."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from costcalc.api import analyze
from costcalc.render import report_html, report_json, report_markdown, report_table
from costcalc.report.estimate_words import never_words
from costcalc.report.money_words import money, money_apart
from costcalc.report.result import BreakEvenResult, Result
from tests.support.currency_scenario import TEST_PER_USD, api_vs_rented

TODAY = dt.date(2026, 12, 5)
PER_USD = TEST_PER_USD


def _scenario(currency: str) -> dict[str, object]:
    return api_vs_rented("Money words", currency, hourly_usd=20.0)


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    return {cur: analyze(_scenario(cur), today=TODAY) for cur in ("USD", "EUR")}


def _never(result: Result) -> BreakEvenResult:
    return next(b for b in result.break_even if b.option == "Rented" and b.versus == "Luna")


def test_never_says_both_costs_per_token_in_the_reports_money_style(results: dict[str, Result]) -> None:
    for cur, symbol in (("USD", "$"), ("EUR", "€")):
        result = results[cur]
        be = _never(result)
        assert be.tokens_per_month is None and be.full_use_cost_per_million_tokens is not None
        assert be.versus_cost_per_million_tokens is not None
        line = next(v for v in result.verdict if v.startswith("Rented never stays cheaper than Luna"))
        mine, theirs = money(be.full_use_cost_per_million_tokens, cur), money(be.versus_cost_per_million_tokens, cur)
        assert mine.startswith(symbol) and mine != theirs
        assert line.endswith(f"more per token than the API ({mine} vs {theirs} per 1M tokens).")
        # the API's cost per 1M tokens is the one the headline and the table give for it
        luna = result.option("Luna")
        assert be.versus_cost_per_million_tokens == pytest.approx(luna.cost_per_million_tokens, rel=1e-9)
        assert f"({money(luna.cost_per_million_tokens, cur)} per 1M tokens)" in result.headline[0]


def test_a_report_in_euros_converts_them(results: dict[str, Result]) -> None:
    usd, eur = _never(results["USD"]), _never(results["EUR"])
    assert usd.full_use_cost_per_million_tokens is not None and eur.full_use_cost_per_million_tokens is not None
    assert eur.full_use_cost_per_million_tokens == pytest.approx(usd.full_use_cost_per_million_tokens * PER_USD)
    assert usd.versus_cost_per_million_tokens is not None and eur.versus_cost_per_million_tokens is not None
    assert eur.versus_cost_per_million_tokens == pytest.approx(usd.versus_cost_per_million_tokens * PER_USD)


@pytest.mark.parametrize("cur", ["USD", "EUR"])
def test_no_format_writes_a_currency_code_before_an_amount(results: dict[str, Result], cur: str) -> None:
    result = results[cur]
    texts = {
        "table": report_table.render(result, width=120, details=False),
        "markdown": report_markdown.render(result),
        "html": report_html.render(result),
        "json verdict": " ".join(json.loads(report_json.render(result))["verdict"]),
    }
    for fmt, text in texts.items():
        assert not re.search(r"\b(USD|EUR) ?[0-9]", text), f"{fmt}: {re.search(r'.{40}(USD|EUR) ?[0-9].{20}', text)}"


def test_two_amounts_that_differ_never_read_the_same() -> None:
    assert money_apart(0.153, 0.0654) == ("$0.15", "$0.07")
    assert money_apart(0.2141, 0.2139) == ("$0.2141", "$0.2139")  # money says $0.21 twice
    assert money_apart(150.4, 150.2, "EUR") == ("€150.4", "€150.2")
    assert money_apart(0.5, 0.5) == ("$0.50", "$0.50")


def test_a_result_without_the_costs_keeps_its_reason() -> None:
    be = BreakEvenResult(
        option="A", versus="B", tokens_per_month=None, requests_per_month=None, payback_months=None, reason="why"
    )
    assert never_words(be, "USD") == "why"
