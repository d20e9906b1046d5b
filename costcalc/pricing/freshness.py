"""Freshness of price tables: each table's recorded build date and age limit, the rows allowed to lag, the check.

One mechanism for every table: `freshness.csv` records when each shipped table was built and how many
days a row may lag that date; `freshness-exceptions.csv` lists, with a reason, the rows allowed to lag
further. The shipped-table test, `costcalc pricing validate` and the reports' staleness limits all read
them from here, never from the wall clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from costcalc.errors import PricingError

BUILDS_FILE = "freshness.csv"
EXCEPTIONS_FILE = "freshness-exceptions.csv"
BUILD_COLUMNS = ("table", "built_on", "max_age_days", "how")
EXCEPTION_COLUMNS = ("table", "id", "reason")
DEFAULT_MAX_AGE_DAYS = 120  # a table without a recorded limit (fx, a user file of such rows)


class _Where(TypedDict):
    """Where a record row is, as PricingError's keyword arguments."""

    file: str
    line: int


@dataclass(frozen=True)
class Build:
    """One table's recorded build date, the most days a row may lag it, and how the table is made."""

    table: str
    built_on: dt.date
    max_age_days: int
    how: str


@dataclass(frozen=True)
class Record:
    """Every recorded build and every allowed exception ((table, id) -> reason)."""

    builds: dict[str, Build]
    exceptions: dict[tuple[str, str], str]

    def max_age_days(self, table: str) -> int:
        """The days a row of `table` may be old before it is stale (the default where none is recorded)."""
        build = self.builds.get(table)
        return build.max_age_days if build else DEFAULT_MAX_AGE_DAYS


def _read(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PricingError(f"cannot read: {exc.strerror}", file=str(path)) from None
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != columns:
        raise PricingError(f"the columns must be {', '.join(columns)}", file=str(path), line=1)
    return [(reader.line_num, row) for row in reader]


def read_record(folder: Path) -> Record:
    """The builds and exceptions recorded in a pricing folder; errors name file, line and field."""
    builds: dict[str, Build] = {}
    for line, row in _read(folder / BUILDS_FILE, BUILD_COLUMNS):
        where = _Where(file=str(folder / BUILDS_FILE), line=line)
        try:
            built_on = dt.date.fromisoformat(row["built_on"])
        except ValueError:
            raise PricingError("write the build date as YYYY-MM-DD", field="built_on", **where) from None
        if not row["max_age_days"].isdigit() or int(row["max_age_days"]) <= 0:
            raise PricingError("write the most days a row may lag as a whole number", field="max_age_days", **where)
        if row["table"] in builds:
            raise PricingError(f"table {row['table']!r} is recorded twice; keep one line", field="table", **where)
        builds[row["table"]] = Build(row["table"], built_on, int(row["max_age_days"]), row["how"])
    exceptions: dict[tuple[str, str], str] = {}
    for line, row in _read(folder / EXCEPTIONS_FILE, EXCEPTION_COLUMNS):
        where = _Where(file=str(folder / EXCEPTIONS_FILE), line=line)
        if row["table"] not in builds:
            raise PricingError(f"no build date recorded for table {row['table']!r}", field="table", **where)
        if not (row["reason"] or "").strip():
            raise PricingError("say why the row may lag (no newer dated source found, ...)", field="reason", **where)
        exceptions[(row["table"], row["id"])] = row["reason"].strip()
    return Record(builds, exceptions)


@functools.cache
def shipped_record() -> Record:
    """The record that ships with the tables."""
    from costcalc.pricing.tables import shipped_dir

    return read_record(shipped_dir())


def lagging(rows: list[Any], built_on: dt.date, max_age_days: int) -> list[Any]:
    """Rows whose as_of lags the build date by more than max_age_days."""
    return [r for r in rows if (built_on - r.as_of).days > max_age_days]


def problems(table: str, rows: list[Any], record: Record) -> list[str]:
    """What is wrong with one table's freshness against its recorded build date (empty: fresh)."""
    build = record.builds.get(table)
    if build is None:
        return [f"{table}: no build date recorded in {BUILDS_FILE}"]
    out = []
    excepted = {row_id for t, row_id in record.exceptions if t == table}
    late = lagging(rows, build.built_on, build.max_age_days)
    for row in late:
        if row.id not in excepted:
            out.append(
                f"{table}:{row.id}: as_of {row.as_of} is more than {build.max_age_days} days before the table's"
                f" build date {build.built_on}; refresh it from its source or list it in {EXCEPTIONS_FILE} with why"
            )
    known = {r.id for r in rows}
    for row_id in sorted(excepted - {r.id for r in late}):
        why = "is not in the table" if row_id not in known else "is no longer late"
        out.append(f"{table}:{row_id}: listed in {EXCEPTIONS_FILE} but {why}; remove the line")
    for row in rows:
        if row.as_of > build.built_on and row.as_of != getattr(row, "valid_from", None):
            out.append(f"{table}:{row.id}: as_of {row.as_of} is after the build date {build.built_on}")
    return out


def stale_limit_days(table: str, override: int | None = None) -> int:
    """Days before a row of `table` is stale on the report day: the scenario's own limit, else the table's."""
    return override if override is not None else shipped_record().max_age_days(table)


def kept_reason(ref: Any) -> str | None:
    """Why the shipped tables keep a row older than their limit (freshness-exceptions.csv), or None (not a shipped
    row, or none recorded)."""
    if getattr(ref, "origin", "shipped") != "shipped":
        return None
    return shipped_record().exceptions.get((ref.table, ref.id))


def stale_summary(refs: list[Any], override: int | None = None) -> str:
    """'2 prices older than 120 days: a (2026-05-19), b (...)', or per limit when the tables differ.

    `refs` are the stale rows a report used (anything with table, id and as_of).
    """
    by_limit: dict[int, set[str]] = {}
    for ref in refs:
        by_limit.setdefault(stale_limit_days(ref.table, override), set()).add(f"{ref.id} ({ref.as_of.isoformat()})")
    from costcalc.words import counted

    count = counted(len(set().union(*by_limit.values())), "price")
    if len(by_limit) == 1:
        ((limit, names),) = by_limit.items()
        return f"{count} older than {limit} days: {', '.join(sorted(names))}"
    parts = [f"{', '.join(sorted(names))} (over {limit} days)" for limit, names in sorted(by_limit.items())]
    return f"{count} older than their table's limit: {'; '.join(parts)}"


def check_shipped() -> tuple[list[str], list[str]]:
    """(one summary line per recorded table, problems) for the shipped tables against their record."""
    from costcalc.pricing.tables import shipped

    record = shipped_record()
    lines: list[str] = []
    found: list[str] = []
    for table, build in sorted(record.builds.items()):
        rows = list(shipped(table))
        found += problems(table, rows, record)
        late = lagging(rows, build.built_on, build.max_age_days)
        older = f"{len(late)} older than {build.max_age_days} days, each listed with a reason" if late else ""
        lines.append(
            f"{table}: {len(rows)} rows built {build.built_on}; {older or f'none older than {build.max_age_days} days'}"
        )
    return lines, found
