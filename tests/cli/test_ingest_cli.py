"""`costcalc ingest` through CliRunner: stdout, stderr and exit codes checked separately."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from costcalc.cli import app

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "throughput"


def run(*args: str):
    return CliRunner().invoke(app, ["ingest", *args])


def test_table_per_file_one_row_per_point_sorted_by_concurrency():
    vllm, llmperf = str(FIXTURES / "vllm_append.jsonl"), str(FIXTURES / "llmperf_c8_summary.json")
    result = run(vllm, llmperf)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"vllm: {vllm}"
    rows = [line.split() for line in lines if line.strip()[:1].isdigit()]
    # concurrency, in, out, req/s, out tok/s, TTFT p50, TTFT p95, TPOT p50
    assert [row[0] for row in rows] == ["1", "4", "16", "8"]
    assert rows[0] == ["1", "1,024", "256", "0.500", "128.0", "60.0", "-", "7.50"]
    assert rows[3] == ["8", "548", "152", "2.250", "342.0", "280.0", "410.0", "-"]
    assert f"llmperf: {llmperf}" in lines
    assert lines.index(f"llmperf: {llmperf}") > lines.index(f"vllm: {vllm}")
    assert "TTFT p95" in result.stdout and "out tok/s" in result.stdout
    assert result.stderr == ""


def test_table_fits_the_width_and_keeps_throughput(tmp_path: Path):
    for columns in (40, 80, 120, 200):
        result = CliRunner().invoke(app, ["ingest", str(FIXTURES / "vllm_append.jsonl")], env={"COLUMNS": str(columns)})
        assert result.exit_code == 0
        assert max(len(line) for line in result.stdout.splitlines()) <= columns
        assert "tok/s" in result.stdout and "1,024.0" in result.stdout  # "out tok/s", its header folded when narrow


def test_writes_the_format_its_file_names(tmp_path: Path):
    target = tmp_path / "points.json"
    result = run(str(FIXTURES / "vllm_append.jsonl"), "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert [p["concurrency"] for p in json.loads(target.read_text())["points"]] == [1.0, 4.0, 16.0]


def test_json_has_stable_keys_and_exact_numbers():
    result = run("--format", "json", str(FIXTURES / "costcalc_measure.json"))
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert (doc["schema_version"], doc["kind"], list(doc)) == ("2.0", "ingest", ["schema_version", "kind", "points"])
    points = doc["points"]
    assert [p["concurrency"] for p in points] == [4.0, 16.0]
    first = points[0]
    assert list(first) == [
        "tool",
        "source",
        "model",
        "concurrency",
        "request_rate_per_s",
        "input_tokens",
        "output_tokens",
        "requests_per_s",
        "output_tokens_per_s",
        "output_tokens_per_s_per_user",
        "completed",
        "failed",
        "ttft_ms",
        "tpot_ms",
        "itl_ms",
        "e2e_ms",
    ]
    assert (first["requests_per_s"], first["output_tokens_per_s"]) == (3.25, 416.0)
    assert first["ttft_ms"] == {"mean": 80.0, "p50": 75.0, "p90": 110.0, "p95": 125.0, "p99": 160.0}
    assert first["output_tokens_per_s_per_user"] == 1000 / 8.8
    # the skipped concurrency-64 level is a warning on stderr, not an output row
    assert result.stderr.startswith("warning: ") and "concurrency 64" in result.stderr


def test_malformed_file_exit_2_one_line_error_no_traceback():
    result = run(str(FIXTURES / "vllm_old.json"), str(FIXTURES / "malformed.json"))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ") and "malformed.json" in lines[0]
    assert "the file was cut short" in lines[0]  # it ends mid-document
    assert "Traceback" not in result.output


def test_unknown_kind_of_file_exit_2():
    result = run(str(FIXTURES / "other_kind.json"))
    assert result.exit_code == 2
    assert "other_kind.json: not a recognised benchmark result" in result.stderr
    assert "found keys: data, total_count" in result.stderr


def test_all_failed_file_exit_2():
    result = run(str(FIXTURES / "vllm_all_failed.json"))
    assert result.exit_code == 2
    assert "vllm_all_failed.json: no usable result" in result.stderr


def test_bad_format_option_is_a_usage_error():
    result = run("--format", "csv", str(FIXTURES / "vllm_old.json"))
    assert result.exit_code == 2
    assert "csv" in result.stderr


def test_help_lists_the_tools():
    result = run("--help")
    assert result.exit_code == 0
    assert "GuideLLM" in result.stdout and "--format" in result.stdout
