"""Render the GPU and model catalogs as a table, JSON or CSV (pure functions, no I/O)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence

from pydantic import BaseModel

from costcalc.catalog.ages import NO_AGE_LIMIT, age_note
from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.render.wrapping import wrap
from costcalc.throughput.memory_fit import memory_gb
from costcalc.throughput.rates import Rate, bf16_rate, fp8_rate

# Columns shown in the table view (all fields go to JSON and CSV): (field, header, drop); drop 0 stays at any
# width, the highest goes first on a narrow terminal.
GPU_TABLE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("id", "id", 0),
    ("vendor", "vendor", 4),
    ("memory_gb", "mem GB", 0),
    ("memory_bandwidth_gb_s", "GB/s", 0),
    ("bf16_tflops", "bf16 TF", 1),
    ("fp8_tflops", "fp8 TF", 1),
    ("fp4_tflops", "fp4 TF", 2),
    ("tdp_w", "TDP W", 3),
    ("idle_w", "idle W", 3),
    ("interconnect_gb_s", "link GB/s", 3),
    ("as_of", "as of", 2),
)
SOURCES_NOTE = "Each row's sources and notes: --format csv or json."  # too long for a column
MODEL_TABLE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("id", "id", 0),
    ("total_params_b", "total B", 0),
    ("active_params_b", "active B", 0),
    ("layers", "layers", 3),
    ("hidden_size", "hidden", 4),
    ("attention_heads", "heads", 4),
    ("kv_heads", "kv", 3),
    ("head_dim", "hd", 4),
    ("experts", "experts", 1),
    ("experts_per_token", "top-k", 1),
    ("max_context_tokens", "context", 2),
    ("native_precision", "precision", 2),
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


def _table(
    specs: Sequence[BaseModel],
    columns: tuple[tuple[str, str, int], ...],
    title: str,
    width: int,
    cell: Callable[[BaseModel, str], str] = lambda spec, field: _cell(getattr(spec, field)),
) -> str:
    from costcalc.render.layout import Column, render

    text_fields = {"id", "vendor", "native_precision"}
    return render(
        [
            Column(
                header,
                [cell(s, field) for s in specs],
                kind="id" if field in text_fields else "number",
                drop=drop,
            )
            for field, header, drop in columns
        ],
        width,
        title=title,
        elsewhere="as do --format json and csv",
    )


def _csv(specs: Sequence[BaseModel], spec: type[BaseModel]) -> str:
    fields = field_order(spec)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in _rows(specs):
        writer.writerow(_cell(row[f]) for f in fields)
    return out.getvalue()


# Tensor-rate columns the estimate fills where the catalog has no rate, shown with DERIVED_MARK and a note
DERIVED_RATES: dict[str, Callable[[GpuSpec], Rate]] = {"bf16_tflops": bf16_rate, "fp8_tflops": fp8_rate}
DERIVED_MARK = "*"
MISSING_MARK = "—"  # a GPU cell the catalog has no figure for (a blank read as a cell the table lost)
# What an fp4 cell without a rate means for an estimate (tensor_tflops.peak_tflops; a test holds it to that)
NO_FP4_WORDS = (
    "the estimate runs fp4 weights at the GPU's fp8 rate (bf16 without one) and mxfp4 weights at its bf16 rate"
)


def _gpu_cell(gpu: BaseModel, field: str) -> str:
    """A GPU table cell: memory in decimal GB as the estimate counts it (the catalog's figure is the vendor's GiB), the
    bf16 and fp8 rates the estimate uses, marked where it derives them."""
    assert isinstance(gpu, GpuSpec)
    if field == "memory_gb":
        return f"{memory_gb(gpu):,.1f}"
    if field in DERIVED_RATES:
        rate = DERIVED_RATES[field](gpu)
        return _cell(round(rate.tflops, 1)) + (DERIVED_MARK if rate.how else "")
    return _cell(getattr(gpu, field)) or MISSING_MARK


def _missing_note(gpus: Sequence[GpuSpec]) -> list[str]:
    """The legend of MISSING_MARK where a shown cell has it, saying what an fp4 cell without a rate means."""
    shown = [f for f, _, _ in GPU_TABLE_COLUMNS if f not in DERIVED_RATES]
    if not any(getattr(g, f) is None for g in gpus for f in shown):
        return []
    no_fp4 = any(g.fp4_tflops is None for g in gpus)
    return [f"{MISSING_MARK} not in the catalog." + (f" Without an fp4 rate {NO_FP4_WORDS}." if no_fp4 else "")]


def _derived_note(gpus: Sequence[GpuSpec]) -> list[str]:
    """Lines saying how the estimate derives each starred rate: '* bf16 = fp4 / 4: rtx-5090-32gb, dgx-spark-gb10'."""
    ways: dict[str, list[str]] = {}
    for field, rate in DERIVED_RATES.items():
        for gpu in gpus:
            if how := rate(gpu).how:
                name = field.split("_")[0]
                said = "bf16 (fp8 math in 16 bit)" if how == "bf16" and name == "fp8" else how
                ways.setdefault(f"{name} = {said}", []).append(gpu.id)
    if not ways:
        return []
    head = f"{DERIVED_MARK} no rate in the catalog; the estimate derives it:"
    return [head, *(f"  {way}: {', '.join(ids)}" for way, ids in ways.items())]


def _memory_note(gpus: Sequence[GpuSpec]) -> str:
    """What the memory column counts, with the first GPU's figures: 'mem GB: decimal GB, as `costcalc estimate` counts
    them; vendors state GPU memory in GiB (h100-sxm-80gb: 80 GiB = 85.9 GB).'"""
    said = f" ({gpus[0].id}: {_cell(gpus[0].memory_gb)} GiB = {memory_gb(gpus[0]):,.1f} GB)" if gpus else ""
    return f"mem GB: decimal GB, as `costcalc estimate` counts them; vendors state GPU memory in GiB{said}."


def render_gpus_table(gpus: Sequence[GpuSpec], width: int = 120) -> str:
    """GPU catalog as a text table fitted to `width` (dense TFLOPS; '—' = not in the catalog, except the bf16 and fp8
    rates the estimate derives, starred), then what its memory column counts, what '—' means and how each starred
    rate is derived."""
    table = _table(gpus, GPU_TABLE_COLUMNS, "GPUs (dense TFLOPS, decimal GB)", width, _gpu_cell)
    notes = [_memory_note(gpus), *_missing_note(gpus), *_derived_note(gpus), age_note("gpus"), SOURCES_NOTE]
    lines = [line for note in notes for line in wrap(note, max(width, 20), rest="    " if note[:1] == " " else "")]
    return "\n".join([table.rstrip("\n"), *lines]) + "\n"


def _model_cell(model: BaseModel, field: str) -> str:
    """A model table cell: a whole number with its thousands grouped, as every other table groups them (a context of
    '10,485,760' tokens, not '10485760'); parameters in billions as the catalog gives them."""
    value = getattr(model, field)
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else _cell(value)


def render_models_table(models: Sequence[ModelSpec], width: int = 120) -> str:
    """Model catalog as a text table fitted to `width`, then why its dates set no age limit and where its sources
    are."""
    table = _table(models, MODEL_TABLE_COLUMNS, "Open-weight models (params in billions)", width, _model_cell)
    lines = [line for note in (age_note("models"), SOURCES_NOTE) for line in wrap(note, max(width, 20))]
    return "\n".join([table.rstrip("\n"), *lines]) + "\n"


# 2.0: an object {schema_version, kind, rows}, as every JSON costcalc writes is versioned; before, unversioned: a
# bare list of rows. A major version: the shape changed. 2.1: a model's fp8_weight_block_size (its own FP8
# checkpoint's weight block, '128x128'; null: per-tensor or not stated). 2.2: `age_limit_days` (null: a spec has none)
# and `age_note` (why), as the tables' listings say.
CATALOG_SCHEMA_VERSION = "2.2"


def render_gpus_json(gpus: Sequence[GpuSpec]) -> str:
    """{'schema_version', 'kind': 'catalog_gpus', 'rows': [...]}: every field of every GPU."""
    return _json(gpus, "catalog_gpus", "gpus")


def render_models_json(models: Sequence[ModelSpec]) -> str:
    """{'schema_version', 'kind': 'catalog_models', 'rows': [...]}: every field of every model."""
    return _json(models, "catalog_models", "models")


def _json(specs: Sequence[BaseModel], kind: str, catalog: str) -> str:
    """Every field of every row, keys in `field_order`, 2-space indent, null for unknown; the catalog's age limit (none)
    and why."""
    assert catalog in NO_AGE_LIMIT, catalog
    doc = {
        "schema_version": CATALOG_SCHEMA_VERSION,
        "kind": kind,
        "age_limit_days": None,
        "age_note": age_note(catalog),
        "rows": _rows(specs),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_gpus_csv(gpus: Sequence[GpuSpec]) -> str:
    """GPU catalog as CSV with the same columns as the shipped gpus.csv reader accepts."""
    return _csv(gpus, GpuSpec)


def render_models_csv(models: Sequence[ModelSpec]) -> str:
    """Model catalog as CSV with the same columns as the shipped models.csv reader accepts."""
    return _csv(models, ModelSpec)
