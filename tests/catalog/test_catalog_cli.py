"""`costcalc catalog gpus|models` in table, JSON and CSV through a local Typer app."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
import typer
from pydantic import BaseModel
from typer.testing import CliRunner

from costcalc.catalog import list_gpus, list_models
from costcalc.cli.catalog import CatalogFormat, register


@pytest.fixture
def app() -> typer.Typer:
    root = typer.Typer()
    register(root)

    @root.callback()
    def _cb() -> None:
        pass

    return root


def _run(app: typer.Typer, *args: str) -> str:
    result = CliRunner().invoke(app, ["catalog", *args])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


COMMANDS = [("gpus", list_gpus), ("models", list_models)]
Rows = Callable[[], tuple[BaseModel, ...]]


@pytest.mark.parametrize(("command", "rows"), COMMANDS)
def test_table_lists_every_id(app: typer.Typer, command: str, rows: Rows) -> None:
    out = _run(app, command)
    for row in rows():
        assert row.id in out
    assert _run(app, command, "--format", "table") == out


@pytest.mark.parametrize(("command", "rows"), COMMANDS)
def test_json_has_every_field_in_display_order(app: typer.Typer, command: str, rows: Rows) -> None:
    data = json.loads(_run(app, command, "--format", "json"))["rows"]
    expected = rows()
    assert [d["id"] for d in data] == [r.id for r in expected]
    keys = list(data[0])
    assert sorted(keys) == sorted(type(expected[0]).model_fields)
    assert keys[:2] == ["id", "name"] and keys[-3:] == ["source", "as_of", "notes"]
    assert data[0]["as_of"] == expected[0].as_of.isoformat()


@pytest.mark.parametrize(("command", "rows"), COMMANDS)
def test_csv_has_one_line_per_row(app: typer.Typer, command: str, rows: Rows) -> None:
    parsed = list(csv.DictReader(io.StringIO(_run(app, command, "--format", "csv"))))
    assert [p["id"] for p in parsed] == [r.id for r in rows()]
    assert all(p["source"] and p["as_of"] for p in parsed)


def test_json_values_are_numbers_and_null_for_unknown(app: typer.Typer) -> None:
    data = {d["id"]: d for d in json.loads(_run(app, "gpus", "--format", "json"))["rows"]}
    assert data["h100-sxm-80gb"]["memory_gb"] == 80
    assert data["a10g-24gb"]["bf16_tflops"] is None


@pytest.mark.parametrize("command", ["gpus", "models"])
def test_catalog_json_is_versioned_as_every_json_costcalc_writes(app: typer.Typer, command: str) -> None:
    """qa10 finding 6: `catalog gpus|models -f json` printed a bare list of rows, with no schema_version."""
    doc = json.loads(_run(app, command, "--format", "json"))
    assert list(doc) == ["schema_version", "kind", "age_limit_days", "age_note", "rows"]
    assert (doc["schema_version"], doc["kind"]) == ("2.2", f"catalog_{command}") and doc["rows"]


def test_every_format_choice_renders(app: typer.Typer) -> None:
    for choice in CatalogFormat:
        assert _run(app, "gpus", "--format", choice.value).strip()


def test_unknown_format_is_a_usage_error(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["catalog", "gpus", "--format", "xml"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "xml" in result.stderr


def test_table_memory_is_what_the_estimate_counts(app: typer.Typer) -> None:
    """One GPU, one memory size: the table showed the vendor's GiB figure (80 for an H100) under 'decimal GB' while
    `costcalc estimate` says 'memory total GB 85.9' for the same card."""
    from costcalc.throughput.estimate import estimate_ids

    out = _run(app, "gpus")
    header = next(line.split() for line in out.splitlines() if line.startswith("id "))
    for gpu in ("h100-sxm-80gb", "rtx-4090-24gb"):
        row = next(line.split() for line in out.splitlines() if line.startswith(f"{gpu} "))
        total = estimate_ids(gpu, "llama-3.1-8b", input_tokens=100, output_tokens=10).memory_total_gb
        assert row[header.index("mem")] == f"{total:.1f}"
    assert "mem GB: decimal GB, as `costcalc estimate` counts them; vendors state GPU memory in GiB" in " ".join(
        out.split()
    )
