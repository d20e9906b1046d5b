"""Read and validate price tables (CSV, one file per table) from the shipped folder or a user file."""

from __future__ import annotations

import functools
from pathlib import Path

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
            message = str(err["msg"])
            if err["type"] == "value_error":  # costcalc's own checks say what to do
                message = message.removeprefix("Value error, ")
            else:
                message += f" (table {table!r}; fix the value or remove the column)"
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
