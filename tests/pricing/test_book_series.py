"""PriceBook.series: an index by series key gives what a scan of every api row gave, and follows the rows however they
change."""

from __future__ import annotations

import datetime as dt

from costcalc.pricing.book import PriceBook, Priced, _series, apply_overrides
from costcalc.pricing.schema import ApiPrice


def _scan(book: PriceBook, key: str) -> list[Priced[ApiPrice]]:
    """The lookup as it was before the index: every api row of the series, oldest first (a stable sort)."""
    found = [p for p in book.layers["api"].values() if _series(p.row).lower() == key.lower()]
    return sorted(found, key=lambda p: p.row.valid_from or dt.date.min)  # type: ignore[return-value]


def test_every_shipped_series_is_the_scan_in_the_same_order() -> None:
    book = PriceBook.load(use_cache=False, on="2026-12-07")
    keys = {_series(p.row) for p in book.layers["api"].values()}
    assert len(keys) > 100
    for key in keys:
        assert book.series(key) == _scan(book, key)
        assert book.series(key.upper()) == _scan(book, key)  # keys are matched without case
    assert book.series("no/such-model") == []


def test_the_series_follows_rows_changed_in_place_and_added() -> None:
    book = PriceBook.load(use_cache=False, on="2026-12-07")
    key = "openai/gpt-6-luna"
    rows = book.series(key)
    assert rows
    del book.layers["api"][rows[0].row.id]  # a change that bypasses add(), as apply_overrides makes them
    assert book.series(key) == rows[1:] == _scan(book, key)
    book.add("api", [rows[0].row], "override:test")  # an api row added replaces its whole series
    assert book.series(key) == _scan(book, key) and [p.origin for p in book.series(key)] == ["override:test"]
    returned = book.series(key)
    returned.clear()  # a caller's list is its own
    assert book.series(key) == _scan(book, key)


def test_a_scenario_price_for_a_series_is_what_its_lookups_give() -> None:
    from costcalc.models.pricing import PriceOverride

    book = PriceBook.load(use_cache=False, on="2026-12-07")
    change = PriceOverride(table="api", id="openai/gpt-6-luna", prices={"input_usd_per_mtok": 9.0})
    out = apply_overrides(book, [change])
    assert out.series("openai/gpt-6-luna") == _scan(out, "openai/gpt-6-luna")
    assert out.get("api", "openai/gpt-6-luna").row.input_usd_per_mtok == 9.0
