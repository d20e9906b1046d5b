"""Number formatting shared by the renderers: money, token volumes, shares (rounding happens only here)."""

from __future__ import annotations

from costcalc.report.result import JSON_SIGNIFICANT_DIGITS, rounded
from costcalc.report.verdict import CURRENCY_SYMBOLS, money, tokens


def share(value: float | None) -> str:
    """0.347 → '34.7%'; 0.0004 → '<0.1%'; None → '-'."""
    if value is None:
        return "-"
    return "<0.1%" if 0 < value < 0.0005 else f"{value:.1%}"


def short_money(amount: float, currency: str = "USD") -> str:
    """Money in three significant digits: $950, $1.2k, $35k, $1.1M, -$400."""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign, size = ("-" if amount < 0 else ""), abs(amount)
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if size >= scale:
            return f"{sign}{symbol}{size / scale:,.3g}{unit}"
    return f"{sign}{symbol}{size:,.3g}"


LINE_LABELS = {
    "input_uncached": "uncached input",
    "input_cached": "cached input",
    "cache_write": "cache writes",
    "output": "output",
    "long_context_premium": "long-context tier",
    "batch_savings": "batch savings",
    "off_peak_savings": "off-peak savings",
    "discount": "discount",
    "gpu_rental": "GPU rental",
    "depreciation": "depreciation",
    "cost_of_capital": "cost of capital",
    "energy": "energy",
    "hosting": "hosting",
    "labour": "labour",
    "seats": "seats",
}

__all__ = ["JSON_SIGNIFICANT_DIGITS", "LINE_LABELS", "money", "rounded", "share", "short_money", "tokens"]
