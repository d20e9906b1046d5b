"""Retired models: a series ends at its newest row's valid_until; later report days refuse it, horizons warn."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from costcalc.analysis.run import analyze
from costcalc.cli import app
from costcalc.errors import PricingError
from costcalc.pricing.book import PriceBook
from costcalc.pricing.schema import ApiPrice

LAST_DAY = dt.date(2026, 12, 10)  # acme/old retires on 2026-12-11


def _row(model: str, start: dt.date | None, until: dt.date | None, successor: str | None = None) -> ApiPrice:
    return ApiPrice(
        id=f"acme/{model}" + (f"@{start}" if start else ""),
        provider="acme",
        model=model,
        input_usd_per_mtok=1.0,
        output_usd_per_mtok=4.0,
        valid_from=start,
        valid_until=until,
        successor=successor,
        source="https://acme.test/pricing",
        as_of=dt.date(2026, 11, 1),
    )


def _book() -> PriceBook:
    book = PriceBook()
    book.add(
        "api",
        [
            _row("old", None, dt.date(2026, 10, 31)),
            _row("old", dt.date(2026, 11, 1), LAST_DAY, successor="acme/new"),
            _row("new", None, None),
        ],
        "shipped",
    )
    return book


def _scenario(months: int = 3, model: str = "acme/old") -> dict[str, Any]:
    return {
        "version": 1,
        "horizon_months": months,
        "workload": {"requests_per_day": 1000, "input_tokens": 1000, "output_tokens": 250},
        "options": [{"name": "Old", "kind": "api", "model": model}],
    }


def test_a_report_after_the_retirement_is_refused_naming_the_successor() -> None:
    with pytest.raises(PricingError) as exc:
        analyze(_scenario(), prices=_book(), today=LAST_DAY + dt.timedelta(days=1))
    assert exc.value.field == "options[Old].model"
    assert exc.value.detail == (
        "acme/old is priced until 2026-12-10: the model retires on 2026-12-11 and 2026-12-11 is later;"
        " switch to acme/new (upstream's successor), price it on an earlier day (today=), or give your own prices for"
        " it"
    )
    assert exc.value.reworded({"today": "--today"}).detail.endswith(
        "price it on an earlier day (--today), or give your own prices for it"
    )


def test_the_last_day_still_prices_it_and_warns_that_the_horizon_outlives_it() -> None:
    result = analyze(_scenario(), prices=_book(), today=LAST_DAY)
    assert result.options[0].prices[0].id == "acme/old@2026-11-01"
    assert result.missing_prices == (
        "Old: acme/old retires on 2026-12-11, in month 1 of 3; from then it is billed at its last price,"
        " which no provider charges any more; upstream's successor is acme/new",
    )
    assert any(w.startswith("missing price: Old: acme/old retires on 2026-12-11") for w in result.warnings)


def test_a_horizon_that_ends_before_the_retirement_says_nothing() -> None:
    result = analyze(_scenario(months=1), prices=_book(), today=dt.date(2026, 11, 5))
    assert result.missing_prices == ()


def test_a_series_without_an_end_is_priced_on_any_day() -> None:
    result = analyze(_scenario(model="acme/new"), prices=_book(), today=dt.date(2030, 1, 1))
    assert result.missing_prices == () and result.options[0].prices[0].id == "acme/new"


def test_own_prices_for_a_retired_model_are_allowed() -> None:
    scenario = _scenario()
    scenario["pricing"] = [{"id": "acme/old", "prices": {"input_usd_per_mtok": 0.5}}]
    result = analyze(scenario, prices=_book(), today=dt.date(2027, 3, 1))
    assert result.options[0].prices[0].origin.startswith("override")


def test_a_shipped_retirement_through_the_cli(tmp_path: Path) -> None:
    # pricing/api.csv: litellm 1.110.2 lists claude-sonnet-4-5's deprecation on 2026-11-30, successor Sonnet 5.5
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(_scenario(months=1, model="anthropic/claude-sonnet-4-5")), encoding="utf-8")
    before = CliRunner().invoke(app, ["report", str(path), "--today", "2026-11-20", "-f", "json"])
    assert before.exit_code == 0, before.stderr
    assert "retires on 2026-11-30, in month 1 of 1" in before.stderr
    after = CliRunner().invoke(app, ["report", str(path), "--today", "2026-12-05"])
    assert after.exit_code == 2
    assert "switch to anthropic/claude-sonnet-5-5 (upstream's successor)" in after.stderr
    shown = CliRunner().invoke(app, ["pricing", "show", "anthropic/claude-sonnet-4-5", "-f", "json"])
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["row"]["valid_until"] == "2026-11-29"
