"""Render the GPU and model catalogs as a table, JSON or CSV (pure functions, no I/O)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from pydantic import BaseModel

from costcalc.catalog.specs import GpuSpec, ModelSpec

# Columns shown in the table view (all fields go to JSON and CSV).
GPU_TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "id"),
    ("vendor", "vendor"),
    ("memory_gb", "mem GB"),
    ("memory_bandwidth_gb_s", "GB/s"),
    ("bf16_tflops", "bf16 TF"),
    ("fp8_tflops", "fp8 TF"),
    ("fp4_tflops", "fp4 TF"),
    ("tdp_w", "TDP W"),
    ("interconnect_gb_s", "link GB/s"),
)
MODEL_TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "id"),
    ("total_params_b", "total B"),
    ("active_params_b", "active B"),
    ("layers", "layers"),
    ("hidden_size", "hidden"),
    ("attention_heads", "heads"),
    ("kv_heads", "kv"),
    ("head_dim", "hd"),
    ("experts", "experts"),
    ("experts_per_token", "top-k"),
    ("max_context_tokens", "context"),
    ("native_precision", "precision"),
)


def _cell(value: object) -> str:
    """A value as table/CSV text: empty for unknown, no trailing '.0' on whole numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


PROVENANCE_FIELDS = ("source", "as_of", "notes")


def field_order(spec: type[BaseModel]) -> list[str]:
    """Columns/keys as shown: id and name, the data in spec order, then source, as_of, notes."""
    names = list(spec.model_fields)
    data = [n for n in names if n not in ("id", "name", *PROVENANCE_FIELDS)]
    return ["id", "name", *data, *PROVENANCE_FIELDS]


def _rows(specs: Sequence[BaseModel]) -> list[dict[str, object]]:
    """Specs as plain dicts in display order, dates as ISO strings."""
    out: list[dict[str, object]] = []
    for spec in specs:
        dumped = spec.model_dump(mode="json")
        out.append({k: dumped[k] for k in field_order(type(spec))})
    return out


def _table(specs: Sequence[BaseModel], columns: tuple[tuple[str, str], ...], title: str) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for field, header in columns:
        numeric = field not in {"id", "vendor", "native_precision"}
        table.add_column(header, justify="right" if numeric else "left", no_wrap=field == "id")
    for spec in specs:
        table.add_row(*(_cell(getattr(spec, field)) for field, _ in columns))
    console = Console(file=io.StringIO(), width=160, color_system=None, record=True)
    console.print(table)
    return console.export_text()


def _csv(specs: Sequence[BaseModel], spec: type[BaseModel]) -> str:
    fields = field_order(spec)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in _rows(specs):
        writer.writerow(_cell(row[f]) for f in fields)
    return out.getvalue()


def render_gpus_table(gpus: Sequence[GpuSpec]) -> str:
    """GPU catalog as a fixed-width text table (dense TFLOPS; empty = not published)."""
    return _table(gpus, GPU_TABLE_COLUMNS, "GPUs (dense TFLOPS, decimal GB)")


def render_models_table(models: Sequence[ModelSpec]) -> str:
    """Model catalog as a fixed-width text table."""
    return _table(models, MODEL_TABLE_COLUMNS, "Open-weight models (params in billions)")


def render_json(specs: Sequence[BaseModel]) -> str:
    """Every field of every row, keys in `field_order`, 2-space indent, null for unknown."""
    return json.dumps(_rows(specs), indent=2, ensure_ascii=False) + "\n"


def render_gpus_csv(gpus: Sequence[GpuSpec]) -> str:
    """GPU catalog as CSV with the same columns as the shipped gpus.csv reader accepts."""
    return _csv(gpus, GpuSpec)


def render_models_csv(models: Sequence[ModelSpec]) -> str:
    """Model catalog as CSV with the same columns as the shipped models.csv reader accepts."""
    return _csv(models, ModelSpec)
