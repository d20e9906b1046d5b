"""Values a scenario may hold but people rarely mean: said as warnings, with the value they probably meant."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

STEEP_GROWTH_PER_MONTH = 1.0  # above 100% a month (usage ×4,096 in a year) a percentage was likely written
# usage in the horizon's last month above this multiple of month 1 is rarely a plan (3% a month for 20 years is
# ×1,171): every total over the horizon rests on it, so it is said
HORIZON_GROWTH_MULTIPLE = 1_000


def steep_growth(growth: ArrayLike) -> NDArray[np.bool_]:
    """Where growth_per_month is above STEEP_GROWTH_PER_MONTH (one value per point; a scalar gives a 0-d array)."""
    return np.asarray(growth, dtype=float) > STEEP_GROWTH_PER_MONTH


def steep_growth_line(growth: float) -> str:
    """'workload.growth_per_month is 5: 500% a month, usage x2,176,782,336 in a year; did you mean 0.05? ...'."""
    return (
        f"workload.growth_per_month is {growth:g}: {growth:.0%} a month, usage x{(1 + growth) ** 12:,.0f} in a year;"
        f" did you mean {growth / 100:g}? (growth is a fraction: 0.05 = 5% a month)"
    )


def horizon_multiple(growth: ArrayLike, horizon_months: int) -> NDArray[np.float64]:
    """Usage in the horizon's last month over month 1's, where growth is not steep (a steep growth is said as a
    likely typo instead), else 1; one value per point."""
    g = np.asarray(growth, dtype=float)
    with np.errstate(over="ignore"):
        multiple = (1 + g) ** max(horizon_months - 1, 0)
    return np.where((g > 0) & ~steep_growth(g), multiple, 1.0)


def compounding_line(growth: float, horizon_months: int) -> str:
    """'workload.growth_per_month 1 compounds to usage x34,359,738,368 of month 1 by month 36 (horizon_months); ...'."""
    multiple = float(horizon_multiple(growth, horizon_months))
    shown = f"{multiple:,.0f}" if multiple < 1e12 else f"{multiple:.1e}"
    return (
        f"workload.growth_per_month {growth:g} compounds to usage x{shown} of month 1 by month {horizon_months}"
        " (horizon_months); every total over the horizon rests on it: check the growth and the horizon"
    )


# counts people write in thousands, where '1.000' (German for 1000) read as 1 is a 1000x slip; prices, shares and
# rates are left out: three decimals are ordinary there (a price of 2.500 per 1M tokens)
THOUSANDS_FIELDS = ("requests_per_day", "tokens_per_month", "users", "seats", "input_tokens", "output_tokens")


def dotted_thousands(scenario: Any) -> list[str]:
    """'workload.requests_per_day: 1.000 is read as 1 (in YAML a dot is a decimal point); if the dot separates
    thousands, write 1000' for each count the file wrote with a dot before three digits (yamlio records them), unless
    --set, a variant or a sweep has given the field another value since."""
    out: list[str] = []
    for shown, text in (getattr(scenario, "_written", None) or {}).items():
        if shown.rsplit(".", 1)[-1] not in THOUSANDS_FIELDS or _value_at(scenario, shown) != float(text):
            continue
        meant = text.lstrip("+").replace(".", "")
        out.append(
            f"{shown}: {text} is read as {float(text):g} (in YAML a dot is a decimal point); if the dot separates"
            f" thousands, write {int(meant)}"
        )
    return out


def _value_at(scenario: Any, shown: str) -> Any:
    """The value at a shown field path ('options[Seats].seats') of a built scenario; None where there is none."""
    from costcalc.scenario.overrides import parse_path

    node = scenario
    for part in parse_path(shown):
        if isinstance(node, (list, tuple)):
            named = [item for item in node if getattr(item, "name", None) == part]
            node = (
                named[0] if named else node[part] if isinstance(part, int) and -len(node) <= part < len(node) else None
            )
        else:
            node = getattr(node, str(part), None)
        if node is None:
            return None
    return node


def unlikely_values(scenario: Any) -> list[str]:
    """Warnings for valid but unlikely inputs, e.g. growth_per_month 5 (500% a month; did you mean 0.05?), a count
    written 1.000 (read as 1; German for 1000)."""
    out: list[str] = dotted_thousands(scenario)
    growth = float(getattr(scenario.workload, "growth_per_month", 0.0) or 0.0)
    horizon = int(getattr(scenario, "horizon_months", 0) or 0)
    if steep_growth(growth):
        out.append(steep_growth_line(growth))
    if horizon_multiple(growth, horizon) > HORIZON_GROWTH_MULTIPLE:
        out.append(compounding_line(growth, horizon))
    return out
