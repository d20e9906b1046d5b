"""An API option whose model's context window is shorter than the workload's prompts is warned about: the provider
refuses such requests (qa24: 50,000,000-token prompts billed at $15.2M a month, unsaid; a self-hosted option of a
model too short for them is refused)."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import invoke

SCENARIO = """\
version: 1
workload: {{requests_per_day: 100, input_tokens: {prompt}, output_tokens: 300}}
options:
  - {{name: Luna, kind: api, model: openai/gpt-6-luna}}
"""


def _report(tmp_path: Path, prompt: int) -> tuple[int, str]:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO.format(prompt=prompt), encoding="utf-8")
    code, _, err = invoke("report", str(scenario), "--today", "2026-12-05")
    return code, err


def test_prompts_past_the_context_window_are_said(tmp_path: Path) -> None:
    code, err = _report(tmp_path, 2_000_000)  # Luna's row: a 1,050,000-token window
    assert code == 0
    assert (
        "warning: Luna: prompts of 2,000,000 tokens are longer than openai/gpt-6-luna's context window (1,050,000"
        " tokens, as its price row has it); the provider refuses such requests, so this cost is of requests it does"
        " not serve: shorten them, or choose a model with a longer context"
    ) in err


def test_prompts_within_it_are_not(tmp_path: Path) -> None:
    code, err = _report(tmp_path, 1_000_000)
    assert code == 0 and "context window" not in err
