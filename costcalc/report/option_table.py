"""The options as one table: a row per option, its figures under column names with their units (money in the
report's currency: monthly_cost_usd, or monthly_cost_eur). `report -f csv` writes it and Result.options_frame() holds
it, so a notebook's DataFrame and the command line's CSV have the same columns and the same figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from costcalc.bands import ActualRange
    from costcalc.report.result import OptionResult, Result

LINE_LABELS = {  # cost lines in the order the columns and the renderers show them, and their names in words
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


def option_range(option: OptionResult) -> ActualRange | None:
    """The range of actual throughput an estimated option's cost range spans (costcalc/bands.py); None otherwise."""
    t = option.throughput
    return None if t is None or t.basis != "estimated" else t.allowed_range()


TEXT_COLUMNS = ("option", "break_even_versus", "prices", "price_sources")  # text a user may have written (escaped)


def price_refs(option: OptionResult) -> tuple[str, str]:
    """The price rows an option's figures rest on, as two cells: 'rental crusoe/l40s-48gb/on-demand (as of
    2026-09-20)' (', stale' where past its table's limit), '; '-joined, and their sources in the same order."""
    rows = [f"{p.table} {p.id} (as of {p.as_of.isoformat()}{', stale' if p.stale else ''})" for p in option.prices]
    return "; ".join(rows), " | ".join(p.source for p in option.prices)


def option_rows(result: Result) -> list[dict[str, object]]:
    """One dict per option, columns in order: cost, its lines (those any option has), capex and horizon totals,
    sizing, throughput and its actual range with the month-1 cost at either end, the published runs nearest an
    estimated configuration (exact or not, and their summary or their disagreement with the range, with the month-1
    cost at their range), break-even and payback against
    the cheapest API, whether it is the cheapest (and, for seats, whether their usage cap holds them below today's
    volume: report/ranking.py), and the price rows behind its figures with their dates and sources
    (None where a figure does not apply)."""
    from costcalc.report.run_evidence import runs_said

    cur = result.currency.lower()
    lines = [k for k in LINE_LABELS if any(k in o.breakdown for o in result.options)]
    rows: list[dict[str, object]] = []
    for o in result.options:
        be = result.headline_break_even(o.name)
        t = o.throughput
        actual = option_range(o)
        low, high = o.monthly_cost_range or (None, None)
        runs_low, runs_high = o.monthly_cost_at_runs or (None, None)
        prices, price_sources = price_refs(o)
        runs = t.published_runs if t else None
        rows.append(
            {
                "option": o.name,
                "kind": o.kind,
                f"monthly_cost_{cur}": o.monthly_cost,
                f"cost_per_million_tokens_{cur}": o.cost_per_million_tokens,
                f"per_user_monthly_cost_{cur}": o.per_user_monthly_cost,
                **{f"{k}_{cur}_per_month": o.breakdown.get(k) for k in lines},
                f"capex_upfront_{cur}": o.capex_upfront,
                f"prepaid_upfront_{cur}": o.prepaid_upfront,
                f"opex_monthly_{cur}": o.opex_monthly,
                f"horizon_cash_total_{cur}": o.horizon_cash_total,
                f"horizon_accrual_total_{cur}": o.horizon_accrual_total,
                f"terminal_value_{cur}": o.terminal_value,
                f"npv_{cur}": o.npv,
                "replicas": o.replicas,
                "gpus": o.gpus,
                "servers": o.servers,
                "workstations": o.workstations,
                "instances": o.instances,
                "utilisation_share": o.utilisation,
                "throughput_basis": t.basis if t else None,
                "requests_per_s_per_replica": t.requests_per_s_per_replica if t else None,
                "actual_over_estimate_low": actual.low if actual else None,
                "actual_over_estimate_high": actual.high if actual else None,
                "actual_range_source": actual.source if actual else None,
                # the published runs nearest an estimated configuration (analysis/published_runs.py): whether one ran
                # its GPU, engine and model, and in words their summary, or where the runs of the configuration itself
                # disagree with its range, that (report/run_evidence.py)
                "published_runs_exact": runs.exact if runs else None,
                "published_runs": runs_said(runs, actual) if runs else None,
                f"monthly_cost_low_{cur}": low,
                f"monthly_cost_high_{cur}": high,
                f"monthly_cost_low_at_runs_{cur}": runs_low,  # the cost at those runs' range, where they disagree
                f"monthly_cost_high_at_runs_{cur}": runs_high,
                "break_even_tokens_per_month": be.tokens_per_month if be else None,
                "break_even_versus": be.versus if be else None,
                "payback_months": be.payback_months if be else None,
                "payback_months_exact": be.payback_months_exact if be else None,
                "discounted_payback_months": be.discounted_payback_months if be else None,
                "irr_per_year": be.irr_per_year if be else None,
                "cheapest": o.name == result.cheapest,
                # seats their numeric usage cap holds below today's volume: never the cheapest while another may carry it
                "over_usage_cap": not result.carries(o) if o.kind == "subscription" else None,
                "prices": prices or None,
                "price_sources": price_sources or None,
            }
        )
    return rows
