"""Money and shares as the report writes them: money_change (the difference of two amounts as `money` shows them, so a
reader's subtraction agrees) and percent."""

from __future__ import annotations

import pytest

from costcalc.report.money_words import money, money_change, percent


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (232.383, 916.542, "+$685"),  # $232 → $917: the exact $684.16 would read '+$684'
        (12646.64, 12660.23, "+$13"),  # whole dollars beside whole dollars, not '+$13.59'
        (916.542, 232.383, "-$685"),
        (95.5, 120.4, "+$24.50"),  # $95.50 → $120: cents where one side shows cents
        (4.25, 7.5, "+$3.25"),
        (6731.7, 6731.7, "$0"),
        (453.96, 454.2, "$0"),  # both read $454
    ],
)
def test_reads_as_the_shown_amounts_subtract(before: float, after: float, text: str) -> None:
    assert money_change(before, after) == text
    shown = [float(money(x).lstrip("$").replace(",", "")) for x in (before, after)]
    assert float(text.lstrip("+").replace("$", "").replace(",", "")) == pytest.approx(shown[1] - shown[0])


def test_unsigned_and_other_currencies() -> None:
    assert money_change(916.542, 232.383, signed=False) == "$685"
    assert money_change(100.0, 250.0, "EUR") == "+€150"


def test_percent_words() -> None:
    assert [percent(x) for x in (0.00036, 0.0021, 0.86, 12.3)] == ["0.04%", "0.2%", "86%", "1,230%"]
