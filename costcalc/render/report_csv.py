"""The report as CSV: one row per option, numeric columns with units in their names."""

from __future__ import annotations

import csv
import io

from costcalc.render.escape import csv_cell
from costcalc.render.numbers import LINE_LABELS
from costcalc.report.result import Result

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
    header = [
        "option",
        "kind",
        "monthly_cost_usd",
        "cost_per_million_tokens_usd",
        "per_user_monthly_cost_usd",
        *[f"{k}_usd_per_month" for k in lines],
        "capex_upfront_usd",
        "prepaid_upfront_usd",
        "opex_monthly_usd",
        "horizon_cash_total_usd",
        "horizon_accrual_total_usd",
        "terminal_value_usd",
        "npv_usd",
        "replicas",
        "gpus",
        "servers",
        "utilisation_share",
        "throughput_basis",
        "requests_per_s_per_replica",
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
                _num(o.utilisation),
                t.basis if t else "",
                _num(t.requests_per_s_per_replica) if t else "",
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
