"""Costing: run the engine's one dispatch over a resolved scenario and assemble the Result (costs, break-even, timeline)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import numpy as np

from costcalc.analysis.warnings import warning_lines
from costcalc.engine.arrays import FloatArray
from costcalc.engine.breakeven import payback_month
from costcalc.engine.options import (
    NEVER,
    REASONS,
    ApiCost,
    Bill,
    SelfHostedCost,
    break_even,
    monthly_bill,
    monthly_cash,
    path_bill,
)
from costcalc.pricing.book import Priced
from costcalc.pricing.schema import TABLES
from costcalc.report.result import (
    BreakEvenResult,
    OptionResult,
    PriceRef,
    Result,
    ThroughputInfo,
    Timeline,
    Workload,
)
from costcalc.report.verdict import find_takeover, find_tie, headline_lines, verdict_lines
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.scenario import ResolvedOption, ResolvedScenario, ResolvedSeats
from costcalc.units import TOKENS_PER_MTOK

LOW_UTILISATION = 0.10
UNBOUNDED_CAPACITY = 1e9  # "no limit" for a band of 100% or more: the minimum replicas then carry any load


def analyze(
    resolved: ResolvedScenario,
    *,
    today: dt.date | None = None,
    currency: str = "USD",
    per_usd: float = 1.0,
    fx_note: str | None = None,
) -> Result:
    """Price every option at the workload's volume and over the horizon; find break-even and payback.

    Money is computed in USD and reported in `currency` at `per_usd` units per dollar (every cost is
    linear in prices, so converting the outputs equals converting every price).
    """
    today = today or dt.date.today()
    sc, wl, shape = resolved.scenario, resolved.workload, resolved.shape
    v0 = wl.requests_per_month
    months = np.arange(sc.horizon_months)
    volumes = v0 * (1.0 + wl.growth_per_month) ** months
    limit = sc.stale_after_days

    options: list[OptionResult] = []
    monthly: dict[str, FloatArray] = {}
    cash: dict[str, FloatArray] = {}
    for opt in resolved.options:
        path = path_bill(opt.cost, shape, volumes)
        now = monthly_bill(opt.cost, shape, volumes[:1])  # month 1, without replicas bought for later growth
        option = _option_result(opt, resolved, now, per_usd, _refs(opt.prices, today, limit))
        if isinstance(opt, ResolvedSelfHosted):
            option = option.model_copy(update={"monthly_cost_range": _estimate_band(opt, shape, volumes[:1], per_usd)})
        options.append(option)
        monthly[opt.name] = path.total * per_usd
        cash[opt.name] = monthly_cash(opt.cost, path) * per_usd

    tpr = shape.tokens_per_request
    draft = Result(
        scenario=sc.name,
        currency=currency,
        pricing_as_of=min((p.as_of for o in options for p in o.prices if p.origin != "scenario"), default=None),
        horizon_months=sc.horizon_months,
        workload=Workload(
            requests_per_month=v0,
            input_tokens_per_month=v0 * shape.input_tokens,
            output_tokens_per_month=v0 * shape.output_tokens,
            tokens_per_month=v0 * tpr,
            users=wl.users,
            growth_per_month=wl.growth_per_month,
            peak_to_average=shape.peak_factor,
        ),
        options=tuple(options),
        cheapest=min(options, key=lambda o: o.monthly_cost).name,
        break_even=tuple(_break_even(resolved, {o.name: o.monthly_cost / per_usd for o in options}, cash)),
        stale_after_days=limit,
        missing_prices=tuple(m for opt in resolved.options for m in opt.missing_prices),
        timeline=Timeline(
            months=tuple(int(m) + 1 for m in months),
            requests=tuple(float(v) for v in volumes),
            monthly_cost={k: tuple(float(x) for x in v) for k, v in monthly.items()},
            cumulative_cost={k: tuple(float(x) for x in np.cumsum(v)) for k, v in monthly.items()},
            cumulative_cash={k: tuple(float(x) for x in np.cumsum(v)) for k, v in cash.items()},
        ),
    )
    tie, takeover = find_tie(draft), find_takeover(draft)
    return draft.model_copy(
        update={
            "headline": headline_lines(draft, tie, takeover),
            "tie": tie,
            "takeover": takeover,
            "verdict": tuple(verdict_lines(draft)),
            "warnings": tuple(warning_lines(draft, resolved, low_utilisation=LOW_UTILISATION)),
            "assumptions": tuple(([fx_note] if fx_note else []) + _assumptions(draft, resolved)),
        }
    )


def _citation(row: Any) -> str:
    """A row's source, with the upstream entry it was built from and the page that entry cites."""
    parts = [row.source]
    entry, page = getattr(row, "upstream_entry", None), getattr(row, "reference_url", None)
    if entry:
        parts.append(entry)
    if page:
        parts.append(f"citing {page}")
    return "; ".join(parts)


def _refs(prices: tuple[Priced, ...], today: dt.date, limit: int) -> tuple[PriceRef, ...]:
    refs = []
    for p in prices:
        table = next(name for name, model in TABLES.items() if isinstance(p.row, model))
        refs.append(
            PriceRef(
                table=table,
                id=p.row.id,
                origin=p.origin,
                source=_citation(p.row),
                as_of=p.row.as_of,
                stale=(today - p.row.as_of).days > limit,
            )
        )
    return tuple(refs)


def _option_result(
    opt: ResolvedOption, resolved: ResolvedScenario, now: Bill, per_usd: float, refs: tuple[PriceRef, ...]
) -> OptionResult:
    """One option at month 1, money in the report currency: the bill's lines, and the kind's own facts."""
    cost = float(now.total[0]) * per_usd
    tokens_mtok = resolved.workload.requests_per_month * resolved.shape.tokens_per_request / TOKENS_PER_MTOK
    users = resolved.workload.users
    common = {
        "name": opt.name,
        "kind": opt.kind,
        "monthly_cost": cost,
        "cost_per_million_tokens": cost / tokens_mtok,
        "per_user_monthly_cost": cost / users if users else None,
        "breakdown": {k: float(v[0]) * per_usd for k, v in now.lines.items()},
        "prices": refs,
    }
    if isinstance(opt, ResolvedSeats):
        seats = int(opt.cost.seats)
        if not users:
            common["per_user_monthly_cost"] = float(opt.cost.usd_per_seat_month) * per_usd
        return OptionResult(**common, seats=seats)
    if isinstance(opt, ResolvedSelfHosted):
        assert now.sizing is not None
        replicas = int(now.sizing.replicas[0])
        t = opt.throughput
        return OptionResult(
            **common,
            replicas=replicas,
            gpus=replicas * opt.plan.gpus_per_replica,
            utilisation=float(now.sizing.utilisation[0]),
            gpu=opt.gpu.id,
            model=opt.model.id,
            acquisition=opt.plan.acquisition,
            throughput=ThroughputInfo(
                basis=t.kind,
                detail=t.detail,
                requests_per_s_per_replica=t.requests_per_s,
                output_tokens_per_s_per_replica=t.output_tokens_per_s,
                concurrency=t.concurrency,
                ttft_p95_ms=t.ttft_p95_ms,
                tpot_p95_ms=t.tpot_p95_ms,
                meets_slo=t.meets_slo,
                error_band=t.error_band,
            ),
        )
    return OptionResult(**common)


def _estimate_band(
    opt: ResolvedSelfHosted, shape: Any, volume: FloatArray, per_usd: float
) -> tuple[float, float] | None:
    """Month-1 cost if the estimated capacity is off by its error band b (p90 relative error): capacity between
    estimate/(1+b) and estimate/(1-b), unbounded above when b >= 1 (then the minimum replicas carry the load)."""
    band = opt.throughput.error_band
    if opt.throughput.kind != "estimated" or not band:
        return None
    capacity = opt.plan.capacity_requests_per_s
    most = capacity / (1 - band) if band < 1 else capacity * UNBOUNDED_CAPACITY
    costs = [
        float(monthly_bill(SelfHostedCost(replace(opt.plan, capacity_requests_per_s=c)), shape, volume).total[0])
        * per_usd
        for c in (most, capacity / (1 + band))
    ]
    return costs[0], costs[1]


def _break_even(
    resolved: ResolvedScenario, monthly_usd: dict[str, float], cash: dict[str, FloatArray]
) -> list[BreakEvenResult]:
    """Every non-API option against every API option: the volume from which it stays cheaper, and payback."""
    shape = resolved.shape
    tpr = shape.tokens_per_request
    apis = [o for o in resolved.options if isinstance(o.cost, ApiCost)]
    out: list[BreakEvenResult] = []
    for opt in resolved.options:
        for api in apis:
            a = monthly_usd[api.name] / resolved.workload.requests_per_month  # USD per request, as billed today
            found = break_even(opt.cost, shape, a)
            if found is None:
                continue
            volume = float(found.requests_per_month)
            case = int(found.case)
            reason = REASONS[case]
            if case == NEVER:
                per_mtok = TOKENS_PER_MTOK / tpr
                full_use = float(found.full_use_usd_per_request) * per_mtok
                reason += f" (USD {full_use:,.3f} vs USD {a * per_mtok:,.3f} per 1M tokens)"
            payback = None
            if isinstance(opt, ResolvedSelfHosted) and opt.plan.acquisition == "buy":
                payback = payback_month(np.cumsum(cash[opt.name]), np.cumsum(cash[api.name]))
            never = bool(np.isnan(volume))
            out.append(
                BreakEvenResult(
                    option=opt.name,
                    versus=api.name,
                    tokens_per_month=None if never else volume * tpr,
                    requests_per_month=None if never else volume,
                    payback_months=payback,
                    reason=reason,
                )
            )
    return out


def _assumptions(result: Result, resolved: ResolvedScenario) -> list[str]:
    lines = [
        "A month is 730 hours; prices are USD per 1M tokens; self-hosted replicas are sized for the peak "
        f"(peak/mean {result.workload.peak_to_average:.2f}).",
    ]
    uncertain = resolved.scenario._uncertain
    if uncertain:
        names = ", ".join(u.path for u in uncertain)
        lines.append(
            f"{len(uncertain)} uncertain input(s) at their point values ({names}); `costcalc simulate` samples them."
        )
    seen: set[tuple[str, str]] = set()
    for o in result.options:
        for p in o.prices:
            if (p.table, p.id) in seen:
                continue
            seen.add((p.table, p.id))
            flag = " (your override)" if p.origin.startswith("override") else ""
            lines.append(f"{p.table} {p.id}: as of {p.as_of.isoformat()}, {p.source}{flag}")
        if o.throughput is not None:
            lines.append(f"{o.name}: throughput {o.throughput.detail}")
    lines.extend(note for opt in resolved.options for note in getattr(opt, "notes", ()))
    return lines
