"""The report as CSV: one row per option, numeric columns with units in their names (money in the report's
currency: monthly_cost_usd, or monthly_cost_eur for a scenario in EUR); an estimated option's actual range as
factors of the estimate (actual_over_estimate_low/high) with its source, and the month-1 cost at either end."""

from __future__ import annotations

import csv
import io

from costcalc.render.escape import csv_cell
from costcalc.render.numbers import LINE_LABELS
from costcalc.report.result import Result
from costcalc.report.verdict import option_range

DECIMALS = 6


def _num(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{round(value, DECIMALS) + 0.0:.{DECIMALS}f}".rstrip("0").rstrip(".")


def render(result: Result) -> str:
    """CSV text with a header row."""
    lines = [k for k in LINE_LABELS if any(k in o.breakdown for o in result.options)]
    cur = result.currency.lower()
    header = [
        "option",
        "kind",
        f"monthly_cost_{cur}",
        f"cost_per_million_tokens_{cur}",
        f"per_user_monthly_cost_{cur}",
        *[f"{k}_{cur}_per_month" for k in lines],
        f"capex_upfront_{cur}",
        f"prepaid_upfront_{cur}",
        f"opex_monthly_{cur}",
        f"horizon_cash_total_{cur}",
        f"horizon_accrual_total_{cur}",
        f"terminal_value_{cur}",
        f"npv_{cur}",
        "replicas",
        "gpus",
        "servers",
        "workstations",
        "instances",
        "utilisation_share",
        "throughput_basis",
        "requests_per_s_per_replica",
        "actual_over_estimate_low",
        "actual_over_estimate_high",
        "actual_range_source",
        f"monthly_cost_low_{cur}",
        f"monthly_cost_high_{cur}",
        "break_even_tokens_per_month",
        "break_even_versus",
        "payback_months",
        "payback_months_exact",
        "discounted_payback_months",
        "irr_per_year",
        "cheapest",
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for o in result.options:
        be = result.headline_break_even(o.name)
        t = o.throughput
        actual = option_range(o)
        low, high = o.monthly_cost_range or (None, None)
        writer.writerow(
            [
                csv_cell(o.name),
                o.kind,
                _num(o.monthly_cost),
                _num(o.cost_per_million_tokens),
                _num(o.per_user_monthly_cost),
                *[_num(o.breakdown.get(k)) for k in lines],
                _num(o.capex_upfront),
                _num(o.prepaid_upfront),
                _num(o.opex_monthly),
                _num(o.horizon_cash_total),
                _num(o.horizon_accrual_total),
                _num(o.terminal_value),
                _num(o.npv),
                _num(o.replicas),
                _num(o.gpus),
                _num(o.servers),
                _num(o.workstations),
                _num(o.instances),
                _num(o.utilisation),
                t.basis if t else "",
                _num(t.requests_per_s_per_replica) if t else "",
                _num(actual.low) if actual else "",
                _num(actual.high) if actual else "",
                actual.source if actual else "",
                _num(low),
                _num(high),
                _num(be.tokens_per_month) if be else "",
                csv_cell(be.versus) if be else "",
                _num(be.payback_months) if be else "",
                _num(be.payback_months_exact) if be else "",
                _num(be.discounted_payback_months) if be else "",
                _num(be.irr_per_year) if be else "",
                "yes" if o.name == result.cheapest else "no",
            ]
        )
    return out.getvalue()
