"""A file given to the wrong command is named for what it is, the same way by every reader (costcalc.file_kinds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.cli import app
from costcalc.file_kinds import file_kind
from costcalc.throughput.formats import PARSERS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "throughput"
SCENARIO = """\
version: 1
workload: {requests_per_day: 20000, input_tokens: 1000, output_tokens: 200}
options:
  - {name: Luna, kind: api, model: openai/gpt-6-luna}
"""
VLLM_SAID = (
    "a vLLM bench serve result, not {} (it goes under a self-hosted option's throughput: {{measured: FILE}};"
    " `costcalc ingest` shows its points)"
)


def _run(*args: str) -> tuple[int, str]:
    ran = CliRunner().invoke(app, [*args, "--today", "2026-12-05"] if args[0] != "ingest" else list(args))
    return ran.exit_code, ran.stderr


@pytest.mark.parametrize(
    "name", sorted(p.name for p in FIXTURES.glob("*.json") if p.name not in ("other_kind.json", "malformed.json"))
)
def test_every_result_ingest_reads_is_a_benchmark_result_by_the_same_recogniser(name: str) -> None:
    doc = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    docs = doc if isinstance(doc, list) else [doc]
    for one in docs:
        kind = file_kind(one)
        parsers = [p for p in PARSERS if p.matches(one)]
        assert (kind is not None and kind.name == "benchmark result") == bool(parsers), name


def test_a_scenario_is_no_benchmark_result_and_a_benchmark_result_no_scenario() -> None:
    kind = file_kind({"version": 1, "workload": {}, "options": []})
    assert kind is not None and kind.name == "scenario"
    assert file_kind({"version": 1, "workload": {}}) is None  # a scenario with a key missing: its reader names it
    assert file_kind([1, 2]) is None and file_kind("text") is None


def test_a_vllm_result_is_named_by_each_reader(tmp_path: Path) -> None:
    """qa23 left: a vLLM result given as the scenario read "date: unknown key 'date' (did you mean: name?) (+52
    more)"; `pricing validate` and --pricing said only "expected a YAML list of rows", --pricing-lock "not a costcalc
    pricing lock", diff "not a costcalc JSON report (no schema_version/options)"."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    result = str(FIXTURES / "vllm_new.json")
    assert _run("report", result) == (2, f"error: {result}:1: {VLLM_SAID.format('a scenario')}\n")
    code, said = _run("pricing", "validate", result)
    assert code == 2 and said.endswith(f"this is {VLLM_SAID.format('a price table')}\n")
    code, said = _run("report", str(scenario), "--pricing", result)
    assert code == 2 and said.endswith(f"this is {VLLM_SAID.format('a price table')}\n")
    code, said = _run("report", str(scenario), "--pricing-lock", result)
    assert (code, said) == (
        2,
        f"error: {result}: {VLLM_SAID.format('a pricing lock')}; write a lock with `costcalc pricing lock SCENARIO`\n",
    )
    code, said = _run("diff", result, str(scenario))
    assert (code, said) == (
        2,
        f"error: {result}: {VLLM_SAID.format('a report or a scenario')}; save a report with `costcalc report SCENARIO"
        " -f json -o FILE`\n",
    )


def test_a_scenario_or_report_given_to_ingest_or_as_a_lock_is_named(tmp_path: Path) -> None:
    scenario, report = tmp_path / "s.yaml", tmp_path / "r.json"
    scenario.write_text(SCENARIO, encoding="utf-8")
    assert _run("report", str(scenario), "-f", "json", "-o", str(report))[0] == 0
    assert _run("ingest", str(scenario)) == (
        2,
        f"error: {scenario}: a scenario, not a benchmark result (`costcalc report` reads and checks it)\n",
    )
    code, said = _run("ingest", str(report))
    assert code == 2 and said.endswith(", not a benchmark result (`costcalc diff` compares saved reports)\n")
    assert _run("report", str(scenario), "--pricing-lock", str(scenario)) == (
        2,
        f"error: {scenario}: a scenario, not a pricing lock (`costcalc report` reads and checks it); write a lock with"
        " `costcalc pricing lock SCENARIO`\n",
    )
