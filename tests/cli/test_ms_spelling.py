"""Every duration a command writes in words is spelled by costcalc.words.milliseconds, every count it states with
thousands separators: the serving summary read 'TTFT p95 2,782 ms <= 3000 ms' and '8192 tokens/step'."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from costcalc.words import count, milliseconds
from tests.support.cli import invoke

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(REPO_ROOT / "examples" / "internal-assistant.yaml")  # its TTFT p95 target is 3000 ms
TODAY = ("--today", "2026-12-06")
DURATION = re.compile(r"(?<![\w.,])(-?\d[\d,]*(?:\.\d+)?) ms\b")
STEP_BUDGET = re.compile(r"(\d[\d,]*) tokens/step")


def _spelled_once(text: str) -> None:
    durations = DURATION.findall(text)
    assert durations, "no duration in the text"
    for said in durations:
        assert milliseconds(float(said.replace(",", ""))) == f"{said} ms", said
    budgets = STEP_BUDGET.findall(text)
    assert budgets, "no step budget in the text"
    for said in budgets:
        assert count(int(said.replace(",", ""))) == said, said


@pytest.mark.parametrize("columns", [80, 120])
def test_the_reports_serving_summary_spells_every_duration_one_way(columns: int, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = invoke("report", EXAMPLE, *TODAY, "--details")
    assert code == 0, err
    words = " ".join(out.split())
    assert "<= 3,000 ms" in words  # the target, beside a simulated p95 in the thousands
    _spelled_once(words)


def test_the_serving_summary_in_json_and_markdown_is_the_same_words() -> None:
    code, out, err = invoke("report", EXAMPLE, *TODAY, "--format", "json")
    assert code == 0, err
    _spelled_once(" ".join(json.loads(out)["assumptions"]))
    code, out, err = invoke("report", EXAMPLE, *TODAY, "--format", "markdown")
    assert code == 0, err
    _spelled_once(out)
