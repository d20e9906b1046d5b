"""CSV reader errors name file:line:column; the shipped files round-trip through it."""

from __future__ import annotations

from pathlib import Path

import pytest

from costcalc.catalog import GpuSpec, ModelSpec, list_gpus, read_catalog
from costcalc.errors import CatalogError

HEADER = "id,name,vendor,memory_gb,memory_bandwidth_gb_s,source,as_of\n"
GOOD = "x-1,X One,nvidia,80,3350,https://example.com/x,2024-01-01\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gpus.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reader_accepts_a_minimal_file_and_leaves_empty_cells_unknown(tmp_path: Path) -> None:
    rows = read_catalog(_write(tmp_path, HEADER + GOOD), GpuSpec)
    assert len(rows) == 1
    assert rows[0].memory_gb == 80
    assert rows[0].bf16_tflops is None


def test_bad_number_names_file_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + GOOD + "x-2,X Two,nvidia,80,fast,https://e.com/x,2024-01-01\n")
    with pytest.raises(CatalogError) as info:
        read_catalog(path, GpuSpec)
    message = str(info.value)
    assert message.startswith(f"{path}:3: ")
    assert "column 5 (memory_bandwidth_gb_s)" in message


def test_missing_required_cell_names_its_column(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "x-2,X Two,nvidia,,3350,https://e.com/x,2024-01-01\n")
    with pytest.raises(CatalogError, match=r":2: column 4 \(memory_gb\)"):
        read_catalog(path, GpuSpec)


def test_line_numbers_count_quoted_multiline_cells(tmp_path: Path) -> None:
    header = HEADER.rstrip("\n") + ",notes\n"
    first = GOOD.rstrip("\n") + ',"two\nlines"\n'
    bad = "x-2,X Two,nvidia,80,3350,https://e.com/x,not-a-date,\n"
    path = _write(tmp_path, header + first + bad)
    with pytest.raises(CatalogError, match=r":4: column 7 \(as_of\)"):
        read_catalog(path, GpuSpec)


def test_unknown_column_is_rejected_on_line_1(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER.rstrip("\n") + ",colour\n" + GOOD.rstrip("\n") + ",red\n")
    with pytest.raises(CatalogError, match=r":1: column 8: unknown column 'colour'"):
        read_catalog(path, GpuSpec)


def test_missing_required_column_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,name,source,as_of\nx,X,https://e.com,2024-01-01\n")
    with pytest.raises(CatalogError, match="missing required column"):
        read_catalog(path, GpuSpec)


def test_duplicate_and_non_canonical_ids_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r":3: column 1 \(id\): duplicate id 'x-1'"):
        read_catalog(_write(tmp_path, HEADER + GOOD + GOOD), GpuSpec)
    with pytest.raises(CatalogError, match="lower-case"):
        read_catalog(_write(tmp_path, HEADER + GOOD.replace("x-1", "X_1")), GpuSpec)


def test_ragged_row_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r":2: 8 cells but the header has 7"):
        read_catalog(_write(tmp_path, HEADER + GOOD.rstrip("\n") + ",extra\n"), GpuSpec)


def test_missing_file_is_a_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read catalog"):
        read_catalog(tmp_path / "absent.csv", ModelSpec)


def test_shipped_gpu_csv_round_trips_through_the_csv_renderer(tmp_path: Path) -> None:
    from costcalc.render.catalog import render_gpus_csv

    path = _write(tmp_path, render_gpus_csv(list_gpus()))
    assert read_catalog(path, GpuSpec) == list_gpus()


def test_load_functions_take_an_optional_user_path(tmp_path: Path) -> None:
    from costcalc.catalog import list_models, load_gpus, load_models

    assert load_models() == list_models()
    rows = load_gpus(_write(tmp_path, HEADER + GOOD))
    assert [r.id for r in rows] == ["x-1"]


def test_shipped_files_are_in_canonical_form() -> None:
    """Hand edits keep the renderer's format (column order, quoting, no '80.0'), so diffs stay small."""
    from costcalc.catalog import list_models
    from costcalc.catalog.lookup import GPUS_CSV, MODELS_CSV
    from costcalc.render.catalog import render_gpus_csv, render_models_csv

    assert GPUS_CSV.read_text(encoding="utf-8") == render_gpus_csv(list_gpus())
    assert MODELS_CSV.read_text(encoding="utf-8") == render_models_csv(list_models())
