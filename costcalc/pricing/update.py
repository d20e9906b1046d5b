"""Refresh API prices from a public catalog: fetch, map, guard, diff, store atomically."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from costcalc.errors import ExternalError, PricingError
from costcalc.pricing import cache
from costcalc.pricing.fetch import FetchConfig, fetch_json
from costcalc.pricing.schema import ApiPrice
from costcalc.pricing.sources import Mapped, genai_prices, litellm, openrouter

MIN_ROWS_WITHOUT_CACHE = 20  # a first fetch mapping fewer rows than this is refused
MIN_FRACTION_OF_PREVIOUS = 0.5  # a fetch mapping under half the cached rows is refused
# Fields the diff compares: every price and size field, not provenance (id, source, as_of, notes)
DIFF_FIELDS: tuple[str, ...] = tuple(
    name for name in ApiPrice.model_fields if name.endswith(("_usd_per_mtok", "_tokens"))
)

Mapper = Callable[[Any, str, dt.date], Mapped]


@dataclass(frozen=True)
class Source:
    """A public catalog costcalc can refresh from."""

    name: str
    default_url: str
    mapper: Mapper


SOURCES: dict[str, Source] = {
    "litellm": Source("litellm", litellm.DEFAULT_URL, litellm.map_catalog),
    "genai-prices": Source("genai-prices", genai_prices.DEFAULT_URL, genai_prices.map_catalog),
    "openrouter": Source("openrouter", openrouter.DEFAULT_URL, openrouter.map_catalog),
}


@dataclass(frozen=True)
class FieldChange:
    """One field of one row that moved: old → new and the relative change."""

    field: str
    old: float | None
    new: float | None

    @property
    def change_pct(self) -> float | None:
        """(new - old) / old × 100, or None when either side is empty or old is 0."""
        if self.old is None or self.new is None or self.old == 0:
            return None
        return (self.new - self.old) / self.old * 100.0


@dataclass(frozen=True)
class RowChange:
    """A row present before and after whose prices moved."""

    id: str
    source: str
    as_of: dt.date
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class PriceDiff:
    """What an update changes: rows added, removed, and rows whose prices moved."""

    added: tuple[ApiPrice, ...] = ()
    removed: tuple[ApiPrice, ...] = ()
    changed: tuple[RowChange, ...] = ()
    unchanged: int = 0


@dataclass(frozen=True)
class UpdateResult:
    """One `pricing update`: source, URL, date, counts, the diff and whether it was stored."""

    source: str
    url: str
    fetched_on: dt.date
    rows: int
    seen: int
    skipped: dict[str, int]
    previous_rows: int
    diff: PriceDiff
    written: bool
    cache_file: str
    warnings: tuple[str, ...] = field(default=())


def diff_rows(old: list[ApiPrice], new: list[ApiPrice]) -> PriceDiff:
    """Compare two row sets by id; changes are per price field, sorted by id."""
    before = {r.id: r for r in old}
    after = {r.id: r for r in new}
    changed: list[RowChange] = []
    unchanged = 0
    for row_id in sorted(before.keys() & after.keys()):
        a, b = before[row_id], after[row_id]
        moved = tuple(
            FieldChange(name, getattr(a, name), getattr(b, name))
            for name in DIFF_FIELDS
            if getattr(a, name) != getattr(b, name)
        )
        if moved:
            changed.append(RowChange(row_id, b.source, b.as_of, moved))
        else:
            unchanged += 1
    return PriceDiff(
        added=tuple(after[i] for i in sorted(after.keys() - before.keys())),
        removed=tuple(before[i] for i in sorted(before.keys() - after.keys())),
        changed=tuple(changed),
        unchanged=unchanged,
    )


def update(
    source: str,
    url: str | None = None,
    *,
    dry_run: bool = False,
    config: FetchConfig | None = None,
    min_rows: int = MIN_ROWS_WITHOUT_CACHE,
    min_fraction: float = MIN_FRACTION_OF_PREVIOUS,
    today: dt.date | None = None,
) -> UpdateResult:
    """Fetch a catalog, map and check it, diff it against the cache, replace the cache.

    Any failure raises ExternalError (exit 3) before the cache is touched.
    """
    spec = SOURCES.get(source)
    if spec is None:
        raise PricingError(
            f"unknown pricing source {source!r}; use one of: {', '.join(SOURCES)}", field="--source"
        )
    target = url or spec.default_url
    fetched_on = today or dt.date.today()
    fetched = fetch_json(target, config)
    mapped = spec.mapper(fetched.payload, target, fetched_on)
    warnings: list[str] = []
    try:
        previous = cache.load_cached(spec.name)
    except PricingError as exc:
        warnings.append(f"the cached {spec.name} table is damaged and will be replaced ({exc})")
        previous = []
    _guard(spec.name, target, mapped, len(previous), min_rows, min_fraction)
    diff = diff_rows(previous, mapped.rows)
    if not dry_run:
        cache.store(spec.name, target, mapped.rows, fetched_on)
    return UpdateResult(
        source=spec.name,
        url=target,
        fetched_on=fetched_on,
        rows=len(mapped.rows),
        seen=mapped.seen,
        skipped=dict(sorted(mapped.skipped.items())),
        previous_rows=len(previous),
        diff=diff,
        written=not dry_run,
        cache_file=str(cache.csv_path(spec.name)),
        warnings=tuple(warnings),
    )


def _guard(
    name: str, url: str, mapped: Mapped, previous: int, min_rows: int, min_fraction: float
) -> None:
    """Refuse a catalog that maps to too few rows: a broken mirror must not wipe good prices."""
    got = len(mapped.rows)
    skipped = sum(mapped.skipped.values())
    if previous and got < min_fraction * previous:
        raise ExternalError(
            f"{url} maps to {got} {name} rows, under {min_fraction:.0%} of the {previous} cached "
            f"({skipped} entries skipped); the catalog looks incomplete, so the cache was kept"
        )
    if not previous and got < min_rows:
        raise ExternalError(
            f"{url} maps to {got} {name} rows, fewer than the minimum {min_rows} "
            f"({skipped} entries skipped); check the URL and --source, nothing was stored"
        )


# --- `pricing validate FILE`: check a user price file before anyone relies on it ----------------

STALE_AFTER_DAYS = 120  # a row older than this is reported as stale
# A per-1M price below this is almost surely a per-token price pasted unconverted (2.5e-06, not 2.5)
MIN_PLAUSIBLE_USD_PER_MTOK = 1e-3
MIN_PLAUSIBLE_TOKENS = (
    1000  # a context window or threshold below this was likely written in thousands
)
LineMap = dict[str, int]  # field → line in the file; "" → the row's own line


@dataclass(frozen=True)
class StaleRow:
    """A row whose as_of is older than the staleness limit."""

    id: str
    line: int
    as_of: dt.date
    age_days: int


@dataclass(frozen=True)
class ValidationReport:
    """A user price file that passed: its table, row count, newest date and stale rows."""

    file: str
    table: str
    rows: int
    newest: dt.date | None
    stale: tuple[StaleRow, ...]

    def summary(self) -> str:
        """'ok: 12 api rows, newest 2026-10-01, 2 stale'"""
        newest = self.newest.isoformat() if self.newest else "no dates"
        return f"ok: {self.rows} {self.table} rows, newest {newest}, {len(self.stale)} stale"


def validate_file(
    path: str, table: str | None = None, today: dt.date | None = None
) -> ValidationReport:
    """Check a user price file (CSV in a table's shape, or a YAML list of rows).

    Raises PricingError (exit 2) naming file:line and field on the first problem.
    """
    from pathlib import Path

    from costcalc.pricing.schema import TABLES

    if table is not None and table not in TABLES:
        raise PricingError(
            f"unknown table {table!r}; use one of: {', '.join(TABLES)}", field="--table"
        )
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise PricingError(f"cannot read: {exc.strerror}", file=path) from None
    except UnicodeDecodeError:
        raise PricingError("not UTF-8 text; save the file as UTF-8", file=path) from None
    if file.suffix.lower() in (".yaml", ".yml"):
        table, rows, lines = _validate_yaml(text, path, table)
    else:
        table, rows, lines = _validate_csv(file, text, table)
    return _check_rows(path, table, rows, lines, today or dt.date.today())


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
    best = min(TABLES, key=lambda name: len(fit(name)[0]) + len(fit(name)[1]))
    unknown, missing = fit(best)
    parts = []
    if unknown:
        parts.append(f"unknown column(s) {sorted(unknown)}")
    if missing:
        parts.append(f"missing column(s) {sorted(missing)}")
    raise PricingError(
        f"cannot tell which table this is (closest {best!r}: {'; '.join(parts)}); "
        "fix the columns or pass --table",
        file=path,
        line=line,
    )


def _validate_csv(file: Any, text: str, table: str | None) -> tuple[str, list[Any], list[LineMap]]:
    """CSV: detect the table from the header, then tables.read_csv does the schema checks."""
    import csv

    from costcalc.pricing.tables import read_csv

    header = next(csv.reader(text.splitlines()), None)
    if not header:
        raise PricingError(
            "empty file; the first line must be the column names", file=str(file), line=1
        )
    name = table or _detect_table({h.strip() for h in header}, str(file), 1)
    rows = read_csv(name, file)
    return name, rows, [{"": 2 + i} for i in range(len(rows))]


def _validate_yaml(text: str, path: str, table: str | None) -> tuple[str, list[Any], list[LineMap]]:
    """YAML list of row mappings: errors carry the line of the row or of the offending key."""
    import yaml

    from costcalc.pricing.tables import parse_rows

    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise PricingError(
            f"YAML syntax: {problem}; fix the indentation or quoting",
            file=path,
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(root, yaml.SequenceNode) or not isinstance(data, list) or not data:
        raise PricingError(
            "expected a YAML list of rows (- {id: ..., provider: ..., ...})",
            file=path,
            line=root.start_mark.line + 1 if root else 1,
        )
    key_lines: list[dict[str, int]] = []
    row_lines: list[int] = []
    for item_node, item in zip(root.value, data, strict=True):
        row_line = item_node.start_mark.line + 1
        if not isinstance(item_node, yaml.MappingNode) or not isinstance(item, dict):
            raise PricingError(
                "each row must be a mapping of column: value", file=path, line=row_line
            )
        row_lines.append(row_line)
        key_lines.append({str(k.value): k.start_mark.line + 1 for k, _ in item_node.value})
    name = table or _detect_table({str(k) for item in data for k in item}, path, row_lines[0])
    rows = []
    seen: dict[str, int] = {}
    for item, row_line, keys in zip(data, row_lines, key_lines, strict=True):
        values = {str(k): v for k, v in item.items()}
        try:
            (row,) = parse_rows(name, [values], path, first_line=row_line)
        except PricingError as exc:
            top = (exc.field or "").split(".")[0]
            raise PricingError(
                exc.detail, file=path, line=keys.get(top, row_line), field=exc.field
            ) from None
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


def _check_rows(
    path: str, table: str, rows: list[Any], lines: list[LineMap], today: dt.date
) -> ValidationReport:
    """Checks beyond the schema: units that look per-token, dates in the future, stale rows."""
    stale: list[StaleRow] = []
    for row, where in zip(rows, lines, strict=True):
        for name, value in row.model_dump().items():
            line = where.get(name, where[""])
            if (
                name.endswith("_usd_per_mtok")
                and value is not None
                and 0 < value < MIN_PLAUSIBLE_USD_PER_MTOK
            ):
                raise PricingError(
                    f"{value:g} looks like USD per token; prices are per 1M tokens, "
                    f"so multiply by 1,000,000 (e.g. 2.5e-06 → 2.5)",
                    file=path,
                    line=line,
                    field=name,
                )
            if name.endswith("_tokens") and value is not None and value < MIN_PLAUSIBLE_TOKENS:
                raise PricingError(
                    f"{value} tokens looks like thousands; write the full count "
                    "(e.g. 200000, not 200)",
                    file=path,
                    line=line,
                    field=name,
                )
        line = where.get("as_of", where[""])
        if row.as_of > today:
            raise PricingError(
                f"as_of {row.as_of} is after today ({today}); use the date the source states",
                file=path,
                line=line,
                field="as_of",
            )
        age_days = (today - row.as_of).days
        if age_days > STALE_AFTER_DAYS:
            stale.append(StaleRow(row.id, line, row.as_of, age_days))
    return ValidationReport(
        file=path,
        table=table,
        rows=len(rows),
        newest=max((r.as_of for r in rows), default=None),
        stale=tuple(stale),
    )
