"""Read and validate price tables (CSV, one file per table) from the shipped folder or a user file."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from costcalc.errors import PricingError
from costcalc.pricing.schema import TABLES, _Row


def shipped_dir() -> Path:
    """The folder of shipped tables: inside the installed wheel, else the source checkout's pricing/."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_pricing", here.parent / "pricing"):
        if (candidate / "api.csv").is_file():
            return candidate
    raise PricingError("shipped pricing tables not found; reinstall costcalc")


def parse_rows(table: str, rows: list[dict[str, str]], origin: str, first_line: int = 2) -> list[_Row]:
    """Validate raw rows of one table; errors name the file, the line and the column."""
    model = TABLES[table]
    out: list[_Row] = []
    seen: dict[str, int] = {}
    for offset, raw in enumerate(rows):
        line = first_line + offset
        clean = {k: v for k, v in raw.items() if k is not None and v not in (None, "")}
        try:
            row = model.model_validate(clean)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or None
            message = _cell_message(err, model, table, raw)
            raise PricingError(
                message,
                file=origin,
                line=line,
                field=field,
            ) from None
        if row.id in seen:
            raise PricingError(
                f"duplicate id {row.id!r} (first on line {seen[row.id]}); give each row its own id",
                file=origin,
                line=line,
                field="id",
            )
        seen[row.id] = line
        out.append(row)
    return out


def _cell_message(err: Any, model: type[_Row], table: str, raw: dict[str, Any]) -> str:
    """A refused cell in the words a scenario's field gets: the value, and how to write it ('$2.10' → 2.1,
    '11/01/2026' → YYYY-MM-DD); a cell missing from a short row says how many cells the row has."""
    from costcalc.models.invalid import fix_hint, number_hint
    from costcalc.textsafe import shown
    from costcalc.written_dates import date_hint

    kind, value = err["type"], err.get("input")
    name = str(err["loc"][0]) if err["loc"] else ""
    message = str(err["msg"])
    if kind == "value_error":  # costcalc's own checks say what to do
        return message.removeprefix("Value error, ")
    if kind == "missing":
        given = sum(v is not None for k, v in raw.items() if k is not None)
        short = f"; the row has {given} of {len(raw)} cells" if None in raw.values() else ""
        return f"missing: every {table} row gives {name}{short}"
    got = f" (got {shown(value)})" if isinstance(value, str) else ""
    if kind in ("float_parsing", "int_parsing") and isinstance(value, str):
        return f"{message}{got}; {number_hint(value, name, whole=kind == 'int_parsing')}"
    if kind.startswith(("date_", "datetime_")):
        return f"not a date{got}; {date_hint(value)}"
    if bound := fix_hint(kind, value, err.get("ctx") or {}):  # '-1' where a price is 0 or more: '; write 0 or more'
        return f"{message}{got}{bound}"
    optional = name in model.model_fields and not model.model_fields[name].is_required()
    return f"{message}{got} (table {table!r}; fix the value{' or remove the column' if optional else ''})"


def read_csv(table: str, path: Path) -> list[_Row]:
    """One CSV table file → validated rows (read through the bounded reader)."""
    from costcalc.inputs import TABLE_MAX_BYTES
    from costcalc.inputs import read_csv as read_bounded

    header, rows = read_bounded(str(path), limit=TABLE_MAX_BYTES, error=PricingError, what="a price table CSV")
    unknown = set(header) - set(TABLES[table].model_fields)
    if unknown:
        raise PricingError(f"unknown column(s) {sorted(unknown)} for table {table!r}", file=str(path), line=1)
    return parse_rows(table, rows, str(path))


@functools.cache
def shipped(table: str) -> tuple[_Row, ...]:
    """The shipped rows of one table (api, seats, rental, hardware, datacenter, fx)."""
    path = shipped_dir() / f"{table}.csv"
    if not path.is_file():
        return ()
    return tuple(read_csv(table, path))
