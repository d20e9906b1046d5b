"""PriceBook: shipped rows layered with refreshed catalogs and user price files; lookups by id with origin."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, cast, overload

from costcalc.errors import CatalogError, PricingError, did_you_mean
from costcalc.pricing import tables
from costcalc.pricing.schema import (
    TABLES,
    ApiPrice,
    DatacenterDefault,
    FxRate,
    GpuRental,
    HardwarePrice,
    PriceRow,
    SeatPlan,
)

TABLE_NAMES = tuple(TABLES)

RowT = TypeVar("RowT", bound=PriceRow, covariant=True)


@dataclass(frozen=True)
class Priced(Generic[RowT]):
    """A row with where it came from: 'shipped', 'cache:<source>' or 'override:<file>'."""

    row: RowT
    origin: str

    @property
    def overridden(self) -> bool:
        """True for a user's own price (a --pricing file or the scenario's pricing list)."""
        return self.origin.startswith("override")


@dataclass
class PriceBook:
    """Every price table by id; later layers replace earlier rows of the same id (api: of the same series).

    An api row belongs to the series '<provider>/<model>' with its dated neighbours; looking a series
    up gives the row valid on `on`, the day the report is made for.
    """

    layers: dict[str, dict[str, Priced[PriceRow]]] = field(default_factory=lambda: {t: {} for t in TABLE_NAMES})
    on: dt.date = field(default_factory=dt.date.today)
    lock: str | None = None  # the `pricing lock` file this book holds exactly (load_lock), for what a lookup says
    # the scenario's `pricing:` list the lock was written with, as JSON (its rows hold those changes); None for a lock
    # written before it was kept, or none
    lock_pricing: list[Any] | None = None
    # the api rows by lower-case series key, each oldest first, with the rows it was built from (rebuilt when they
    # change, however they were changed): a resolution looks a dozen series up, each a scan of every row before
    _by_series: tuple[tuple[Priced[PriceRow], ...], dict[str, list[Priced[ApiPrice]]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        """Built by hand, wrong arguments are an InputError naming them, as PriceBook.load's are (`layers=5` failed
        later, inside a lookup: "'int' object is not subscriptable"); a table left out is empty, `on` may be a
        'YYYY-MM-DD' string."""
        from costcalc.errors import InputError
        from costcalc.params import day, kind

        how = "PriceBook.load(files, on=...) builds a book from price files, PriceBook() an empty one to .add() rows to"
        if not isinstance(self.layers, dict):
            raise InputError(
                f"a dict of price table to {{row id: Priced row}}, not {kind(self.layers)}; {how}", param="layers"
            )
        for table, rows in self.layers.items():
            if table not in TABLE_NAMES:
                said = f"{table!r}{did_you_mean(str(table), TABLE_NAMES)}"
                raise InputError(f"no price table {said}; the tables: {', '.join(TABLE_NAMES)}", param="layers")
            if not isinstance(rows, dict):
                raise InputError(
                    f"table {table!r} holds {kind(rows)}, not a dict of row id to Priced row; {how}", param="layers"
                )
        self.layers = {t: self.layers.get(t, {}) for t in TABLE_NAMES}
        self.on = day(self.on, "on") or dt.date.today()

    @classmethod
    def load(
        cls,
        user_files: str | Path | Sequence[str | Path] = (),
        *,
        use_cache: bool = True,
        on: dt.date | str | None = None,
    ) -> PriceBook:
        """Shipped tables, then the `pricing update` cache (api rows), then user files in order (one string is one
        file); `on`: a date or 'YYYY-MM-DD' (default: the wall clock's day). A wrong argument is an InputError."""
        from costcalc.params import day, flag, texts

        user_files, use_cache = texts(user_files, "user_files", paths=True), flag(use_cache, "use_cache")
        book = cls(on=day(on, "on") or dt.date.today())
        for table in TABLE_NAMES:
            book.add(table, tables.shipped(table), "shipped")
        if use_cache:
            for path, source in _cached_tables():
                book.add("api", _read_cached(path), f"cache:{source}")
        for user_file in user_files:
            from costcalc.pricing.validate import read_rows

            table, rows = read_rows(str(user_file), today=book.on)  # dated on the book's day, not the wall clock's
            book.add(table, rows, f"override:{user_file}")
        return book

    def add(self, table: str, rows: Any, origin: str, *, whole_series: bool = True) -> None:
        """Layer rows over the table; a row replaces the row of its id, and api rows their series: the whole of it,
        or, where every incoming row of a series starts on a date, from the first of those dates on (the rows before
        it end the day before). `whole_series` False: a lock's rows, added one by one, each join a series the lock
        holds whole."""
        rows = list(rows)
        if table == "api" and whole_series:
            for series, starts in _starts(rows).items():
                self._replace_series(series, starts)
        for row in rows:
            self.layers[table][row.id] = Priced(row, origin)

    def _replace_series(self, series: str, starts: dt.date | None) -> None:
        """Drop the api rows of `series` from `starts` on (None: all of them); a row running past it ends the day
        before. qa24: a --pricing row `valid_from: 2027-01-01` replaced the whole history, so a report for 2026-12-05
        priced December at the quote that starts in January ("before the first row the first")."""
        for row_id, priced in list(self.layers["api"].items()):
            row = cast("ApiPrice", priced.row)
            if _series(row) != series:
                continue
            if starts is None or (row.valid_from is not None and row.valid_from >= starts):
                del self.layers["api"][row_id]
            elif row.valid_until is None or row.valid_until >= starts:
                ended = row.model_copy(update={"valid_until": starts - dt.timedelta(days=1), "successor": None})
                self.layers["api"][row_id] = Priced(ended, priced.origin)

    def series(self, key: str) -> list[Priced[ApiPrice]]:
        """Every dated api row of the series '<provider>/<model>', oldest first; [] when unknown."""
        rows = tuple(self.layers["api"].values())
        if self._by_series is None or self._by_series[0] != rows:  # identical rows compare by identity: cheap
            index: dict[str, list[Priced[ApiPrice]]] = {}
            for p in rows:
                index.setdefault(_series(p.row).lower(), []).append(cast("Priced[ApiPrice]", p))
            for found in index.values():
                found.sort(key=lambda p: p.row.valid_from or dt.date.min)
            self._by_series = rows, index
        return list(self._by_series[1].get(key.lower(), ()))

    @overload
    def rows(self, table: Literal["api"]) -> list[Priced[ApiPrice]]: ...
    @overload
    def rows(self, table: Literal["seats"]) -> list[Priced[SeatPlan]]: ...
    @overload
    def rows(self, table: Literal["rental"]) -> list[Priced[GpuRental]]: ...
    @overload
    def rows(self, table: Literal["hardware"]) -> list[Priced[HardwarePrice]]: ...
    @overload
    def rows(self, table: Literal["datacenter"]) -> list[Priced[DatacenterDefault]]: ...
    @overload
    def rows(self, table: Literal["fx"]) -> list[Priced[FxRate]]: ...
    @overload
    def rows(self, table: str) -> list[Priced[PriceRow]]: ...
    def rows(self, table: str) -> list[Priced[Any]]:
        """All rows of a table in id order."""
        return [self.layers[table][k] for k in sorted(self.layers[table])]

    @overload
    def get(self, table: Literal["api"], row_id: str, *, field: str | None = None) -> Priced[ApiPrice]: ...
    @overload
    def get(self, table: Literal["seats"], row_id: str, *, field: str | None = None) -> Priced[SeatPlan]: ...
    @overload
    def get(self, table: Literal["rental"], row_id: str, *, field: str | None = None) -> Priced[GpuRental]: ...
    @overload
    def get(self, table: Literal["hardware"], row_id: str, *, field: str | None = None) -> Priced[HardwarePrice]: ...
    @overload
    def get(
        self, table: Literal["datacenter"], row_id: str, *, field: str | None = None
    ) -> Priced[DatacenterDefault]: ...
    @overload
    def get(self, table: Literal["fx"], row_id: str, *, field: str | None = None) -> Priced[FxRate]: ...
    @overload
    def get(self, table: str, row_id: str, *, field: str | None = None) -> Priced[PriceRow]: ...
    def get(self, table: str, row_id: str, *, field: str | None = None) -> Priced[Any]:
        """One row by id (an api series gives its row valid on `on`); an unknown id lists the closest ids."""
        found: Priced[PriceRow] | None = None
        if table == "api" and "@" not in row_id:
            history = self.series(row_id)
            end = retired_after(history)
            if end is not None and end.row.valid_until is not None and self.on > end.row.valid_until:
                raise PricingError(retirement_message(end.row, self.on), field=field, mentions=("today",))
            found = valid_on(history, self.on)
        if found is None:
            found = self.layers[table].get(row_id)
        if found is None:
            found = self.layers[table].get(row_id.lower())
        if found is None:
            names = sorted({_series(p.row) for p in self.layers[table].values()}) if table == "api" else []
            hint = did_you_mean(row_id, names or list(self.layers[table]))
            if self.lock is not None:  # `pricing list` shows the row: what is missing is the lock's copy of it
                raise PricingError(
                    f"{table} price id {row_id!r} is not in the pricing lock {self.lock}{hint}, which holds the rows "
                    f"of the scenario it was written for; write it for this one: costcalc pricing lock SCENARIO -o "
                    f"{self.lock}",
                    field=field,
                )
            raise CatalogError(
                f"unknown {table} price id {row_id!r}{hint}; `costcalc pricing list --kind {_kind(table)}` lists them",
                field=field,
            )
        return found

    def datacenter(self, key: str) -> Priced[DatacenterDefault] | None:
        """A data-centre default (pue, electricity_usd_per_kwh, ...) when shipped."""
        return cast("Priced[DatacenterDefault] | None", self.layers["datacenter"].get(key))


def retired_after(rows: list[Priced[ApiPrice]]) -> Priced[ApiPrice] | None:
    """The newest row of a series that ends (its valid_until is set: the model retires the next day), or None."""
    if not rows or rows[-1].row.valid_until is None:
        return None
    return rows[-1]


def retirement_message(last: ApiPrice, day: dt.date) -> str:
    """Why a series cannot be priced on `day`: it ended, and what upstream names as its replacement."""
    instead = f"switch to {last.successor} (upstream's successor)" if last.successor else "choose another model"
    retires = f"{last.valid_until + dt.timedelta(days=1)}" if last.valid_until is not None else "its end date"
    return (
        f"{last.series} is priced until {last.valid_until}: the model retires on"
        f" {retires} and {day} is later; {instead}, price it on an earlier day (today=),"
        " or give your own prices for it"
    )


def valid_on(rows: list[Priced[ApiPrice]], day: dt.date) -> Priced[ApiPrice] | None:
    """The row of a series valid on `day`; before the first row the first, after the last the last."""
    if not rows:
        return None
    for priced in rows:
        if priced.row.valid_on(day):
            return priced
    first = rows[0].row.valid_from
    return rows[0] if first is not None and day < first else rows[-1]


def _starts(rows: list[Any]) -> dict[str, dt.date | None]:
    """Each api series among `rows` and the day its rows start: the earliest valid_from, None where one row has none
    (it holds the series' whole history)."""
    starts: dict[str, dt.date | None] = {}
    for row in rows:
        series, start = _series(row), getattr(row, "valid_from", None)
        earlier = starts.get(series, start)
        starts[series] = None if start is None or earlier is None else min(start, earlier)
    return starts


def _series(row: PriceRow) -> str:
    """An api row's series key; a row of another table is its own series."""
    series = getattr(row, "series", None)
    return series if isinstance(series, str) else row.id


def _kind(table: str) -> str:
    return {"seats": "seat"}.get(table, table)


def _cached_tables() -> list[tuple[Path, str]]:
    from costcalc.pricing.cache import cached_tables

    return [(Path(p), Path(p).stem) for p in cached_tables()]


def _read_cached(path: Path) -> list[ApiPrice]:
    """The rows of one `pricing update` cache file; a damaged one is an error that says how to replace it."""
    from costcalc.pricing.cache import read_table

    try:
        return read_table(path)
    except PricingError as exc:
        raise exc.moved(_damaged(exc.detail, path.stem), file=exc.file, line=exc.line) from None


def _damaged(detail: str, source: str) -> str:
    """What is wrong with a cached table (its first clause: the rest is advice for a file a user wrote) and the fix."""
    from costcalc.pricing.update import SOURCES

    fix = f"delete it or run `costcalc pricing update --source {source}`" if source in SOURCES else "delete it"
    return f"a damaged `costcalc pricing update` cache file ({detail.split('; ')[0]}); {fix}"


def stale(rows: list[Priced[PriceRow]], *, today: dt.date, limit_days: int) -> list[Priced[PriceRow]]:
    """Rows whose as_of is older than the limit."""
    return [p for p in rows if (today - p.row.as_of).days > limit_days]


_KINDS = {"seats": "seat"}  # a table's name where `pricing list --kind` says it otherwise

MONEY_SUFFIXES = (
    "_usd_per_mtok",
    "_usd_per_seat",
    "_usd_per_seat_month",
    "usd_per_hour",
    "usd_per_gpu_hour",
    "price_usd",
)


def apply_overrides(book: PriceBook, overrides: Any, *, where: str = "scenario") -> PriceBook:
    """A new book with the scenario's `pricing:` changes applied; changed rows are marked as overrides."""
    from pydantic import ValidationError

    from costcalc.errors import PricingError

    out = PriceBook(layers={t: dict(rows) for t, rows in book.layers.items()}, on=book.on)
    discounts: dict[tuple[str, str], tuple[float, ...]] = {}  # (table, row id): the discounts this list gave it
    set_at: dict[tuple[str, str, str], int] = {}  # (table, id, price field): the entry that set it exactly
    for i, change in enumerate(overrides):
        field = f"pricing[{i}]"
        table = change.table
        for name in change.prices or {}:  # qa24: the later of two exact values won, the earlier dropped unsaid
            first = set_at.setdefault((table, str(change.id).lower(), name), i)
            if first != i:
                raise PricingError(
                    f"sets {name} of {change.id} as pricing[{first}] does, and only the later value would count;"
                    " keep one",
                    field=f"{field}.prices.{name}",
                )
        if change.provider is not None:
            targets = [p for p in out.layers[table].values() if getattr(p.row, "provider", None) == change.provider]
            if not targets:
                providers = sorted({getattr(p.row, "provider", "") for p in out.layers[table].values()} - {""})
                raise PricingError(
                    f"no {table} rows of provider {change.provider!r}{did_you_mean(change.provider, providers)}",
                    field=f"{field}.provider",
                )
        elif table == "api" and "@" not in change.id and out.series(change.id):
            rows = out.series(change.id)
            if change.prices:  # exact prices replace the whole price history of the series
                keep = valid_on(rows, out.on)
                for p in rows:
                    del out.layers[table][p.row.id]
                targets = [keep] if keep is not None else []
            else:
                targets = list(rows)
        else:
            existing = out.layers[table].get(change.id)
            targets = [existing] if existing is not None else []
        targets_data: list[tuple[Priced[PriceRow] | None, dict[str, Any]]]
        if not targets:  # a new row: the prices must be complete
            known = sorted({_series(p.row) for p in out.layers[table].values()} | set(out.layers[table]))
            unknown = f"no {table} row {change.id!r}{did_you_mean(str(change.id), known)}"
            if not change.prices:
                raise PricingError(
                    f"{unknown}; a discount applies to a row the tables hold: check the id"
                    f" (`costcalc pricing list --kind {_KINDS.get(table, table)}` lists them)",
                    field=f"{field}.id",
                )
            data = {"id": change.id, **change.prices}
            targets_data = [(None, data)]
        else:
            targets_data = [(p, p.row.model_dump()) for p in targets]
        for target, data in targets_data:
            given = discounts.get((table, target.row.id), ()) if target is not None else ()
            given += (change.discount,) if change.discount else ()
            data = dict(data)
            data.update(change.prices or {})
            if change.discount:
                for key, value in list(data.items()):
                    if isinstance(value, (int, float)) and key.endswith(MONEY_SUFFIXES):
                        data[key] = value * (1 - change.discount)
            if change.source:
                data["source"] = change.source
            if change.as_of:
                data["as_of"] = change.as_of
            if change.prices and table == "api" and change.id and "@" not in change.id:
                data.update(id=change.id, valid_from=None, valid_until=None)
            try:
                row = TABLES[table].model_validate(data)
            except ValidationError as exc:
                errors = exc.errors(include_url=False)
                missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing" and e["loc"]]
                if not targets and missing:  # a typo'd id reads as a new row lacking its fields
                    own = [m for m in missing if m in ("source", "as_of")]  # written beside prices, not in them
                    wanted = [f"prices.{m}" for m in missing if m not in own] + own
                    raise PricingError(
                        f"{unknown}; to add it as a new row, also give {', '.join(wanted)}", field=f"{field}.id"
                    ) from None
                raise _refused_price(exc, change, table, data, field) from None
            discounts[(table, row.id)] = given
            out.layers[table][row.id] = Priced(row, f"override:{where}{_discount_words(given)}")
    return out


def _discount_words(given: tuple[float, ...]) -> str:
    """' (10% discount)' for one discount; ' (28% discount: 10% then 20%)' where several multiply; '' for none."""
    if not given:
        return ""
    left = 1.0
    for share in given:
        left *= 1 - share
    steps = f": {' then '.join(f'{share:.0%}' for share in given)}" if len(given) > 1 else ""
    return f" ({1 - left:.0%} discount{steps})"


def _refused_price(exc: Any, change: Any, table: str, data: dict[str, Any], field: str) -> PricingError:
    """A scenario's `pricing:` change that the table's row refuses, named by its key (pricing[0].prices.
    input_usd_per_mtok) in the words a scenario's own field gets: the value and how to write it, or the keys near an
    unknown one."""
    from costcalc.models.invalid import first_refusal

    refusal, path = first_refusal(exc, TABLES[table], data)
    name = str(path[0]) if path else ""
    where = f"{field}.prices.{name}" if name in (change.prices or {}) else f"{field}.{name}" if name else field
    return PricingError(refusal.detail, field=where)


def load_lock(path: str) -> PriceBook:
    """A book holding exactly the rows of a `costcalc pricing lock` file."""

    from costcalc.errors import PricingError
    from costcalc.inputs import TABLE_MAX_BYTES, read_text
    from costcalc.safeparse import parse_json

    if not os.path.lexists(path) and path != "-":  # a link that leads nowhere gets the reader's own words
        raise PricingError("lock file not found; write one with `costcalc pricing lock`", file=path)
    text = read_text(path, limit=TABLE_MAX_BYTES, error=PricingError, what="a costcalc pricing lock")
    try:
        doc = parse_json(text, path, PricingError)
        rows = doc["rows"]
        if not isinstance(rows, list) or not all(isinstance(item, dict) for item in rows):
            raise TypeError("rows")
    except (ValueError, KeyError, TypeError):
        raise PricingError(_not_a_lock(text, path), file=path) from None
    pricing = doc.get("scenario_pricing")
    book = PriceBook(lock=path, lock_pricing=pricing if isinstance(pricing, list) else None)
    for i, item in enumerate(rows):
        table = item.pop("table", None)
        origin = item.pop("origin", "lock")
        if table not in TABLES:
            raise PricingError(f"row {i}: unknown table {table!r}", file=path)
        parsed = tables.parse_rows(table, [item], path, first_line=1)
        # qa24: one row at a time, each api row dropped the lock's earlier rows of its series, so a lock holding a
        # price change inside the horizon (gemini-3.7-flash doubles on 2027-01-01) priced every month at the new price
        book.add(table, parsed, origin, whole_series=False)
    return book


def _not_a_lock(text: str, path: str) -> str:
    """Why a file is no pricing lock: what it is where costcalc.file_kinds knows (a scenario, a report ...)."""
    from costcalc.errors import PricingError
    from costcalc.file_kinds import file_kind, said_as
    from costcalc.safeparse import parse_yaml

    try:
        kind = file_kind(parse_yaml(text, path, PricingError))  # JSON is YAML
    except PricingError:
        kind = None
    if kind is None:
        return "not a costcalc pricing lock (JSON with a 'rows' list)"
    return f"{said_as(kind, 'a pricing lock')}; write a lock with `costcalc pricing lock SCENARIO`"


def lock_rows(used: list[tuple[str, Priced[PriceRow]]], pricing: list[Any] | None = None) -> str:
    """JSON text of a lock file: every priced row a report used, with its table and origin, and the scenario's
    `pricing:` list (JSON) whose changes those rows hold."""
    import json

    rows = []
    seen = set()
    for table, p in sorted(used, key=lambda tp: (tp[0], tp[1].row.id)):
        if (table, p.row.id) in seen:
            continue
        seen.add((table, p.row.id))
        rows.append({"table": table, "origin": p.origin, **p.row.model_dump(mode="json", exclude_none=True)})
    doc = {"version": 1, "scenario_pricing": pricing or [], "rows": rows}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
