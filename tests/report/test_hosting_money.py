"""The assumption line of owned hardware's site writes its hosting fee in the report's money style and currency:
'hosting $184 per kW of provisioned power a month (as given)' (it said 'hosting USD 184 ...', in USD even in a
report in euros); an office with a fee likewise."""

from __future__ import annotations

import datetime as dt

import pytest

from costcalc.api import analyze
from costcalc.render import report_markdown, report_table
from costcalc.report.result import Result
from tests.support.currency_scenario import TEST_PER_USD, api_vs_rented

TODAY = dt.date(2026, 12, 5)


def _owned(currency: str, hardware: dict[str, object], hosting: dict[str, float]) -> dict[str, object]:
    data = api_vs_rented("Hosting money", currency, hourly_usd=2.0)
    options = data["options"]
    assert isinstance(options, list)
    options[1] = {
        "name": "Owned",
        "kind": "self_hosted",
        "model": "gpt-oss-20b",
        "hardware": {"acquisition": "buy", **hardware},
        "power": {"max_w_per_gpu": 700, "idle_w_per_gpu": 100, "pue": 1.3},
        "hosting": hosting,
    }
    return data


def _site_line(result: Result) -> str:
    return next(a for a in result.assumptions if a.startswith("Owned: site "))


SERVER = {"gpu": "h100-sxm-80gb", "offer": "hgx-h100-8gpu-server-2026", "gpus_per_replica": 1}
DESK = {"gpu": "rtx-5090-32gb", "offer": "nvidia-rtx-5090", "gpus_per_replica": 1, "site": "office"}


@pytest.mark.parametrize(("cur", "fee"), [("USD", "$184"), ("EUR", f"€{184 * TEST_PER_USD:,.2f}")])
def test_a_datacenter_fee_is_in_the_reports_money(cur: str, fee: str) -> None:
    result = analyze(_owned(cur, SERVER, {"usd_per_kw_month": 184}), today=TODAY)
    line = _site_line(result)
    assert line.endswith(f"PUE 1.3 (as given), hosting {fee} per kW of provisioned power a month (as given)"), line
    assert "USD" not in line
    text = report_table.render(result, width=400, details=True) + report_markdown.render(result)
    assert f"hosting {fee} per kW" in text and "hosting USD" not in text


def test_an_office_fee_is_in_the_reports_money() -> None:
    """An office said 'USD 12.5 per kW-month as given'."""
    line = _site_line(analyze(_owned("USD", DESK, {"usd_per_kw_month": 12.5}), today=TODAY))
    assert line.endswith("hosting $12.50 per kW of provisioned power a month (as given)"), line


def test_an_office_without_a_fee_says_so() -> None:
    line = _site_line(analyze(_owned("USD", DESK, {}), today=TODAY))
    assert line.endswith("PUE 1.3 (as given), no hosting fee"), line
