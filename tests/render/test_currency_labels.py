"""Money is labelled with the report's currency wherever a unit is named: CSV headers, the Result's DataFrames and the
breakdown chart's hover titles (a scenario in EUR was labelled `monthly_cost_usd` and `$205/month`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from costcalc.api import analyze
from costcalc.render import report_csv, report_html
from costcalc.report.result import Result
from tests.support.cli import invoke
from tests.support.currency_scenario import api_vs_rented

TODAY = dt.date(2026, 12, 5)


def _scenario(currency: str) -> dict[str, object]:
    return api_vs_rented("Labels", currency, hourly_usd=2.0)


@pytest.fixture(scope="module", params=["USD", "EUR"])
def result(request: pytest.FixtureRequest) -> Result:
    return analyze(_scenario(request.param), today=TODAY)


def test_csv_money_columns_carry_the_currency(result: Result) -> None:
    cur = result.currency.lower()
    other = "eur" if cur == "usd" else "usd"
    header = next(csv.reader(io.StringIO(report_csv.render(result))))
    assert f"monthly_cost_{cur}" in header and f"npv_{cur}" in header and f"gpu_rental_{cur}_per_month" in header
    assert not [h for h in header if other in h.split("_")]
    rows = list(csv.DictReader(io.StringIO(report_csv.render(result))))
    rented = next(r for r in rows if r["option"] == "Rented")
    # 730 h × $2.00 = $1,460 a month; at 0.5 per USD that is EUR 730
    assert float(rented[f"monthly_cost_{cur}"]) == pytest.approx(1460 if cur == "usd" else 730)


def test_dataframes_carry_the_currency(result: Result) -> None:
    cur = result.currency.lower()
    assert f"monthly_cost_{cur}" in result.options_frame().columns
    assert f"{cur}_per_month" in result.breakdown_frame().columns
    timeline = result.timeline_frame()
    assert {f"monthly_cost_{cur}", f"cumulative_cash_{cur}", f"capex_{cur}"} <= set(timeline.columns)
    money = [c for c in (*result.options_frame().columns, *timeline.columns) if "usd" in c or "eur" in c]
    assert all(c.endswith(cur) or c.endswith(f"_{cur}_per_month") for c in money), money
    assert not [c for c in money if ("usd" if cur == "eur" else "eur") in c], money


def test_the_breakdown_chart_titles_use_the_currency(result: Result) -> None:
    html = report_html.render(result)
    titles = re.findall(r"<title>(GPU rental: [^<]*)</title>", html)
    assert titles, "no GPU rental segment"
    assert all(
        t == ("GPU rental: $1,460/month" if result.currency == "USD" else "GPU rental: €730/month") for t in titles
    )


def _files(tmp_path: Path, base: str, head: str, head_rpd: int = 50000) -> tuple[str, str]:
    import yaml

    a, b = _scenario(base), _scenario(head)
    b["workload"]["requests_per_day"] = head_rpd  # type: ignore[index]
    paths = []
    for name, data in (("base.yaml", a), ("head.yaml", b)):
        (tmp_path / name).write_text(yaml.safe_dump(data), encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths[0], paths[1]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_diff_in_eur_shows_euros(tmp_path: Path, fmt: str) -> None:
    """The diff's table and Markdown wrote a EUR scenario's amounts with $ ($1,636 for EUR 1,636)."""
    base, head = _files(tmp_path, "EUR", "EUR", head_rpd=100000)
    code, out, err = invoke("diff", base, head, "-f", fmt, "--today", TODAY.isoformat())
    assert code == 0, err
    assert "$" not in out.replace("$/", "")
    assert "€730" in out  # Rented: 730 h × $2.00 × 0.5 per USD, before and after
    assert "€0" in out  # its change


def test_a_diff_across_currencies_is_refused(tmp_path: Path) -> None:
    """USD before and EUR after subtracted dollars from euros."""
    base, head = _files(tmp_path, "USD", "EUR")
    code, out, err = invoke("diff", base, head, "--today", TODAY.isoformat())
    assert code == 2 and out == ""
    assert err == (
        f"error: {base} is costed in USD and {head} in EUR; a diff compares amounts in one currency: give both the "
        "same `currency:`"
    )


def test_the_diff_json_says_its_currency(tmp_path: Path) -> None:
    import json

    base, head = _files(tmp_path, "EUR", "EUR")
    code, out, err = invoke("diff", base, head, "-f", "json", "--today", TODAY.isoformat())
    assert code == 0, err
    data = json.loads(out)
    assert data["schema_version"] == "2.1" and data["currency"] == "EUR"
