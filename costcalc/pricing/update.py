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
from costcalc.pricing.sources import Mapped, genai_release, litellm, openrouter

MIN_ROWS_WITHOUT_CACHE = 20  # a first fetch mapping fewer rows than this is refused
MIN_FRACTION_OF_PREVIOUS = 0.5  # a fetch mapping under half the cached rows is refused
# Fields the diff compares: every price and size field, not provenance (id, source, as_of, notes)
DIFF_FIELDS: tuple[str, ...] = tuple(
    name for name in ApiPrice.model_fields if name.endswith(("_usd_per_mtok", "_tokens"))
)

Mapper = Callable[[Any, str, dt.date], Mapped]
# (url, fetch settings, the user's --as-of) → (rows, what dates them)
Loader = Callable[[str, FetchConfig | None, dt.date | None], tuple[Mapped, str]]


@dataclass(frozen=True)
class Source:
    """A public catalog costcalc can refresh from."""

    name: str
    default_url: str
    load: Loader


def _dated_json(name: str, mapper: Mapper) -> Loader:
    """A JSON catalog with no date of its own: rows are dated by the server's Last-Modified or --as-of."""

    def load(url: str, config: FetchConfig | None, as_of: dt.date | None) -> tuple[Mapped, str]:
        fetched = fetch_json(url, config)
        day = as_of or fetched.last_modified
        if day is None:
            raise PricingError(
                f"{name}'s catalog states no date for its prices and {url} sent no Last-Modified header; "
                "costcalc does not date prices by the download day: pass as_of= with the date the prices "
                "were checked, or use source=genai-prices (dated releases)",
                param="as_of",
                mentions=("as_of", "source"),
                named=True,
            )
        how = f"--as-of {day.isoformat()}" if as_of else f"the server's Last-Modified date {day.isoformat()}"
        return mapper(fetched.payload, url, day), f"{name}, dated by {how}"

    return load


def _release(url: str, config: FetchConfig | None, as_of: dt.date | None) -> tuple[Mapped, str]:
    return genai_release.load_release(url, config, as_of)


SOURCES: dict[str, Source] = {
    "genai-prices": Source("genai-prices", genai_release.DEFAULT_URL, _release),
    "litellm": Source("litellm", litellm.DEFAULT_URL, _dated_json("litellm", litellm.map_catalog)),
    "openrouter": Source("openrouter", openrouter.DEFAULT_URL, _dated_json("openrouter", openrouter.map_catalog)),
}
DEFAULT_SOURCE = "genai-prices"


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
    dated_by: str = ""  # what the rows' as_of dates come from (a release's upload, Last-Modified, --as-of)


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
    source: str = DEFAULT_SOURCE,
    url: str | None = None,
    *,
    dry_run: bool = False,
    config: FetchConfig | None = None,
    min_rows: int = MIN_ROWS_WITHOUT_CACHE,
    min_fraction: float = MIN_FRACTION_OF_PREVIOUS,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
) -> UpdateResult:
    """Fetch a catalog, map and check it, diff it against the cache, replace the cache.

    Rows keep the upstream's dates (a release's upload date or a price's start; a catalog without
    dates needs the server's Last-Modified or `as_of`), never the day of the download, which is
    only recorded in the cache's meta. Any failure raises before the cache is touched.
    """
    spec = SOURCES.get(source)
    if spec is None:
        raise PricingError(f"unknown pricing source {source!r}; use one of: {', '.join(SOURCES)}", param="source")
    target = url or spec.default_url
    fetched_on = today or dt.date.today()
    mapped, dated_by = spec.load(target, config, as_of)
    warnings: list[str] = []
    with cache.locked():  # another update waits: the diff is against exactly what this one replaces
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
        dated_by=dated_by,
    )


def _guard(name: str, url: str, mapped: Mapped, previous: int, min_rows: int, min_fraction: float) -> None:
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
            f"({skipped} entries skipped); check the URL and source=, nothing was stored",
            mentions=("source",),
        )


# --- `pricing validate FILE`: check a user price file before anyone relies on it ----------------
