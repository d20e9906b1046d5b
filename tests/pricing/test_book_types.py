"""PriceBook's rows are typed per table: a lookup gives its table's row class, not Any (issue 10 point 5)."""

from __future__ import annotations

import datetime as dt
import typing

from costcalc.pricing.book import PriceBook, Priced
from costcalc.pricing.schema import TABLES, ApiPrice, GpuRental, PriceRow


def test_a_priced_row_is_bound_to_the_price_row_class() -> None:
    row_type = typing.get_type_hints(Priced)["row"]
    assert isinstance(row_type, typing.TypeVar)
    assert row_type.__bound__ is PriceRow


def test_every_table_holds_rows_of_its_own_class() -> None:
    book = PriceBook.load(use_cache=False, on=dt.date(2026, 12, 5))
    for table, row_class in TABLES.items():
        rows = book.rows(table)
        assert rows or table == "fx", table  # no exchange-rate table ships; a scenario gives its own rate
        assert all(isinstance(p.row, row_class) for p in rows), table
    assert isinstance(book.get("api", "google/gemini-3.6-flash").row, ApiPrice)
    assert isinstance(book.rows("rental")[0].row, GpuRental)
