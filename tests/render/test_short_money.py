"""Short money keeps cents below $10 and names a size by what it rounds to."""

from __future__ import annotations

import pytest

from costcalc.render.numbers import short_money


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (7.3, "$7.30"),  # was '$7.3': three significant digits dropped the trailing zero of the cents
        (0.42, "$0.42"),
        (-7.3, "-$7.30"),
        (9.996, "$10"),
        (73.0, "$73"),
        (152.08, "$152"),
        (999.4, "$999"),
        (999.6, "$1k"),  # rounds up to the next size
        (1_500.0, "$1.5k"),
        (999_600.0, "$1M"),  # was '$1e+03k'
        (1_100_000.0, "$1.1M"),
        (2_400_000_000.0, "$2.4B"),  # was '$2.4e+03M'
        (999.6e9, "$1T"),  # was '$1,000B'
        (1.84e13, "$18.4T"),  # was '$18,400B'
        (2.36e18, "$2.36e18"),  # was '$2,360,000,000B' (qa23 finding 13)
    ],
)
def test_short_money(amount: float, written: str) -> None:
    assert short_money(amount) == written


def test_short_money_in_another_currency_keeps_its_symbol() -> None:
    assert short_money(7.3, "EUR") == "€7.30"


@pytest.mark.parametrize(("amount", "written"), [(0.0, "$0"), (-0.001, "$0"), (1.0, "$1"), (5.0, "$5"), (0.1, "$0.10")])
def test_a_whole_amount_has_no_cents(amount: float, written: str) -> None:
    """An axis's ticks ($0, $1, $10) are whole amounts: no '$1.00' beside '$10' (the axes' own form wrote '$1')."""
    assert short_money(amount) == written


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        # audit19: the README's report showed 'GPU rental $1.09k' beside '$1,095 a month = 730 GPU-hours at $1.50': the
        # binary 1.095 is 1.09499..., so '.3g' rounded the half down; every decimal rule (and a spreadsheet) gives 1.1
        (1_095.0, "$1.1k"),
        (2_285.0, "$2.29k"),
        (1_825.0, "$1.83k"),  # 730 h at $2.50
        (912.5, "$913"),
        (0.125, "$0.13"),
        (2.675, "$2.68"),  # the binary 2.67499... printed $2.67
        (-1_095.0, "-$1.1k"),
        (1_094.9, "$1.09k"),
    ],
)
def test_short_money_rounds_a_half_up_as_the_amount_is_written(amount: float, written: str) -> None:
    assert short_money(amount) == written
