"""Values a scenario may hold but people rarely mean: said as warnings, with the value they probably meant."""

from __future__ import annotations

from typing import Any

STEEP_GROWTH_PER_MONTH = 1.0  # above 100% a month (usage ×4,096 in a year) a percentage was likely written


def unlikely_values(scenario: Any) -> list[str]:
    """Warnings for valid but unlikely inputs, e.g. growth_per_month 5 (500% a month; did you mean 0.05?)."""
    out: list[str] = []
    growth = float(getattr(scenario.workload, "growth_per_month", 0.0) or 0.0)
    if growth > STEEP_GROWTH_PER_MONTH:
        out.append(
            f"workload.growth_per_month is {growth:g}: {growth:.0%} a month, usage x{(1 + growth) ** 12:,.0f} in a year;"
            f" did you mean {growth / 100:g}? (growth is a fraction: 0.05 = 5% a month)"
        )
    return out
