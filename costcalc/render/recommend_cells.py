"""Cell text shared by the recommend renderers: a candidate's configuration, offer, basis and gaps in words."""

from __future__ import annotations

from costcalc.analysis.recommend.result import Candidate
from costcalc.bands import range_short
from costcalc.render.numbers import milliseconds, money, money_change
from costcalc.report.money_words import whole_units


def configuration(c: Candidate) -> str:
    """'gpt-oss-20b · 1x rtx-4090-24gb · trtllm mxfp4': in the order of the candidate's option name, which the verdict
    says and --write-scenario writes ('gpt-oss-20b · 1x rtx-4090-24gb · trtllm mxfp4 · <offer>')."""
    return f"{c.model} · {c.gpus_per_replica}x {c.gpu} · {c.engine} {c.precision}"


def offer(c: Candidate) -> str:
    """The offer id and, for rentals, its pricing type: 'runpod/secure-rtx-4090/on-demand'."""
    return c.offer if c.acquisition == "rent" else f"{c.offer} (buy)"


def sizing(c: Candidate, *, instances_below: bool = False) -> str:
    """'1 / 1 / 30%': replicas / GPUs / mean utilisation, then a rental's whole instances or a purchase's whole servers
    or workstations as the Result counts them ('9 / 72 / 47% in 9 instances', '4 / 8 / 12% in 1 server',
    '2 / 2 / 40% in 2 workstations'); `instances_below` puts them on a line of their own."""
    text = f"{c.replicas:,} / {c.gpus:,} / {c.utilisation:.0%}"
    units = whole_units(c)
    if units is None:
        return text
    return f"{text}\nin {units}" if instances_below else f"{text} in {units}"


def basis(c: Candidate, *, short: bool = False) -> str:
    """'estimated ≥0.37x' ('est. ≥0.37x' when short): the basis and the band the estimate carries."""
    actual = c.throughput.allowed_range()
    word = "est." if short and c.throughput.basis == "estimated" else c.throughput.basis
    return f"{word} {range_short(actual)}" if actual else word


def nearest_runs(c: Candidate) -> str:
    """'model+engine: 4': what the published runs nearest the candidate share with it, and how many
    (analysis/published_runs.py); 'exact: 9' where they ran its GPU, engine and model, 'none' where none is near."""
    from costcalc.analysis.published_runs import nearest_cell

    return nearest_cell(c.throughput.published_runs)


def band_range(c: Candidate, currency: str) -> str:
    """'$1,128–$1,625': the month-1 cost anywhere in the estimate's band."""
    if c.monthly_cost_high - c.monthly_cost_low < 0.005:
        return money(c.monthly_cost, currency)
    return f"{money(c.monthly_cost_low, currency)}–{money(c.monthly_cost_high, currency)}"


def gap(c: Candidate, value: float | None, currency: str) -> str:
    """'+$685' / '-$120' / '-': a candidate's monthly cost less the API's (or seats') as the two amounts read
    ($917 against $232, not the exact $684.16)."""
    if value is None:
        return "-"
    return money_change(c.monthly_cost - value, c.monthly_cost, currency)


def latency(ms: float | None) -> str:
    """'645 ms', '2,870 ms', '85.3 ms' (words.milliseconds) or '-'."""
    return "-" if ms is None else milliseconds(ms)
