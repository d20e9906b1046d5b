"""The price book a scenario is costed with, the currency it reports in, and the priced rows a report uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from costcalc.errors import InputError, PricingError, did_you_mean
from costcalc.models import Scenario
from costcalc.pricing.book import PriceBook, Priced
from costcalc.pricing.schema import FxRate
from costcalc.resolve.blame import at_scenario


def lock_pricing(scenario: Scenario) -> list[Any]:
    """The scenario's `pricing:` list as a lock file keeps it (JSON), to tell later whether it changed."""
    return [change.model_dump(mode="json", exclude_none=True) for change in scenario.pricing]


def _check_lock_pricing(book: PriceBook, scenario: Scenario) -> None:
    """A lock holds the rows of the `pricing:` list it was written with: a scenario whose list changed since would be
    priced without the change, unsaid (a 50% discount added later left its option at the locked price)."""
    if book.lock_pricing is None or book.lock_pricing == lock_pricing(scenario):
        return
    raise at_scenario(
        InputError(
            f"not the list the pricing lock {book.lock} was written with, whose rows hold that list's changes, so this"
            f" one's would not be priced; write the lock again: costcalc pricing lock SCENARIO -o {book.lock}",
            field="pricing",
        ),
        scenario,
    )


@dataclass
class PriceSource:
    """Where prices come from: a lock file (exactly its rows), a given book, or the shipped tables + the `pricing
    update` cache + user files; each scenario's own `pricing:` changes go on top here, once (never on a lock).

    The base book is loaded once; one book is kept per distinct `pricing:` list and day (what-if points share
    it). `today` is the day prices are looked up for (`--today`; None: the wall clock's day), so every command
    that prices through this source (report, diff, sweep, sensitivity, simulate, recommend) prices that day.
    """

    files: tuple[str, ...] = ()
    lock: str | None = None
    book: PriceBook | None = None
    today: dt.date | None = None
    _books: dict[tuple[str, dt.date | None], PriceBook] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.lock is not None and self.files:  # the files were never read: a lock's rows are all it prices with
            raise InputError(
                "not read beside a pricing lock, which holds exactly the prices it was written with; write the lock"
                " with these files (`costcalc pricing lock SCENARIO --pricing FILE -o LOCK`) and give the lock alone",
                param="pricing_files",
            )

    def on(self, today: dt.date | None) -> PriceSource:
        """This source pricing on `today` (itself when `today` is None or its day already); the base book and the
        books already built are shared, so the tables are read once."""
        if today is None or today == self.today:
            return self
        if self.book is None and self.lock is None:
            self.book = PriceBook.load(list(self.files), on=today)
        return PriceSource(self.files, self.lock, self.book, today, self._books)

    def tables(self) -> PriceBook:
        """The tables this source prices from on its day, before any scenario's own `pricing:` changes: what
        `pricing list` and `pricing show` read, so they show the rows a report on that day uses."""
        from costcalc.pricing.book import load_lock

        if self.lock is not None:
            book = load_lock(self.lock)
            return book if self.today is None else replace(book, on=self.today)
        return self._base(self.today)

    def _base(self, day: dt.date | None) -> PriceBook:
        """The shipped tables + cache + files (loaded once), looking series up on `day` (None: the wall clock's)."""
        if self.book is None:  # the user's files' dates are checked on that day, as `pricing validate --today` does
            self.book = PriceBook.load(list(self.files), on=day)
        return self.book if day is None else replace(self.book, on=day)

    def for_scenario(self, scenario: Scenario, *, on: dt.date | None = None) -> PriceBook:
        """The book this scenario is costed with; `on` is the day a price series is looked up for (default: the
        source's `today`, else the wall clock's)."""
        day = on if on is not None else self.today
        book = self._for_scenario(scenario, day)
        return replace(book, on=day) if day is not None else book

    def _for_scenario(self, scenario: Scenario, day: dt.date | None) -> PriceBook:
        from costcalc.pricing.book import apply_overrides, load_lock

        key = (repr(scenario.pricing), day)
        if key not in self._books:
            if self.lock is not None:
                self._books[key] = load_lock(self.lock)  # the lock already holds the scenario's own changes
                _check_lock_pricing(self._books[key], scenario)
            else:
                base = self._base(day)  # a series' override picks day's row
                try:
                    self._books[key] = apply_overrides(base, scenario.pricing) if scenario.pricing else base
                except InputError as exc:
                    raise at_scenario(exc, scenario) from None
        return self._books[key]

    def currency(self, scenario: Scenario) -> tuple[str, float, str | None]:
        """(code, units per USD, the rate's assumption line) the scenario reports in."""
        return currency(scenario, self.for_scenario(scenario))


def price_book(
    scenario: Scenario,
    *,
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    on: dt.date | None = None,
) -> PriceBook:
    """The lock file's rows if given (exactly), else `prices` if given, else the shipped tables + the `pricing
    update` cache + `pricing_files`; with the scenario's own `pricing:` changes on top (except on a lock)."""
    return PriceSource(tuple(pricing_files), pricing_lock, prices).for_scenario(scenario, on=on)


def currency(scenario: Scenario, book: PriceBook) -> tuple[str, float, str | None]:
    """(code, units per USD, an assumption line naming the rate's date and source; None for USD)."""
    c = scenario.currency
    if isinstance(c, str):
        if c == "USD":
            return "USD", 1.0, None
        row = _scenario_fx_row(scenario, c, book).row
        code, rate, as_of, source = c, row.per_usd, row.as_of, row.source
    else:
        code, rate, as_of, source = c.code, c.per_usd, c.as_of, c.source
    return code, rate, f"Money in {code} at {rate:g} per USD, as of {as_of.isoformat()}, {source}."


def fx_row(code: str, book: PriceBook) -> Priced[FxRate]:
    """The shipped exchange-rate row of a currency code."""
    for p in book.rows("fx"):
        if p.row.currency == code:
            return p
    if code != code.strip().upper():  # 'usd', 'eur': the code is right, its case is not (ISO 4217 codes are capitals)
        raise PricingError(
            f"write the ISO 4217 code in capitals: {code.strip().upper()} (got {code!r})", field="currency"
        )
    hint = did_you_mean(code, sorted({p.row.currency for p in book.rows("fx")}))
    raise PricingError(
        f"no shipped exchange rate for {code}{hint}; give currency: {{code: {code}, per_usd: ..., as_of: ...,"
        " source: ...}",
        field="currency",
    )


def _scenario_fx_row(scenario: Scenario, code: str, book: PriceBook) -> Priced[FxRate]:
    """fx_row, with an unknown code blamed on the scenario's currency line."""
    try:
        return fx_row(code, book)
    except PricingError as exc:
        raise at_scenario(exc, scenario) from None


def used_prices(scenario: Scenario, book: PriceBook) -> list[tuple[str, Any]]:
    """(table, priced row) of every price the scenario's report uses: what a lock file pins."""
    from costcalc.pricing.schema import TABLES
    from costcalc.resolve.scenario import resolve_scenario

    resolved = resolve_scenario(scenario, book)
    out: list[tuple[str, Any]] = []
    for opt in resolved.options:
        for p in opt.prices:
            table = next(name for name, model in TABLES.items() if isinstance(p.row, model))
            out.append((table, p))
    code = scenario.currency if isinstance(scenario.currency, str) else None
    if code and code != "USD":
        out.append(("fx", _scenario_fx_row(scenario, code, book)))
    return out
