"""PriceBook: shipped rows layered with refreshed catalogs and user price files; lookups by id with origin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from costcalc.errors import CatalogError, PricingError, did_you_mean
from costcalc.pricing import tables
from costcalc.pricing.schema import TABLES

TABLE_NAMES = tuple(TABLES)


@dataclass(frozen=True)
class Priced:
    """A row with where it came from: 'shipped', 'cache:<source>' or 'override:<file>'."""

    row: Any
    origin: str

    @property
    def overridden(self) -> bool:
        """True for a user's own price (a --pricing file or the scenario's pricing list)."""
        return self.origin.startswith("override")


@dataclass
class PriceBook:
    """Every price table by id; later layers replace earlier rows of the same id."""

    layers: dict[str, dict[str, Priced]] = field(default_factory=lambda: {t: {} for t in TABLE_NAMES})

    @classmethod
    def load(cls, user_files: list[str] | tuple[str, ...] = (), *, use_cache: bool = True) -> "PriceBook":
        """Shipped tables, then the `pricing update` cache (api rows), then user files in order."""
        book = cls()
        for table in TABLE_NAMES:
            book.add(table, tables.shipped(table), "shipped")
        if use_cache:
            for path, source in _cached_tables():
                book.add("api", tables.read_csv("api", path), f"cache:{source}")
        for path in user_files:
            table = detect_table(Path(path))
            book.add(table, tables.read_csv(table, Path(path)), f"override:{path}")
        return book

    def add(self, table: str, rows: Any, origin: str) -> None:
        """Layer rows over the table; a row with a known id replaces it."""
        for row in rows:
            self.layers[table][row.id] = Priced(row, origin)

    def rows(self, table: str) -> list[Priced]:
        """All rows of a table in id order."""
        return [self.layers[table][k] for k in sorted(self.layers[table])]

    def get(self, table: str, row_id: str, *, field: str | None = None) -> Priced:
        """One row by id; an unknown id lists the closest ids."""
        found = self.layers[table].get(row_id)
        if found is None:
            found = self.layers[table].get(row_id.lower())
        if found is None:
            hint = did_you_mean(row_id, list(self.layers[table]))
            raise CatalogError(
                f"unknown {table} price id {row_id!r}{hint}; `costcalc pricing list --kind {_kind(table)}` lists them",
                field=field,
            )
        return found

    def datacenter(self, key: str) -> Priced | None:
        """A data-centre default (pue, electricity_usd_per_kwh, ...) when shipped."""
        return self.layers["datacenter"].get(key)


def _kind(table: str) -> str:
    return {"seats": "seat"}.get(table, table)


def detect_table(path: Path) -> str:
    """Which table a user CSV holds, from its header."""
    try:
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    except (OSError, IndexError, UnicodeDecodeError):
        raise PricingError("cannot read a CSV header", file=str(path), line=1) from None
    cols = {h.strip() for h in header}
    best = max(TABLES, key=lambda t: len(cols & set(TABLES[t].model_fields)) - len(cols - set(TABLES[t].model_fields)))
    if cols - set(TABLES[best].model_fields):
        extra = sorted(cols - set(TABLES[best].model_fields))
        raise PricingError(f"columns {extra} fit no price table; see pricing/README.md", file=str(path), line=1)
    return best


def _cached_tables() -> list[tuple[Path, str]]:
    try:
        from costcalc.pricing.cache import cached_tables
    except ImportError:  # pragma: no cover - cache module ships with the package
        return []
    return [(Path(p), Path(p).stem) for p in cached_tables()]


def stale(rows: list[Priced], *, today: dt.date, limit_days: int) -> list[Priced]:
    """Rows whose as_of is older than the limit."""
    return [p for p in rows if (today - p.row.as_of).days > limit_days]
