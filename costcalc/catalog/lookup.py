"""Read the shipped GPU and model catalogs (CSV package data) and look rows up by id."""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import TextIO, TypeVar

from pydantic import BaseModel, ValidationError

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.errors import CatalogError, did_you_mean

CATALOG_DIR = Path(__file__).parent
GPUS_CSV = CATALOG_DIR / "gpus.csv"
MODELS_CSV = CATALOG_DIR / "models.csv"

# A few obvious short names: alias (normalised) -> catalog id.
GPU_ALIASES: dict[str, str] = {
    "h100": "h100-sxm-80gb",
    "h100-sxm": "h100-sxm-80gb",
    "h100-nvl": "h100-nvl-94gb",
    "h100-pcie": "h100-pcie-80gb",
    "h200": "h200-sxm-141gb",
    "h200-sxm": "h200-sxm-141gb",
    "b200": "b200-sxm-180gb",
    "b300": "b300-sxm-268gb",
    "gb200": "gb200-186gb",
    "gb300": "gb300-288gb",
    "a100": "a100-sxm-80gb",
    "a100-80gb": "a100-sxm-80gb",
    "a100-40gb": "a100-sxm-40gb",
    "l40s": "l40s-48gb",
    "l4": "l4-24gb",
    "a10g": "a10g-24gb",
    "rtx-3060": "rtx-3060-12gb",
    "rtx-3090": "rtx-3090-24gb",
    "rtx-4090": "rtx-4090-24gb",
    "rtx-5090": "rtx-5090-32gb",
    "rtx-pro-6000": "rtx-pro-6000-96gb",
    "mi300x": "mi300x-192gb",
    "mi325x": "mi325x-256gb",
    "mi355x": "mi355x-288gb",
    "dgx-spark": "dgx-spark-gb10",
    "gb10": "dgx-spark-gb10",
}

SpecT = TypeVar("SpecT", GpuSpec, ModelSpec)  # the catalog tables; each row has an id


def normalise_id(raw: str) -> str:
    """Case-fold an id and turn spaces/underscores into hyphens ('H100 SXM' -> 'h100-sxm')."""
    return "-".join(raw.strip().lower().replace("_", " ").split())


def read_catalog(path: Path, spec: type[SpecT]) -> tuple[SpecT, ...]:
    """Validate one catalog CSV; any error names file:line:column and the fix."""
    origin = str(path)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            return _parse(fh, spec, origin)
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror}", file=origin) from None
    except csv.Error as exc:
        raise CatalogError(f"malformed CSV: {exc}", file=origin) from None


def _parse(fh: TextIO, spec: type[SpecT], origin: str) -> tuple[SpecT, ...]:
    """Check the header, then validate each non-blank row; ids must be canonical and unique."""
    reader = csv.reader(fh)
    header = _check_header(next(reader, None), spec, origin)
    column_of = {name: col for col, name in enumerate(header, start=1)}
    id_col = f"column {column_of['id']} (id)"
    rows: list[SpecT] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1  # first line of the next record (quoted cells may span lines)
    for values in reader:
        if any(v.strip() for v in values):
            row = _validate_row(values, header, column_of, spec, origin, line)
            row_id = str(row.id)
            if row_id != normalise_id(row_id):
                raise CatalogError(
                    f"{id_col}: {row_id!r} must be lower-case with hyphens",
                    file=origin,
                    line=line,
                )
            if row_id in seen:
                raise CatalogError(
                    f"{id_col}: duplicate id {row_id!r} (first on line {seen[row_id]})",
                    file=origin,
                    line=line,
                )
            seen[row_id] = line
            rows.append(row)
        line = reader.line_num + 1
    return tuple(rows)


def _check_header(header: list[str] | None, spec: type[BaseModel], origin: str) -> list[str]:
    """The header names only fields of `spec` and every required one."""
    if header is None:
        raise CatalogError("empty catalog file; expected a header row", file=origin, line=1)
    fields = spec.model_fields
    for col, name in enumerate(header, start=1):
        if name not in fields:
            raise CatalogError(
                f"column {col}: unknown column {name!r}; expected one of {', '.join(fields)}",
                file=origin,
                line=1,
            )
    missing = [n for n, f in fields.items() if f.is_required() and n not in header]
    if missing:
        raise CatalogError(f"missing required column(s): {', '.join(missing)}", file=origin, line=1)
    return header


def _validate_row(
    values: list[str],
    header: list[str],
    column_of: dict[str, int],
    spec: type[SpecT],
    origin: str,
    line: int,
) -> SpecT:
    """One record -> a spec; empty cells are unknown (the field's default)."""
    if len(values) != len(header):
        raise CatalogError(
            f"{len(values)} cells but the header has {len(header)}; quote cells that contain commas",
            file=origin,
            line=line,
        )
    raw = {k: v.strip() for k, v in zip(header, values, strict=True) if v.strip()}
    try:
        return spec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else ""
        col = column_of.get(field)
        where = f"column {col} ({field})" if col else f"field {field}"
        raise CatalogError(
            f"{where}: {err['msg']}; fix the cell or leave it empty if unknown",
            file=origin,
            line=line,
        ) from None


def load_gpus(path: Path | None = None) -> tuple[GpuSpec, ...]:
    """GPU rows from `path` (a user catalog) or the shipped gpus.csv; not cached."""
    return read_catalog(path or GPUS_CSV, GpuSpec)


def load_models(path: Path | None = None) -> tuple[ModelSpec, ...]:
    """Model rows from `path` (a user catalog) or the shipped models.csv; not cached."""
    return read_catalog(path or MODELS_CSV, ModelSpec)


@functools.cache
def list_gpus() -> tuple[GpuSpec, ...]:
    """Every shipped GPU, in file order (read once per process)."""
    return load_gpus()


@functools.cache
def list_models() -> tuple[ModelSpec, ...]:
    """Every shipped open-weight model, in file order (read once per process)."""
    return load_models()


def get_gpu(gpu_id: str, *, param: str | None = None) -> GpuSpec:
    """One GPU by id (case-insensitive; short aliases such as 'h100' or 'mi300x'); `param`: the argument that gave
    the id, which an unknown id's error names."""
    if not isinstance(gpu_id, str):
        raise CatalogError(f"a GPU id is a string, not {type(gpu_id).__name__}", param=param)
    by_id = {g.id: g for g in list_gpus()}
    key = normalise_id(gpu_id)
    key = GPU_ALIASES.get(key, key)
    if key in by_id:
        return by_id[key]
    raise CatalogError(
        f"unknown GPU id {gpu_id!r}{did_you_mean(key, tuple(by_id))}; `costcalc catalog gpus` lists the ids",
        param=param,
    )


def get_model(model_id: str, *, param: str | None = None) -> ModelSpec:
    """One model by id, or by its Hugging Face repo ('Qwen/Qwen3-8B'), case-insensitive; `param`: the argument that
    gave the id, which an unknown id's error names."""
    if not isinstance(model_id, str):
        raise CatalogError(f"a model id is a string, not {type(model_id).__name__}", param=param)
    models = list_models()
    by_id = {m.id: m for m in models}
    key = normalise_id(model_id)
    if key in by_id:
        return by_id[key]
    for m in models:
        repo = m.hf_repo.lower()
        if key in (repo, repo.rsplit("/", 1)[-1]):
            return m
    raise CatalogError(
        f"unknown model id {model_id!r}{did_you_mean(key, tuple(by_id))}; `costcalc catalog models` lists the ids",
        param=param,
    )
