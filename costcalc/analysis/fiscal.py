"""Fiscal years: the timeline's cash CapEx, OpEx and accrual summed per fiscal year, from the report day's month."""

from __future__ import annotations

import datetime as dt

from costcalc.engine.arrays import FloatArray
from costcalc.report.result import FiscalYear
from costcalc.units import MONTHS_PER_YEAR


def fiscal_year_label(year: int, month: int, start_month: int) -> str:
    """FY named by the calendar year it ends in: with a July start, July 2026 is in FY2027."""
    ends = year if start_month == 1 or month < start_month else year + 1
    return f"FY{ends}"


def fiscal_years(
    today: dt.date,
    start_month: int,
    capex: dict[str, FloatArray],
    opex: dict[str, FloatArray],
    accrual: dict[str, FloatArray],
) -> tuple[FiscalYear, ...]:
    """Per fiscal year (or its part inside the horizon), each option's CapEx, OpEx and accrual; month 1 = today's."""
    months = len(next(iter(accrual.values()))) if accrual else 0
    spans: list[tuple[str, int, int]] = []  # (label, first month index, months)
    for i in range(months):
        index = today.month - 1 + i
        label = fiscal_year_label(today.year + index // MONTHS_PER_YEAR, index % MONTHS_PER_YEAR + 1, start_month)
        if spans and spans[-1][0] == label:
            spans[-1] = (label, spans[-1][1], spans[-1][2] + 1)
        else:
            spans.append((label, i, 1))
    return tuple(
        FiscalYear(
            label=label,
            first_month=first + 1,
            months=count,
            capex={k: float(v[first : first + count].sum()) for k, v in capex.items()},
            opex={k: float(v[first : first + count].sum()) for k, v in opex.items()},
            accrual={k: float(v[first : first + count].sum()) for k, v in accrual.items()},
        )
        for label, first, count in spans
    )
