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
        "1.1",
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
    assert len(lines) < rows + 20 and max(map(len, lines)) <= 80
    assert lines[0].split()[:2] == ["id", "model"]
