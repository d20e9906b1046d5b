"""Values a scenario may hold but people rarely mean: said as warnings, with the value they probably meant."""

from __future__ import annotations

from typing import Any

STEEP_GROWTH_PER_MONTH = 1.0  # above 100% a month (usage ×4,096 in a year) a percentage was likely written
# usage in the horizon's last month above this multiple of month 1 is rarely a plan (3% a month for 20 years is
# ×1,171): every total over the horizon rests on it, so it is said
HORIZON_GROWTH_MULTIPLE = 1_000


def unlikely_values(scenario: Any) -> list[str]:
    """Warnings for valid but unlikely inputs, e.g. growth_per_month 5 (500% a month; did you mean 0.05?)."""
    out: list[str] = []
    growth = float(getattr(scenario.workload, "growth_per_month", 0.0) or 0.0)
    if growth > STEEP_GROWTH_PER_MONTH:
        out.append(
            f"workload.growth_per_month is {growth:g}: {growth:.0%} a month, usage x{(1 + growth) ** 12:,.0f} in a year;"
            f" did you mean {growth / 100:g}? (growth is a fraction: 0.05 = 5% a month)"
        )
    horizon = int(getattr(scenario, "horizon_months", 0) or 0)
    multiple = (1 + growth) ** max(horizon - 1, 0) if 0 < growth <= STEEP_GROWTH_PER_MONTH else 1.0
    if multiple > HORIZON_GROWTH_MULTIPLE:
        shown = f"{multiple:,.0f}" if multiple < 1e12 else f"{multiple:.1e}"
        out.append(
            f"workload.growth_per_month {growth:g} compounds to usage x{shown} of month 1 by month {horizon}"
            " (horizon_months); every total over the horizon rests on it: check the growth and the horizon"
        )
    return out
