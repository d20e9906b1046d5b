"""A row two `pricing:` discounts reach is labelled with the discount it carries, not the last one alone."""

from __future__ import annotations

import pytest

from costcalc.models.pricing import PriceOverride
from costcalc.pricing.book import PriceBook, apply_overrides

LUNA = "openai/gpt-6-luna"


@pytest.fixture(scope="module")
def book() -> PriceBook:
    return PriceBook.load(use_cache=False, on="2026-12-07")


def test_one_discount_is_said_as_before(book: PriceBook) -> None:
    out = apply_overrides(book, [PriceOverride(provider="openai", discount=0.1)])
    assert out.get("api", LUNA).origin == "override:scenario (10% discount)"


def test_two_discounts_on_one_row_say_what_they_come_to(book: PriceBook) -> None:
    base = book.get("api", LUNA).row.input_usd_per_mtok
    changes = [PriceOverride(provider="openai", discount=0.1), PriceOverride(provider="openai", discount=0.2)]
    priced = apply_overrides(book, changes).get("api", LUNA)
    # 0.9 x 0.8 = 0.72 of the price: 28% off, which the label said as the last change's 20%
    assert priced.row.input_usd_per_mtok == pytest.approx(base * 0.72)
    assert priced.origin == "override:scenario (28% discount: 10% then 20%)"


def test_a_provider_discount_then_a_row_discount_reach_only_that_row_twice(book: PriceBook) -> None:
    changes = [PriceOverride(provider="openai", discount=0.1), PriceOverride(id=LUNA, discount=0.5)]
    out = apply_overrides(book, changes)
    assert out.get("api", LUNA).origin == "override:scenario (55% discount: 10% then 50%)"
    assert out.get("api", "openai/gpt-6-sol").origin == "override:scenario (10% discount)"


def test_exact_prices_after_a_discount_keep_the_discount_of_the_prices_they_leave(book: PriceBook) -> None:
    base_out = book.get("api", LUNA).row.output_usd_per_mtok
    changes = [PriceOverride(provider="openai", discount=0.1), PriceOverride(id=LUNA, prices={"input_usd_per_mtok": 9})]
    priced = apply_overrides(book, changes).get("api", LUNA)
    assert (priced.row.input_usd_per_mtok, priced.row.output_usd_per_mtok) == (9, pytest.approx(base_out * 0.9))
    assert priced.origin == "override:scenario (10% discount)"


def test_two_exact_values_of_one_price_are_refused_at_the_later(book: PriceBook) -> None:
    """qa24: the later of two exact values won and the earlier was dropped, unsaid (a copied line)."""
    from costcalc.errors import PricingError

    changes = [
        PriceOverride(id=LUNA, prices={"input_usd_per_mtok": 1.0}),
        PriceOverride(id=LUNA, prices={"output_usd_per_mtok": 2.0}),  # another price of the row: both count
        PriceOverride(id=LUNA.upper(), prices={"input_usd_per_mtok": 2.0}),
    ]
    with pytest.raises(PricingError) as err:
        apply_overrides(book, changes)
    assert (err.value.field, err.value.detail) == (
        "pricing[2].prices.input_usd_per_mtok",
        f"sets input_usd_per_mtok of {LUNA.upper()} as pricing[0] does, and only the later value would count; keep one",
    )
    priced = apply_overrides(book, changes[:2]).get("api", LUNA).row
    assert (priced.input_usd_per_mtok, priced.output_usd_per_mtok) == (1.0, 2.0)
