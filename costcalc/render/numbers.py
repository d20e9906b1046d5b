"""Number formatting shared by the renderers: money, token volumes, shares, counts, milliseconds (rounding happens
only here; counts and milliseconds are costcalc/words.py's, which the layers below the renderers use too)."""

from __future__ import annotations

from costcalc.report.money_words import CURRENCY_SYMBOLS, money, money_change
from costcalc.report.option_table import LINE_LABELS
from costcalc.report.result import JSON_SIGNIFICANT_DIGITS, rounded
from costcalc.words import MOST_TRILLIONS, count, half_up, half_up_significant, milliseconds, power_of_ten, tokens


def share(value: float | None) -> str:
    """0.347 → '34.7%'; 0.0004 → '<0.1%'; None → '-'."""
    if value is None:
        return "-"
    return "<0.1%" if 0 < value < 0.0005 else f"{value:.1%}"


def short_money(amount: float, currency: str = "USD") -> str:
    """Money in about three significant digits: $7.30, $73, $950, $1.2k, $35k, $1.1M, $2.4B, $18.4T, -$400, and past
    $10,000T with its power of ten ($2.36e18).

    Below $10 it keeps the cents ($7.30, never $7.3); from $10 whole units; a size is named by what it rounds
    to ($999,700 is $1M, not $1e+03k); a whole amount has no cents ($0, $1, $5: an axis's ticks, not $1.00). Halves
    round up as the amount is written ($1,095 is $1.1k, as money's $1,095 reads; never the binary 1.0949... as $1.09k).
    The one short form: tables, sentences and the charts' axes all write it.
    """
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign, size = ("-" if amount < 0 else ""), abs(amount)
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if size >= scale * 0.9995:
            q = half_up_significant(size / scale, 3)
            if unit == "T" and q >= MOST_TRILLIONS:  # $2.36e18, not $2,360,000,000B
                return f"{sign}{symbol}{power_of_ten(size)}"
            digits = f"{q:,.3g}" if q < 999.5 else f"{q:,.0f}"
            return f"{sign}{symbol}{digits}{unit}"
    cents, whole = half_up(size, 2), half_up(size, 0)
    if cents == whole:  # whole: $1, $0 (never -$0)
        return f"{sign if whole else ''}{symbol}{whole:,.0f}"
    return f"{sign}{symbol}{cents:,.2f}" if cents < 10 else f"{sign}{symbol}{whole:,.0f}"


__all__ = [
    "JSON_SIGNIFICANT_DIGITS",
    "LINE_LABELS",
    "count",
    "milliseconds",
    "money",
    "money_change",
    "rounded",
    "share",
    "short_money",
    "tokens",
]
