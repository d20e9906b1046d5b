"""What self-hosting saves or costs more, in words, for one value or a range."""

from __future__ import annotations

from costcalc.render.numbers import short_money as currency_money

VERBS = ("saves", "costs", "breaks even")  # what self-hosting does: saves $X, costs $X more


def savings_words(value: float, currency: str = "USD", *, verb: tuple[str, str, str] = VERBS) -> str:
    """What self-hosting does at `value` (best API minus best self-hosted): 'saves $12k', 'costs $4.1k more'."""
    saves, costs, even = verb
    if abs(value) < 0.5:
        return even
    amount = currency_money(abs(value), currency)
    return f"{saves} {amount}" if value > 0 else f"{costs} {amount} more"


def savings_range(low: float, high: float, currency: str = "USD") -> str:
    """A range of savings in words, left to right: 'saves $84k to $160k', 'costs $160k to $84k more',
    'from costing $20k more to saving $30k'."""
    a, b = sorted((low, high))
    if a >= 0.5:
        return f"saves {currency_money(a, currency)} to {currency_money(b, currency)}"
    if b <= -0.5:
        return f"costs {currency_money(-a, currency)} to {currency_money(-b, currency)} more"
    ing = ("saving", "costing", "breaking even")
    return f"from {savings_words(a, currency, verb=ing)} to {savings_words(b, currency, verb=ing)}"
