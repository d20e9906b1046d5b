"""Check a user price file (CSV in a table's shape, or a YAML list of rows): schema, units, dates, duplicates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from costcalc.errors import CatalogError, PricingError
from costcalc.file_kinds import file_kind, said_as
from costcalc.inputs import TABLE_MAX_BYTES, read_text

# A per-1M price below this is almost surely a per-token price pasted unconverted (2.5e-06, not 2.5)
MIN_PLAUSIBLE_USD_PER_MTOK = 1e-3
# A per-1M price above this is almost surely a per-1K price or a per-request fee (the dearest
# published token price, an "ultrafast" tier, is a few hundred USD per 1M tokens)
MAX_PLAUSIBLE_USD_PER_MTOK = 1000.0
MIN_PLAUSIBLE_TOKENS = 1000  # a context window or threshold below this was likely written in thousands
LineMap = dict[str, int]  # field → line in the file; "" → the row's own line


@dataclass(frozen=True)
class StaleRow:
    """A row whose as_of is older than the staleness limit."""

    id: str
    line: int
    as_of: dt.date
    age_days: int
    limit_days: int  # the table's limit (pricing/freshness.csv)


@dataclass(frozen=True)
class ValidationReport:
    """A user price file that passed: its table, row count, newest date and stale rows."""

    file: str
    table: str
    rows: int
    newest: dt.date | None
    stale: tuple[StaleRow, ...]
    parsed: tuple[Any, ...] = ()  # the validated rows

    def summary(self) -> str:
        """'ok: 12 api rows, newest 2026-10-01, 2 stale' ('1 api row')"""
        from costcalc.words import counted

        newest = self.newest.isoformat() if self.newest else "no dates"
        return f"ok: {counted(self.rows, f'{self.table} row')}, newest {newest}, {len(self.stale)} stale"


def validate_file(path: str, table: str | None = None, today: dt.date | None = None) -> ValidationReport:
    """Check a user price file (CSV in a table's shape, or a YAML list of rows).

    Raises PricingError (exit 2) naming file:line and field on the first problem.
    """
    from pathlib import Path

    from costcalc.pricing.schema import TABLES

    if table is not None and table not in TABLES:
        raise PricingError(f"unknown table {table!r}; use one of: {', '.join(TABLES)}", param="table")
    file = Path(path)
    text = read_text(path, limit=TABLE_MAX_BYTES, error=PricingError, what="a price file saved as UTF-8")
    if file.suffix.lower() in (".yaml", ".yml", ".json") or text.lstrip().startswith(("{", "[")):  # JSON is YAML
        table, rows, lines = _validate_yaml(text, path, table)
    else:
        table, rows, lines = _validate_csv(file, text, table)
    if not rows:
        raise PricingError(f"no rows in this {table} file; add rows or remove the file", file=path)
    return _check_rows(path, table, rows, lines, today or dt.date.today())


def read_rows(path: str, table: str | None = None, today: dt.date | None = None) -> tuple[str, list[Any]]:
    """(table, validated rows) of a user price file, CSV or YAML; the same checks as `validate_file`, dates against
    `today` (the report's day; default the wall clock's)."""
    report = validate_file(path, table, today)
    return report.table, list(report.parsed)


def _which_file(data: Any) -> str:
    """'; this is a scenario, not a price table (`costcalc report` reads and checks it)' for a file of a kind
    costcalc.file_kinds knows, else ''."""
    kind = file_kind(data)
    return "" if kind is None else f"; this is {said_as(kind, 'a price table')}"


def _detect_table(columns: set[str], path: str, line: int) -> str:
    """The table whose columns these are: all known and every required one present."""
    from costcalc.pricing.schema import TABLES

    def fit(name: str) -> tuple[set[str], set[str]]:
        fields = TABLES[name].model_fields
        unknown = columns - set(fields)
        missing = {n for n, f in fields.items() if f.is_required()} - columns
        return unknown, missing

    exact = [name for name in TABLES if fit(name) == (set(), set())]
    if exact:
        return exact[0]
    lower = {c.lower() for c in columns}
    if any(set(TABLES[name].model_fields) >= lower and columns != lower for name in TABLES):  # 'ID,PROVIDER,...'
        raise PricingError(
            "the column names are in capitals; write them in lower case, as the tables do (id, provider, ...)",
            file=path,
            line=line,
        )
    best = min(TABLES, key=lambda name: len(fit(name)[0]) + len(fit(name)[1]))
    unknown, missing = fit(best)
    parts = []
    if unknown:
        parts.append(f"unknown column(s) {sorted(unknown)}")
    if missing:
        parts.append(f"missing column(s) {sorted(missing)}")
    raise PricingError(
        f"cannot tell which table this is (closest {best!r}: {'; '.join(parts)}); fix the columns or pass --table",
        file=path,
        line=line,
    )


def _validate_csv(file: Any, text: str, table: str | None) -> tuple[str, list[Any], list[LineMap]]:
    """CSV: detect the table from the header, then tables.read_csv does the schema checks."""
    import csv

    from costcalc.inputs import EMPTY_CSV, not_comma_separated
    from costcalc.pricing.tables import read_csv

    try:
        header = next(csv.reader(text.splitlines()), None)
    except csv.Error:
        raise PricingError("a cell is larger than 128 KB; is it the right file?", file=str(file), line=1) from None
    if not header:
        raise PricingError(EMPTY_CSV, file=str(file), line=1)
    if (why_not := not_comma_separated(header)) is not None:  # a spreadsheet's local 'CSV': one column of it all
        raise PricingError(why_not, file=str(file), line=1)
    name = table or _detect_table({h.strip() for h in header}, str(file), 1)
    rows = read_csv(name, file)
    return name, rows, [{"": 2 + i} for i in range(len(rows))]


def _validate_yaml(text: str, path: str, table: str | None) -> tuple[str, list[Any], list[LineMap]]:
    """YAML list of row mappings: errors carry the line of the row or of the offending key."""
    import yaml

    from costcalc.pricing.tables import parse_rows
    from costcalc.safeparse import check_yaml_characters, check_yaml_shape, yaml_syntax_error

    check_yaml_characters(text, path, PricingError)
    check_yaml_shape(text, path, PricingError)
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        message, line = yaml_syntax_error(exc, "fix the indentation or quoting")
        raise PricingError(message, file=path, line=line) from None
    if not isinstance(root, yaml.SequenceNode) or not isinstance(data, list) or not data:
        raise PricingError(
            "expected a YAML list of rows (- {id: ..., provider: ..., ...})" + _which_file(data),
            file=path,
            line=root.start_mark.line + 1 if root else 1,
        )
    key_lines: list[dict[str, int]] = []
    row_lines: list[int] = []
    for item_node, item in zip(root.value, data, strict=True):
        row_line = item_node.start_mark.line + 1
        if not isinstance(item_node, yaml.MappingNode) or not isinstance(item, dict):
            raise PricingError("each row must be a mapping of column: value", file=path, line=row_line)
        row_lines.append(row_line)
        lines: dict[str, int] = {}
        for key, _ in item_node.value:  # qa24: 'input_usd_per_mtok: 50' then ': 5' validated, at the last, unsaid
            if str(key.value) in lines:
                raise PricingError(
                    f"duplicate key {str(key.value)!r} (first on line {lines[str(key.value)]}); keep one, YAML would"
                    " silently drop the other",
                    file=path,
                    line=key.start_mark.line + 1,
                )
            lines[str(key.value)] = key.start_mark.line + 1
        key_lines.append(lines)
    name = table or _detect_table({str(k) for item in data for k in item}, path, row_lines[0])
    rows = []
    seen: dict[str, int] = {}
    for item, row_line, keys in zip(data, row_lines, key_lines, strict=True):
        values = {str(k): v for k, v in item.items()}
        try:
            (row,) = parse_rows(name, [values], path, first_line=row_line)
        except PricingError as exc:
            top = (exc.field or "").split(".")[0]
            raise exc.moved(file=path, line=keys.get(top, row_line), field=exc.field) from None
        if row.id in seen:
            raise PricingError(
                f"duplicate id {row.id!r} (first on line {seen[row.id]}); give each row its own id",
                file=path,
                line=keys.get("id", row_line),
                field="id",
            )
        seen[row.id] = row_line
        rows.append(row)
    return name, rows, [{"": line, **keys} for keys, line in zip(key_lines, row_lines, strict=True)]


def implausible(name: str, value: Any) -> str | None:
    """Why a column's value is implausible (a unit slip), or None: the bounds every price file must meet."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if name.endswith("_usd_per_mtok"):
        if 0 < value < MIN_PLAUSIBLE_USD_PER_MTOK:
            return (
                f"{value:g} looks like USD per token; prices are per 1M tokens, "
                f"so multiply by 1,000,000 (e.g. 2.5e-06 → 2.5)"
            )
        if value > MAX_PLAUSIBLE_USD_PER_MTOK:
            return (
                f"{value:g} USD per 1M tokens is above {MAX_PLAUSIBLE_USD_PER_MTOK:g}; "
                "is it per 1K tokens or per request? prices are per 1M tokens"
            )
    if name.endswith("_tokens") and value < MIN_PLAUSIBLE_TOKENS:
        return f"{value} tokens looks like thousands; write the full count (e.g. 200000, not 200)"
    return None


def _check_series_id(row: Any, path: str, where: LineMap) -> None:
    """An api row whose id names a shipped series other than its provider/model is refused: it took the place of
    that series' row of the same id, and its own price went to its provider/model. qa24: a row copied from
    openai/gpt-6-luna with provider and model changed to anthropic/claude-x left Luna at the shipped price, unsaid.
    An id of no shipped series ('acme/quote-1') names the row alone, as before."""
    from costcalc.pricing import tables

    series = getattr(row, "series", None)
    named = row.id.split("@", 1)[0]
    if not isinstance(series, str) or named.lower() == series.lower():
        return
    if named.lower() not in {str(getattr(shipped, "series", "")).lower() for shipped in tables.shipped("api")}:
        return
    dated = f"@{row.valid_from}" if getattr(row, "valid_from", None) is not None else ""
    raise PricingError(
        f"id {row.id!r} names the series {named}, but the row's provider and model are {series}; write id"
        f" {series}{dated}, or the provider and model of {named}",
        file=path,
        line=where.get("id", where[""]),
        field="id",
    )


def _check_rows(path: str, table: str, rows: list[Any], lines: list[LineMap], today: dt.date) -> ValidationReport:
    """Checks beyond the schema: units that look per-token, dates in the future, rows older than the table's limit."""
    from costcalc.pricing.freshness import stale_limit_days

    limit = stale_limit_days(table)
    stale: list[StaleRow] = []
    for row, where in zip(rows, lines, strict=True):
        for name, value in row.model_dump().items():
            problem = implausible(name, value)
            if problem:
                raise PricingError(problem, file=path, line=where.get(name, where[""]), field=name)
        gpu = getattr(row, "gpu", None)
        if isinstance(gpu, str):  # rentals and hardware name a catalog GPU, which the estimate and power need
            from costcalc.catalog import get_gpu

            try:
                get_gpu(gpu)
            except CatalogError as exc:  # said at this row's gpu cell
                raise PricingError(exc.detail, file=path, line=where.get("gpu", where[""]), field="gpu") from None
        _check_series_id(row, path, where)
        line = where.get("as_of", where[""])
        if row.as_of > max(today, getattr(row, "valid_from", None) or today):
            raise PricingError(
                f"as_of {row.as_of} is after today ({today}); use the date the source states",
                file=path,
                line=line,
                field="as_of",
            )
        age_days = (today - row.as_of).days
        if age_days > limit:
            stale.append(StaleRow(row.id, line, row.as_of, age_days, limit))
    return ValidationReport(
        file=path,
        table=table,
        rows=len(rows),
        newest=max((r.as_of for r in rows), default=None),
        stale=tuple(stale),
        parsed=tuple(rows),
    )
