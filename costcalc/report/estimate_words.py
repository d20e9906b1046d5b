"""An option's cost in words where it is not one number: its estimate's band, the published runs, why it never pays."""

from __future__ import annotations

from typing import TYPE_CHECKING

from costcalc.bands import range_long
from costcalc.report.money_words import money, money_apart
from costcalc.report.option_table import option_range

if TYPE_CHECKING:
    from costcalc.report.result import BreakEvenResult, OptionResult


def never_words(be: BreakEvenResult, currency: str) -> str:
    """Why an option never stays cheaper, with both costs per 1M tokens when the Result has them: 'a fully used
    replica costs more per token than the API ($0.15 vs $0.07 per 1M tokens)'."""
    full, versus = be.full_use_cost_per_million_tokens, be.versus_cost_per_million_tokens
    if full is None or versus is None:
        return be.reason
    mine, theirs = money_apart(full, versus, currency)
    return f"{be.reason} ({mine} vs {theirs} per 1M tokens)"


def cost_range(option: OptionResult) -> tuple[float, float]:
    """The option's monthly cost as a (low, high) range: its estimate's band, or the cost itself."""
    return option.monthly_cost_range or (option.monthly_cost, option.monthly_cost)


def band_words(option: OptionResult, currency: str) -> str | None:
    """'Llama on H100s: throughput estimated, actual 0.70x to 1.72x the estimate (vllm server band: 9 in 10 of 53
    held-out benchmarks), so $5,100 to $9,300 a month', or None when not estimated."""
    actual = option_range(option)
    if actual is None or option.monthly_cost_range is None:
        return None
    low, high = option.monthly_cost_range
    said = f"{option.name}: throughput estimated, actual {range_long(actual)}"
    if round(high) > round(low):
        return f"{said}, so {money(low, currency)} to {money(high, currency)} a month"
    return f"{said}, which leaves its cost at {money(low, currency)} a month"


def runs_cost_words(option: OptionResult, currency: str) -> str:
    """', at which it would cost $7,100 to $9,800 a month' (or ', at which its cost holds at $6,732 a month' where it
    reads as the estimate's): the month-1 cost at the range the published runs of the option's own configuration
    measured, where they disagree with its range (monthly_cost_at_runs); '' elsewhere."""
    if option.monthly_cost_at_runs is None:
        return ""
    low, high = (money(c, currency) for c in option.monthly_cost_at_runs)
    if low != high:
        return f", at which it would cost {low} to {high} a month"
    if low == money(option.monthly_cost, currency):
        return f", at which its cost holds at {low} a month"
    return f", at which it would cost {low} a month"


def runs_words(option: OptionResult, currency: str) -> str:
    """' No published run of vllm on l40s-48gb; nearest: ...': where no published run measured an estimated option's
    GPU, engine and model, the summary of the runs nearest it (analysis/published_runs.py) as a sentence after its
    band, the warning an extrapolation deserves; ' But 5 of 5 published runs of ... measured below their held-out
    estimates (...), at which its cost holds at $6,732 a month.' where such runs exist and disagree with the option's
    range (report/run_evidence.py; runs_cost_words); '' where they exist and agree (the details list them, as every
    format's sources do) or it is not estimated."""
    from costcalc.report.run_evidence import beyond_words

    t = option.throughput
    if t is None or t.published_runs is None:
        return ""
    if t.published_runs.exact:
        beyond = beyond_words(t.published_runs, t.allowed_range())
        return f" But {beyond}{runs_cost_words(option, currency)}." if beyond else ""
    summary = t.published_runs.summary
    return f" {summary[:1].upper()}{summary[1:]}."
