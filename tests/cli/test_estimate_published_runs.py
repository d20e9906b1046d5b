"""`costcalc estimate` names the published runs nearest its configuration under its table and in its JSON (schema
1.7, `published_runs`), at the capacity's load class where an SLO is given: before, it gave a band and nothing to say
whether anyone had run this GPU with this engine and model."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from costcalc.cli import app

L40S = ["--gpu", "l40s-48gb", "--model", "gpt-oss-20b", "--engine", "vllm", "--input-tokens", "1200"]
H100 = ["--gpu", "h100-sxm-80gb", "--model", "gpt-oss-120b", "--engine", "vllm", "--input-tokens", "1200"]


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, ["estimate", *args, "--output-tokens", "250", "--concurrency", "8"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_table_ends_with_the_runs_nearest_and_says_none_ran_it() -> None:
    out = invoke(*L40S)
    tail = out.split("Published runs: ", 1)[1]
    assert tail.startswith("no published run of vllm on l40s-48gb; nearest: gpt-oss-20b with vllm on other GPUs")
    assert "\n- gpt-oss-20b with vllm on other GPUs" in tail and "estimated held out" in tail
    assert "costcalc catalog benchmarks lists every run." in " ".join(tail.split())


def test_the_json_carries_them_and_an_exact_match_says_how_many_runs_measured_it() -> None:
    doc = json.loads(invoke(*H100, "-f", "json"))
    assert doc["schema_version"] == "1.9"
    runs = doc["published_runs"]
    assert runs["exact"] and runs["levels"][0]["match"] == "gpu_engine_model"
    first = runs["levels"][0]
    assert runs["summary"] == (
        f"{first['runs']} published runs of gpt-oss-120b with vllm on h100-sxm-80gb measured"
        f" {first['low']:.2f}x-{first['high']:.2f}x their held-out estimates"
    )
    closest = runs["levels"][0]["closest"]
    assert closest["gpu"] == "h100-sxm-80gb" and closest["source_url"].startswith("https://")


def test_each_cases_row_carries_the_runs_a_single_estimate_names(tmp_path: Path) -> None:
    """qa21 finding 13: `estimate --cases` (CSV and JSON) carried no published runs where `estimate` of the same row
    names them; now each row has the single estimate's `published_runs` (JSON 1.4) and, in the CSV, whether one ran its
    GPU, engine and model and its 'Published runs:' words (as report -f csv's published_runs_exact and published_runs)."""
    qwen = [
        "--gpu",
        "h100-sxm-80gb",
        "--model",
        "qwen3-32b",
        "--precision",
        "fp8",
        "--engine",
        "vllm",
        "--input-tokens",
        "1200",
    ]
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "gpu,gpu_count,model,precision,engine,input_tokens,output_tokens,concurrency,metric\n"
        "h100-sxm-80gb,1,qwen3-32b,fp8,vllm,1200,250,8,output_tokens_per_s\n"
        "l40s-48gb,1,gpt-oss-20b,,vllm,1200,250,8,output_tokens_per_s\n"
        "nosuch,1,qwen3-32b,,vllm,1000,200,,output_tokens_per_s\n"
    )
    singles = [json.loads(invoke(*args, "-f", "json"))["published_runs"] for args in (qwen, L40S)]
    doc = json.loads(_batch(cases, "-f", "json"))
    assert doc["schema_version"] == "1.4"
    assert [c["published_runs"] for c in doc["cases"]] == [*singles, None]
    said = " ".join(invoke(*qwen).split("Published runs: ", 1)[1].split(".\n", 1)[0].split())
    assert said.startswith("5 of 5 published runs of qwen3-32b at bf16 with vllm on h100-sxm-80gb measured below")
    rows = list(csv.DictReader(io.StringIO(_batch(cases))))
    assert [(r["published_runs_exact"], r["published_runs"]) for r in rows] == [
        ("yes", said),
        ("no", singles[1]["summary"]),
        ("", ""),
    ]


def _batch(cases: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["estimate", "--cases", str(cases), *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout
