"""The report's assumptions: every convention, price, spec and term the figures rest on, as lines a reader can check."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from costcalc.analysis.full_use import full_use_lines
from costcalc.analysis.published_runs import RUNS_NOTE, level_lines
from costcalc.analysis.request_line import request_line
from costcalc.analysis.unit_prices import unit_price_line
from costcalc.catalog.ages import SHORT as SPEC_AGE
from costcalc.engine.arrays import floats
from costcalc.engine.options import SelfHostedCost, monthly_bill
from costcalc.pricing.freshness import kept_reason, stale_limit_days
from costcalc.report.money_words import money
from costcalc.report.result import PriceRef, Result
from costcalc.resolve.custom_gpu import custom_words
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.scenario import ResolvedScenario
from costcalc.words import counted


def _kept(price: PriceRef, resolved: ResolvedScenario) -> str:
    """'; older than 120 days, kept: <why>' for a stale shipped row the tables' record lets lag (with its reason),
    '; older than 60 days: stale' for any other stale row, else ''. The stale warning names the rows; this marks the
    line that cites each, where the report uses it."""
    if not price.stale:
        return ""
    days = stale_limit_days(price.table, resolved.scenario.stale_after_days)
    reason = kept_reason(price)
    return f"; older than {days} days, kept: {reason}" if reason is not None else f"; older than {days} days: stale"


def assumption_lines(result: Result, resolved: ResolvedScenario, per_usd: float, today: dt.date) -> list[str]:
    """The report's assumptions: the counting conventions, the workload's request line, uncertain inputs, each price
    row and spec behind a figure with its date and source (stale rows marked), throughput and published runs, then
    how money over time was counted and what full use costs. `today`: the day the report is for (a row dated later is
    a scheduled price, dated by its start)."""
    lines = [
        "A month is 730 hours; prices are USD per 1M tokens; self-hosted replicas are sized for the peak "
        f"(peak/mean {result.workload.peak_to_average:.2f}, {_peak_source(resolved)}).",
        request_line(resolved.workload),
    ]
    uncertain = resolved.scenario._uncertain
    if uncertain:
        names = ", ".join(u.path for u in uncertain)
        lines.append(
            f"{counted(len(uncertain), 'uncertain input')} at {'its point value' if len(uncertain) == 1 else 'their point values'}"
            f" ({names}); `costcalc simulate` samples {'it' if len(uncertain) == 1 else 'them'}."
        )
    seen: set[tuple[str, str]] = set()
    for o in result.options:
        for p in o.prices:
            if (p.table, p.id) in seen:
                continue
            seen.add((p.table, p.id))
            flag = " (your override)" if p.origin.startswith("override") else ""
            lines.append(f"{p.table} {p.id}: {_dated(p, today)}, {p.source}{flag}{_kept(p, resolved)}")
        if o.throughput is not None:
            opt = resolved.option(o.name)
            for spec in (_gpu_line(opt), _model_line(opt) if o.throughput.basis == "estimated" else None):
                if spec is not None and spec not in lines:
                    lines.append(spec)
            lines.append(f"{o.name}: throughput {o.throughput.detail}")
            if o.throughput.published_runs is not None:
                lines += [f"{o.name}: published runs, {line}" for line in level_lines(o.throughput.published_runs)]
    if any(o.throughput is not None and o.throughput.published_runs is not None for o in result.options):
        lines.append(RUNS_NOTE)
    return lines + _finance_assumptions(result, resolved, per_usd) + full_use_lines(result, resolved)


def _dated(price: PriceRef, today: dt.date) -> str:
    """'as of 2026-11-19', or for a scheduled price the report applies later in its horizon 'scheduled from
    2027-01-01 (dated by its start)': such a row's as_of is its start date (pricing/README.md), which read as a source
    checked on a day after the report's own."""
    if price.as_of > today:
        return f"scheduled from {price.as_of.isoformat()} (dated by its start)"
    return f"as of {price.as_of.isoformat()}"


def _peak_source(resolved: ResolvedScenario) -> str:
    """Where the peak/mean that sizes every self-hosted option comes from: 'as given', the hourly profile's busiest
    hour over its mean hour, or the default of 1 (no peak stated): a derived 2.14 read like a given one before."""
    workload = resolved.workload
    if workload.hourly_profile is not None:
        return "the hourly profile's busiest hour over its mean hour"
    if workload.peak_to_average is not None:
        return "as given"
    return "the default: no peak_to_average or hourly_profile given"


def _gpu_line(opt: object) -> str | None:
    """'gpu h100-sxm-80gb (GPU catalog: ...): as of 2026-11-26, <source>': where the specs behind a self-hosted
    option's throughput estimate and power come from; a custom_gpu is the scenario's own."""
    if not isinstance(opt, ResolvedSelfHosted):
        return None
    gpu = opt.gpu
    custom = custom_words(gpu)
    if custom is not None:
        return f"gpu {gpu.id}: {custom}"
    return (
        f"gpu {gpu.id} (the GPU catalog's memory, bandwidth, TFLOPS and power): as of {gpu.as_of.isoformat()}"
        f" ({SPEC_AGE}), {gpu.source}"
    )


def _model_line(opt: object) -> str | None:
    """'model gpt-oss-20b (the model catalog's ...): as of 2025-08-05, <config.json>': where the architecture behind
    a self-hosted option's throughput estimate (parameters, layers, attention and experts) comes from."""
    if not isinstance(opt, ResolvedSelfHosted):
        return None
    model = opt.model
    return (
        f"model {model.id} (the model catalog's parameters, layers, attention and experts): as of"
        f" {model.as_of.isoformat()} ({SPEC_AGE}), {model.source}"
    )


def _finance_assumptions(result: Result, resolved: ResolvedScenario, per_usd: float) -> list[str]:
    """How money over time was counted: the discount rate, cash versus accrual, and each option's terms."""
    rate = result.discount_rate_per_year
    given = "discount_rate_per_year" in resolved.scenario.model_fields_set
    lines = [
        f"Discount rate {rate:.1%} a year ({'as given' if given else 'the default; set discount_rate_per_year'}):"
        + (
            " NPV is undiscounted cash less terminal value."
            if rate == 0
            else " NPV, discounted payback and IRR use it."
        )
        + " Cash pays hardware when bought and prepayments when due; accrual spreads them over the months used."
        " Payback is on cash, never past the hardware's life.",
    ]
    one_offs = [o.name for o in resolved.options if o.cost.terms.one_offs]
    if one_offs:
        lines.append(
            f"One-off costs ({', '.join(one_offs)}) are in the timeline, horizon totals, NPV and payback,"
            " not in the monthly cost."
        )

    def in_money(usd: float, decimals: int | None = None) -> str:
        return money(usd * per_usd, result.currency, decimals=decimals)

    for opt in resolved.options:
        lines.append(unit_price_line(opt, result.option(opt.name), resolved.workload, per_usd, result.currency))
        if isinstance(opt, ResolvedSelfHosted):
            lines.extend(
                line.text(in_money) for line in (opt.site_line, opt.power_line, opt.labour_line) if line is not None
            )
        lines.extend(opt.notes)
        if isinstance(opt, ResolvedSelfHosted) and _packed(opt):
            lines.append(_instances_line(opt, resolved))
    for o in result.options:
        later = _later_purchases(result, o.name)
        if later:
            lines.append(
                f"{o.name}: hardware bought after month 1 (growth or replacement, less any resale): {later};"
                " in the cash total, not in the capex column."
            )
        if o.terminal_value > 0:
            what = "hardware at book value" if o.acquisition in ("buy", "lease") else "prepaid months not yet used"
            lines.append(
                f"{o.name}: terminal value {money(o.terminal_value, result.currency)} at the end of month"
                f" {result.horizon_months} ({what}), in NPV and IRR but not in the horizon's cash total."
            )
    return lines


def _later_purchases(result: Result, option: str, most: int = 6) -> str:
    """'$285,000 in month 22': the hardware cash an option spends after month 1 (the capex column's month), month by
    month from the Result's timeline; '' when it spends none."""
    timeline = result.timeline
    if timeline is None:
        return ""
    spent = [(month, usd) for month, usd in zip(timeline.months, timeline.capex.get(option, ())) if usd and month > 1]
    words = [f"{money(usd, result.currency)} in month {month}" for month, usd in spent[:most]]
    if len(spent) > most:
        words.append(
            f"{money(sum(usd for _, usd in spent[most:]), result.currency)} in {len(spent) - most} later months"
        )
    return ", ".join(words)


def _packed(opt: ResolvedSelfHosted) -> bool:
    """A rental of whole instances that its replicas do not fill by themselves: packed several to an instance, or
    one replica spanning instances with GPUs to spare."""
    plan = opt.plan
    return opt.gpus_per_instance is not None and bool(plan.replica_block > 1 or plan.spare_gpus_per_replica > 0)


def _instances_line(opt: ResolvedSelfHosted, resolved: ResolvedScenario) -> str:
    """Month 1 of a rental billed by whole instances: the instances at the busiest hour, the replicas the load needs
    there, the GPUs left idle, and the instance-hours of the month (the engine's sizing, as billed)."""
    assert opt.gpus_per_instance is not None
    plan, shape = opt.plan, resolved.shape
    volume = floats([resolved.workload.requests_per_month])
    billed = monthly_bill(opt.cost, shape, volume).sizing
    alone = replace(plan, replica_block=1, spare_gpus_per_replica=0.0)  # each replica's own GPUs: what the load needs
    needed = monthly_bill(SelfHostedCost(alone), shape, volume).sizing
    assert billed is not None and needed is not None
    instances = float(billed.units[0])  # the Result's `instances`: the engine's one count
    instance_hours = float(billed.replica_hours[0]) * opt.cost.life.units_per_replica
    replicas, used = float(needed.replicas[0]), float(needed.replicas[0]) * plan.gpus_per_replica
    idle = instances * opt.gpus_per_instance - used
    when = "at the busiest hour" if plan.scaling == "follow_profile" else "every hour"
    return (
        f"{opt.name}: month 1 bills {instances:,.0f} instance{'' if instances == 1 else 's'}"
        f" ({instances * opt.gpus_per_instance:,.0f} GPUs) {when} for the {replicas:,.0f} replica"
        f"{'' if replicas == 1 else 's'} of {plan.gpus_per_replica:g} GPU{'' if plan.gpus_per_replica == 1 else 's'}"
        f" the load needs there: {idle:,.0f} GPU{'' if idle == 1 else 's'} idle;"
        f" {f'{instance_hours:,.1f}'.removesuffix('.0')} instance-hours in the month"  # 182.5 is not 182
    )


__all__ = ["assumption_lines"]
