"""PriceBook(...) built by hand refuses wrong arguments with PriceBook.load's one-line InputError naming them (`layers=5`
failed later, inside a lookup, with "'int' object is not subscriptable"; `on='2026-01-01'` was kept as a string)."""

from __future__ import annotations

import datetime as dt

import pytest

from costcalc.errors import InputError
from costcalc.pricing.book import TABLE_NAMES, PriceBook


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"layers": 5},
            "layers=: a dict of price table to {row id: Priced row}, not int 5; PriceBook.load(files, on=...)",
        ),
        ({"layers": {"api": []}}, "layers=: table 'api' holds list, not a dict of row id to Priced row; "),
        ({"layers": {"apis": {}}}, "layers=: no price table 'apis' (did you mean: api?); the tables: api, seats, "),
        ({"on": 5}, "on=: a date (datetime.date or 'YYYY-MM-DD'), not int"),
        (
            {"on": "2026-13-01"},
            "on=: '2026-13-01' is not a date; the calendar has no such day: check the month and the day",
        ),
    ],
)
def test_a_wrong_argument_is_one_line_naming_it(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError) as info:
        PriceBook(**kwargs)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_a_book_built_by_hand_works_like_a_loaded_one() -> None:
    loaded = PriceBook.load(use_cache=False, on="2026-12-05")
    book = PriceBook(layers={"api": dict(loaded.layers["api"])}, on="2026-12-05")
    assert book.on == dt.date(2026, 12, 5) and set(book.layers) == set(TABLE_NAMES)  # the others empty
    assert book.get("api", "google/gemini-3.6-flash") == loaded.get("api", "google/gemini-3.6-flash")
    assert PriceBook().rows("rental") == []
