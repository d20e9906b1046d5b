"""The money-over-time table every report format shows: up-front cash, monthly opex, horizon totals, NPV."""

from __future__ import annotations

from costcalc.render.numbers import money
from costcalc.report.money_words import units_bought
from costcalc.report.result import OptionResult, Result


def horizon_headers(result: Result) -> list[str]:
    """Column titles; the prepaid column only when some option prepays."""
    months = result.horizon_months
    prepaid = ["Prepaid"] if _any_prepaid(result) else []
    return ["Option", "Capex", *prepaid, "Opex/mo", f"Cash {months} mo", f"Accrual {months} mo", "NPV"]


def horizon_rows(result: Result) -> list[list[str]]:
    """One row of formatted money per option, in the options table's order (cheapest now first)."""
    cur = result.currency
    prepaid = _any_prepaid(result)
    rows = []
    for o in result.ranked:
        cells = [o.name, capex_cell(o, cur)]
        if prepaid:
            cells.append(money(o.prepaid_upfront, cur) if o.prepaid_upfront else "-")
        cells += [
            money(o.opex_monthly, cur),
            money(o.horizon_cash_total, cur),
            money(o.horizon_accrual_total, cur),
            money(o.npv, cur),
        ]
        rows.append(cells)
    return rows


def horizon_note(result: Result) -> str:
    """The line under the table: what the columns count."""
    rate = result.discount_rate_per_year
    prepaid = "; prepaid: seats, commitments and one-off costs paid in month 1" if _any_prepaid(result) else ""
    return (
        f"Capex: hardware bought in month 1 (replacements and growth purchases are in the cash total){prepaid};"
        " opex: month 1 without depreciation or capital charge; NPV: cash"
        + (f" discounted at {rate:.1%} a year" if rate else " (undiscounted)")
        + " less the terminal value."
    )


def capex_cell(o: OptionResult, currency: str, *, units: bool = True) -> str:
    """'$285,000 (1 server)', '$10,598 (2 workstations)', '$15,000 (1 GPU)', 'leased' or '-'; without `units`, the
    money alone."""
    if not o.capex_upfront:
        return "leased" if o.acquisition == "lease" else "-"
    if not units:
        return money(o.capex_upfront, currency)
    return f"{money(o.capex_upfront, currency)} ({units_bought(o)})"


def _any_prepaid(result: Result) -> bool:
    return any(o.prepaid_upfront for o in result.options)
