"""service_tier: flex and priority bill at the row's tier prices through the one engine path, or are refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from costcalc.cli import app

TODAY = "2026-12-05"
# openai/gpt-6-luna@2026-10-14 (pricing/api.csv, genai-prices 0.2.5): standard 0.1 / cached 0.01 / 0.5,
# flex 0.05 / 0.005 / 0.25, priority 0.2 / 0.02 / 1 USD per 1M tokens; long context above 272,000 input tokens
TIERS = {"standard": (0.1, 0.01, 0.5), "flex": (0.05, 0.005, 0.25), "priority": (0.2, 0.02, 1.0)}
REQUESTS = 1000 * 730 / 24  # a month of 1,000 requests a day


def _report(tmp_path: Path, option: dict[str, Any], workload: dict[str, Any] | None = None) -> Any:
    scenario = {
        "version": 1,
        "horizon_months": 1,
        "workload": workload or {"requests_per_day": 1000, "input_tokens": 2000, "output_tokens": 500,
                                 "cached_input_share": 0.5},
        "options": [{"name": "Luna", "kind": "api", "model": "openai/gpt-6-luna", **option}],
    }  # fmt: skip
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    return CliRunner().invoke(app, ["report", str(path), "--today", TODAY, "-f", "json"])


@pytest.mark.parametrize("tier", sorted(TIERS))
def test_each_tier_bills_its_own_prices(tmp_path: Path, tier: str) -> None:
    result = _report(tmp_path, {"service_tier": tier})
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    price_in, price_cached, price_out = TIERS[tier]
    # 1,000 uncached + 1,000 cached input tokens and 500 output tokens a request, worked by hand
    per_request = (1000 * price_in + 1000 * price_cached + 500 * price_out) / 1e6
    assert doc["options"][0]["monthly_cost"] == pytest.approx(REQUESTS * per_request)
    said = [a for a in doc["assumptions"] if "service_tier" in a]
    if tier == "standard":
        assert said == []
    else:
        assert said == [
            f"Luna: billed at openai/gpt-6-luna's {tier} tier (service_tier: {tier}): input {price_in:g},"
            f" cached input {price_cached:g}, output {price_out:g} USD/1M"
        ]


def test_a_model_without_the_tier_is_refused_naming_the_field(tmp_path: Path) -> None:
    scenario = {"model": "anthropic/claude-sonnet-5-5", "service_tier": "flex"}
    result = _report(tmp_path, scenario)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and "options[Luna].service_tier: anthropic/claude-sonnet-5-5" in line
    assert "has no flex price in the table; set service_tier: standard" in line


def test_long_requests_past_the_standard_only_long_context_tier_are_refused(tmp_path: Path) -> None:
    long = {"requests_per_day": 10, "input_tokens": 300000, "output_tokens": 500}
    refused = _report(tmp_path, {"service_tier": "flex"}, long)
    assert refused.exit_code == 2 and "long-context threshold (272,000 input tokens)" in refused.stderr
    given = {"long_context_input_usd_per_mtok": 0.1, "long_context_output_usd_per_mtok": 0.375}
    allowed = _report(tmp_path, {"service_tier": "flex", "prices": given}, long)
    assert allowed.exit_code == 0, allowed.stderr


def test_batch_requests_are_not_billed_at_a_tier(tmp_path: Path) -> None:
    result = _report(tmp_path, {"service_tier": "priority", "batch_share": 0.3})
    assert result.exit_code == 2 and "options[Luna].batch_share" in result.stderr


def test_an_unknown_tier_is_a_schema_error(tmp_path: Path) -> None:
    result = _report(tmp_path, {"service_tier": "turbo"})
    assert result.exit_code == 2 and "service_tier" in result.stderr
