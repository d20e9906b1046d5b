"""`costcalc catalog benchmarks` on every surface: the table within the terminal, the JSON versioned, the CSV with
each row's source, a mistyped engine one line and exit 2."""

from __future__ import annotations

import csv
import io
import json

import pytest

from costcalc.analysis.benchmarks import band_benchmarks
from tests.support.cli import invoke


@pytest.mark.parametrize("columns", [80, 120])
def test_the_table_fits_the_terminal_and_names_the_band(columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = invoke("catalog", "benchmarks", "--engine", "vllm", "--class", "server")
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns, [line for line in lines if len(line) > columns]
    text = " ".join(out.split())
    found = band_benchmarks("vllm", "server")
    assert found.stats is not None and found.quoted_p90 is not None
    assert f"vllm server: {len(found.rows)} held-out benchmarks" in text
    assert f"Error: median {found.stats.median:.1%}, p90 {found.stats.p90:.1%}." in text
    assert f"Estimates of vllm server quote this p90 as their band ({found.quoted_p90:.1%})." in text


def test_json_and_csv_carry_every_row_with_its_source() -> None:
    code, out, err = invoke("catalog", "benchmarks", "--engine", "vllm", "--class", "server", "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["schema_version"], doc["kind"], doc["engine"], doc["class"]) == (
        "1.2",
        "catalog_benchmarks",
        "vllm",
        "server",
    )
    assert doc["band"]["rows"] == len(doc["rows"]) == len(band_benchmarks("vllm", "server").rows)
    assert doc["band"]["quoted"] == "vllm/server"
    code, out, err = invoke("catalog", "benchmarks", "--engine", "vllm", "--class", "server", "-f", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["case_id"] for r in rows] == [r["case_id"] for r in doc["rows"]]
    assert all(r["source_url"].startswith("https://") and r["source_date"] for r in rows)


def test_a_mistyped_engine_is_one_line_and_exit_2() -> None:
    code, out, err = invoke("catalog", "benchmarks", "--engine", "vlm")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        "error: --engine: no held-out benchmarks of engine 'vlm' (did you mean: vllm?); engines: llamacpp, mlx,"
        " sglang, trtllm, vllm"
    ]


def test_every_row_at_80_columns_is_a_table_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unfiltered, the longest model names did not fit 80 columns beside the figures, so the listing fell back to one
    row under another: 4,014 lines for 334 rows. The model column wraps its longer names instead."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = invoke("catalog", "benchmarks")
    assert code == 0, err
    rows = len(band_benchmarks().rows)
    lines = out.splitlines()
    assert len(lines) < 3 * rows and max(map(len, lines)) <= 80  # a row and its GPUs' line, not stacked (12 a row)
    assert lines[1].split()[:2] == ["id", "GPUs"] and lines[0].split() == ["model"]


@pytest.mark.parametrize("columns", [80, 120])
def test_every_row_says_which_gpus_it_ran_on(columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 80 columns the GPUs column gave way to the figures, so no row said where it ran (tp-002 read 'llama-3.1-8b
    fp8 out tok/s 17,744' on an H200 or an M3 Ultra alike): the GPUs now go under the model where they have no column
    of their own."""
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = invoke("catalog", "benchmarks")
    assert code == 0, err
    found = band_benchmarks()
    ids = {r.case_id for r in found.rows}
    blocks: dict[str, str] = {}
    current = None
    for line in out.splitlines():
        first = line.split()[0] if line.split() else ""
        current = first if first in ids else current if line.startswith(" ") and current else None
        if current:
            blocks[current] = blocks.get(current, "") + " " + line
    assert set(blocks) == ids
    for r in found.rows:
        assert f"{r.gpu_count}x {r.gpu}" in blocks[r.case_id], blocks[r.case_id]


def test_gpu_model_and_engine_list_the_runs_a_report_names_for_that_configuration() -> None:
    """A report says '5 published runs of qwen3-32b with vllm on h100-sxm-80gb measured ...': --gpu, --model and
    --engine list exactly those rows (before, catalog benchmarks filtered by engine and class only: 338 rows to read
    through for one configuration's 5)."""
    from costcalc.analysis.published_runs import Configuration, nearest_runs
    from costcalc.catalog import get_gpu

    code, out, err = invoke(
        "catalog", "benchmarks", "--engine", "vllm", "--gpu", "h100", "--model", "qwen3-32b", "-f", "json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["schema_version"], doc["gpu"], doc["model"], doc["precision"]) == (
        "1.2",
        "h100-sxm-80gb",  # the alias resolved
        "qwen3-32b",
        None,
    )
    assert doc["band"]["quoted"] is None  # a configuration's rows are no band
    assert {(r["gpu"], r["model"], r["engine"]) for r in doc["rows"]} == {("h100-sxm-80gb", "qwen3-32b", "vllm")}
    config = Configuration(get_gpu("h100-sxm-80gb"), 1, "qwen3-32b", "bf16", "vllm", "server", 1000.0, 200.0)
    exact = nearest_runs(config).levels[0]
    assert exact.match == "gpu_engine_model" and exact.closest.case_id in {r["case_id"] for r in doc["rows"]}
    code, out, err = invoke("catalog", "benchmarks", "--engine", "vllm", "--gpu", "h100", "--model", "qwen3-32b")
    assert code == 0, err
    text = " ".join(out.split())
    assert f"vllm, h100-sxm-80gb, qwen3-32b: {len(doc['rows'])} held-out benchmarks" in text
    assert f"They are {exact.runs} published runs as a report counts them" in text
    assert "quote this p90 as their band" not in text


def test_a_precision_narrows_and_a_configuration_no_one_ran_says_so() -> None:
    code, out, err = invoke("catalog", "benchmarks", "--precision", "MXFP4", "-f", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {r["precision"] for r in rows} == {"mxfp4"}
    code, out, err = invoke("catalog", "benchmarks", "--engine", "vllm", "--gpu", "l40s-48gb")
    assert code == 0, err
    assert "vllm, l40s-48gb: 0 held-out benchmarks" in " ".join(out.split())
    assert "None ran this configuration: `costcalc estimate` names the published runs nearest it." in " ".join(
        out.split()
    )


@pytest.mark.parametrize(
    ("flag", "value", "said"),
    [
        ("--gpu", "h100-sxn-80gb", "error: --gpu: unknown GPU id 'h100-sxn-80gb' (did you mean: h100-sxm-80gb"),
        ("--model", "qwen3-32", "error: --model: unknown model id 'qwen3-32' (did you mean: qwen3-32b"),
        ("--precision", "bf61", "error: --precision: no held-out benchmarks at precision 'bf61' (did you mean: bf16"),
    ],
)
def test_an_unknown_gpu_model_or_precision_is_one_line_with_the_nearest_ids(flag: str, value: str, said: str) -> None:
    code, out, err = invoke("catalog", "benchmarks", flag, value)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(said), lines


def test_the_help_names_the_configuration_filters() -> None:
    code, out, err = invoke("catalog", "benchmarks", "--help")
    assert code == 0, err
    assert all(flag in out for flag in ("--gpu", "--model", "--precision"))
