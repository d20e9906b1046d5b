"""The diff's Markdown as a pull-request comment: warnings in sight, price ids that can be copied as written."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.support.cli import invoke

SCENARIO = {
    "version": 1,
    "name": "Comment",
    "workload": {"requests_per_day": 50000, "input_tokens": 1500, "output_tokens": 300},
    "options": [{"name": "Luna", "kind": "api", "model": "openai/gpt-6-luna"}],
}


def _diff(tmp_path: Path, today: str, name: str = "Luna") -> str:
    base, head = dict(SCENARIO), dict(SCENARIO)
    head["options"] = [{**SCENARIO["options"][0], "name": name}]  # type: ignore[index]
    head["workload"] = {**SCENARIO["workload"], "requests_per_day": 60000}  # type: ignore[dict-item]
    for file, data in (("base.yaml", base), ("head.yaml", head)):
        (tmp_path / file).write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, err = invoke(
        "diff", str(tmp_path / "base.yaml"), str(tmp_path / "head.yaml"), "-f", "markdown", "--today", today
    )
    assert code == 0, err
    return out


def test_stale_prices_are_warned_in_sight_not_only_in_the_folded_sources(tmp_path: Path) -> None:
    """`report -f markdown` shows a Warnings list; the diff (what `costcalc ci` posts) hid them in <details>."""
    out = _diff(tmp_path, "2027-09-01")
    before_details = out.split("<details>")[0]
    assert "**Warnings**" in before_details
    assert "- :warning: 1 price older than" in before_details and "openai/gpt-6-luna" in before_details


def test_no_warnings_no_section(tmp_path: Path) -> None:
    assert "**Warnings**" not in _diff(tmp_path, "2026-12-05")


def test_a_price_id_in_a_code_span_is_the_id_as_written(tmp_path: Path) -> None:
    """`openai/gpt-6-luna@2026-10-14` carried an invisible U+2060 after its @: pasted into `costcalc pricing show`
    it was 'no price row'. An @ inside a word mentions no one; one that starts a word still gets the joiner."""
    out = _diff(tmp_path, "2026-12-05", name="@everyone")
    ids = [line for line in out.splitlines() if line.startswith("- api `openai/gpt-6-luna@")]
    assert ids and "\u2060" not in ids[0]
    code, shown, err = invoke("pricing", "show", ids[0].split("`")[1])
    assert code == 0, err
    assert "@everyone" not in out and "@\u2060everyone" in out
