"""diff (and so ci's comment) costs a scenario's variants on both sides: a change to a variant alone read
"Cheapest option unchanged: Luna ($122 → $122/month, +0.0%)", the option "unchanged" and the guardrail passed, while
the variant's bill doubled (qa24)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import invoke

TODAY = ("--today", "2026-12-05")
SCENARIO = """\
version: 1
workload: {{requests_per_day: 20000, input_tokens: 1000, output_tokens: 200}}
guardrails: ['monthly_cost[Luna] > 200']
options:
  - {{name: Luna, kind: api, model: openai/gpt-6-luna}}
variants:
  big: {{workload.requests_per_day: {big}}}
  long: {{workload.input_tokens: 5000}}
"""
MONTH = 730 / 24  # days a month: 30.4
LUNA = (0.10, 0.50)  # openai/gpt-6-luna on 2026-12-05: USD per 1M input, output tokens


def _luna(requests_per_day: float, input_tokens: float = 1000) -> float:
    """Luna's monthly bill: requests a month × (input × $0.10 + 200 output × $0.50) per 1M tokens."""
    return requests_per_day * MONTH * (input_tokens * LUNA[0] + 200 * LUNA[1]) / 1e6


@pytest.fixture
def sides(tmp_path: Path) -> tuple[str, str]:
    base, head = tmp_path / "base.yaml", tmp_path / "head.yaml"
    base.write_text(SCENARIO.format(big=200000), encoding="utf-8")
    head.write_text(SCENARIO.format(big=400000), encoding="utf-8")
    return str(base), str(head)


def test_the_json_holds_each_variants_options_before_and_after(sides: tuple[str, str]) -> None:
    code, out, err = invoke("diff", *sides, "-f", "json", *TODAY)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema_version"] == "2.1"
    [big, long] = doc["variants"]
    assert (big["variant"], big["option"], big["status"]) == ("big", "Luna", "changed")
    # $1,216.67 → $2,433.33 a month: 200,000 → 400,000 requests a day
    assert big["monthly_cost"]["before"] == pytest.approx(_luna(200000))
    assert big["monthly_cost"]["after"] == pytest.approx(_luna(400000))
    assert big["monthly_cost"]["change_pct"] == pytest.approx(100.0)
    assert (long["variant"], long["status"]) == ("long", "unchanged")


def test_the_table_shows_the_variant_that_moved_and_names_the_others(sides: tuple[str, str]) -> None:
    code, out, err = invoke("diff", *sides, *TODAY)
    assert code == 0, err
    lines = out.splitlines()
    at = lines.index("Variants (monthly cost)")
    assert lines[at + 1].split() == ["Variant", "Option", "Before", "After", "%"]
    assert lines[at + 3].split() == ["big", "Luna", "$1,217", "$2,433", "+100.0%"]
    assert lines[at + 4] == "  costs unchanged in 1 variant: long"
    assert "Guardrails (checked on the scenario as written; its variants are what-ifs)" in lines


def test_the_pull_request_comment_shows_them(sides: tuple[str, str]) -> None:
    code, out, err = invoke("diff", *sides, "-f", "markdown", *TODAY)
    assert code == 0, err
    assert "| big | Luna | $1,217 | $2,433 | +100.0% |" in out
    assert "costs unchanged in 1 variant: long" in out
    assert "_Guardrails are checked on the scenario as written; its variants are what-ifs._" in out


def test_a_variant_added_or_removed_is_said(tmp_path: Path, sides: tuple[str, str]) -> None:
    base, _ = sides
    head = tmp_path / "renamed.yaml"
    head.write_text(SCENARIO.format(big=200000).replace("big:", "huge:"), encoding="utf-8")
    code, out, err = invoke("diff", base, str(head), "-f", "json", *TODAY)
    assert code == 0, err
    said = [(v["variant"], v["status"]) for v in json.loads(out)["variants"]]
    assert said == [("huge", "added"), ("long", "unchanged"), ("big", "removed")]


def test_a_scenario_without_variants_diffs_as_before(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text(SCENARIO.format(big=1).split("variants:")[0], encoding="utf-8")
    code, out, err = invoke("diff", str(plain), str(plain), *TODAY)
    assert code == 0, err
    assert "Variants" not in out and "Guardrails\n" in out
    assert json.loads(invoke("diff", str(plain), str(plain), "-f", "json", *TODAY)[1])["variants"] == []


def test_a_saved_report_side_compares_no_variants(tmp_path: Path, sides: tuple[str, str]) -> None:
    """A saved report holds no variants: against a scenario with some, each read as 'added' (a base it never knew)."""
    base, head = sides
    saved = tmp_path / "base.json"
    assert invoke("report", base, "-f", "json", "-o", str(saved), *TODAY)[0] == 0
    code, out, err = invoke("diff", str(saved), head, "-f", "json", *TODAY)
    assert code == 0, err
    assert json.loads(out)["variants"] == []
