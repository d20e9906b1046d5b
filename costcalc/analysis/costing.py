"""Costing: run the engine over a resolved scenario and assemble the Result (costs, break-even, timeline)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import numpy as np

from costcalc.analysis.warnings import warning_lines
from costcalc.engine.api import api_monthly
from costcalc.engine.breakeven import break_even_volume, payback_month
from costcalc.engine.self_hosted import SIZING, self_hosted_monthly, total
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
from costcalc.report.verdict import verdict_lines
from costcalc.resolve.scenario import ResolvedOption, ResolvedScenario
from costcalc.units import SECONDS_PER_MONTH, TOKENS_PER_MTOK

LOW_UTILISATION = 0.10


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
    tpr = shape.tokens_per_request
    months = np.arange(sc.horizon_months)
    volumes = v0 * (1.0 + wl.growth_per_month) ** months
    limit = sc.stale_after_days

    options: list[OptionResult] = []
    monthly: dict[str, np.ndarray] = {}
    cash: dict[str, np.ndarray] = {}
    for opt in resolved.options:
        result, per_month, cash_per_month = _price_option(opt, resolved, volumes, today, limit)
        options.append(_convert(result, per_usd))
        monthly[opt.name] = per_month * per_usd
        cash[opt.name] = cash_per_month * per_usd

    break_even = _break_even(resolved, options, monthly, cash, per_usd)
    cheapest = min(options, key=lambda o: o.monthly_cost).name
    workload = Workload(
        requests_per_month=v0,
        input_tokens_per_month=v0 * shape.input_tokens,
        output_tokens_per_month=v0 * shape.output_tokens,
        tokens_per_month=v0 * tpr,
        users=wl.users,
        growth_per_month=wl.growth_per_month,
        peak_to_average=shape.peak_factor,
    )
    timeline = Timeline(
        months=tuple(int(m) + 1 for m in months),
        requests=tuple(float(v) for v in volumes),
        monthly_cost={k: tuple(float(x) for x in v) for k, v in monthly.items()},
        cumulative_cost={k: tuple(float(x) for x in np.cumsum(v)) for k, v in monthly.items()},
        cumulative_cash={k: tuple(float(x) for x in np.cumsum(v)) for k, v in cash.items()},
    )
    draft = Result(
        scenario=sc.name,
        currency=currency,
        horizon_months=sc.horizon_months,
        workload=workload,
        options=tuple(options),
        cheapest=cheapest,
        break_even=tuple(break_even),
        timeline=timeline,
        verdict=(),
        stale_after_days=limit,
        missing_prices=tuple(m for opt in resolved.options for m in opt.missing_prices),
    )
    warnings = warning_lines(draft, resolved, low_utilisation=LOW_UTILISATION)
    return Result(
        **{
            **draft.__dict__,
            "verdict": tuple(verdict_lines(draft)),
            "warnings": tuple(warnings),
            "assumptions": tuple(([fx_note] if fx_note else []) + _assumptions(draft, resolved)),
        }
    )


def _convert(option: OptionResult, per_usd: float) -> OptionResult:
    """The option's money in the report currency."""
    if per_usd == 1.0:
        return option
    return replace(
        option,
        monthly_cost=option.monthly_cost * per_usd,
        cost_per_million_tokens=option.cost_per_million_tokens * per_usd,
        breakdown={k: v * per_usd for k, v in option.breakdown.items()},
        per_user_monthly_cost=None if option.per_user_monthly_cost is None else option.per_user_monthly_cost * per_usd,
    )


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


def _citation(row: Any) -> str:
    """A row's source, with the upstream entry it was built from and the page that entry cites."""
    parts = [row.source]
    entry, page = getattr(row, "upstream_entry", None), getattr(row, "reference_url", None)
    if entry:
        parts.append(entry)
    if page:
        parts.append(f"citing {page}")
    return "; ".join(parts)


def _money(name: str, kind: str, cost: float, tokens_mtok: float, users: int | None) -> dict[str, Any]:
    """The fields every option result shares: monthly cost, per 1M tokens, per user."""
    return {
        "name": name,
        "kind": kind,
        "monthly_cost": cost,
        "cost_per_million_tokens": cost / tokens_mtok,
        "per_user_monthly_cost": cost / users if users else None,
    }


def _price_option(
    opt: ResolvedOption, resolved: ResolvedScenario, volumes: np.ndarray, today: dt.date, limit: int
) -> tuple[OptionResult, np.ndarray, np.ndarray]:
    """(result at month 1, monthly cost over the horizon, monthly cash over the horizon)."""
    shape, wl = resolved.shape, resolved.workload
    v0 = volumes[:1]
    tokens_mtok = float(v0[0]) * shape.tokens_per_request / TOKENS_PER_MTOK
    users = wl.users
    refs = _refs(opt.prices, today, limit)
    if opt.api is not None:
        lines = api_monthly(opt.api, shape, volumes)
        per_month = sum(lines.values())
        breakdown = {k: float(v[0]) for k, v in lines.items()}
        cost = float(per_month[0])
        res = OptionResult(**_money(opt.name, "api", cost, tokens_mtok, users), breakdown=breakdown, prices=refs)
        return res, per_month, per_month
    if opt.seat_usd_per_month is not None:
        assert opt.seats is not None
        cost = opt.seat_usd_per_month * opt.seats
        per_month = np.full(volumes.shape, cost)
        money = _money(opt.name, "subscription", cost, tokens_mtok, users)
        if not users:
            money["per_user_monthly_cost"] = opt.seat_usd_per_month
        res = OptionResult(**money, breakdown={"seats": cost}, seats=opt.seats, prices=refs)
        return res, per_month, per_month
    sh = opt.self_hosted
    assert sh is not None
    plan = sh.plan
    needed = plan.replicas_for(volumes / SECONDS_PER_MONTH * shape.peak_factor)
    owned = np.maximum.accumulate(needed) if plan.acquisition == "buy" else None
    lines = self_hosted_monthly(
        plan, volumes, peak_factor=shape.peak_factor, hourly_factors=shape.hourly_factors, owned_replicas=owned
    )
    per_month = total(lines)
    if plan.acquisition == "buy":
        assert owned is not None
        bought = np.diff(np.concatenate([[0.0], owned])) * plan.price_usd_per_replica
        capital = lines["depreciation"] + lines["cost_of_capital"]
        cash_month = per_month - capital + bought
    else:
        cash_month = per_month
    # month 1 at the current volume, without replicas bought for later growth
    now = self_hosted_monthly(plan, v0, peak_factor=shape.peak_factor, hourly_factors=shape.hourly_factors)
    cost = float(total(now)[0])
    breakdown = {k: float(v[0]) for k, v in now.items() if k not in SIZING}
    t = sh.throughput
    res = OptionResult(
        **_money(opt.name, "self_hosted", cost, tokens_mtok, users),
        breakdown=breakdown,
        replicas=int(now["replicas"][0]),
        gpus=int(now["replicas"][0]) * plan.gpus_per_replica,
        utilisation=float(now["utilisation"][0]),
        gpu=sh.gpu.id,
        model=sh.model.id,
        acquisition=plan.acquisition,
        throughput=ThroughputInfo(
            basis=t.kind,
            detail=t.detail,
            requests_per_s_per_replica=t.requests_per_s,
            output_tokens_per_s_per_replica=t.output_tokens_per_s,
            concurrency=t.concurrency,
            ttft_p95_ms=t.ttft_p95_ms,
            tpot_ms=t.tpot_ms,
            meets_slo=t.meets_slo,
            error_band=t.error_band,
        ),
        prices=refs,
    )
    return res, per_month, cash_month


def _break_even(
    resolved: ResolvedScenario,
    options: list[OptionResult],
    monthly: dict[str, np.ndarray],
    cash: dict[str, np.ndarray],
    per_usd: float,
) -> list[BreakEvenResult]:
    shape = resolved.shape
    tpr = shape.tokens_per_request
    v0 = resolved.workload.requests_per_month
    current = v0 * tpr
    apis = [(o, r) for o, r in zip(resolved.options, options) if o.api is not None]
    out: list[BreakEvenResult] = []
    for opt, res in zip(resolved.options, options):
        if opt.self_hosted is not None:
            plan = opt.self_hosted.plan
            for api_opt, api_res in apis:
                a = api_res.monthly_cost / per_usd / v0  # USD per request, like the plan's prices
                be = break_even_volume(plan, a, peak_factor=shape.peak_factor, hourly_factors=shape.hourly_factors)
                payback = None
                if plan.acquisition == "buy":
                    payback = payback_month(np.cumsum(cash[opt.name]), np.cumsum(cash[api_opt.name]))
                volume = be.requests_per_month
                reason = be.reason
                if volume is None:
                    per_mtok = TOKENS_PER_MTOK / tpr
                    full_use, api = be.full_use_usd_per_request * per_mtok, a * per_mtok
                    reason += f" (USD {full_use:,.3f} vs USD {api:,.3f} per 1M tokens)"
                out.append(
                    BreakEvenResult(
                        option=opt.name,
                        versus=api_opt.name,
                        tokens_per_month=volume * tpr if volume is not None else None,
                        requests_per_month=volume,
                        payback_months=payback,
                        reason=reason,
                        current_tokens_per_month=current,
                    )
                )
        elif opt.seat_usd_per_month is not None:
            for api_opt, api_res in apis:
                a = api_res.monthly_cost / v0
                volume = res.monthly_cost / a if a > 0 else None
                out.append(
                    BreakEvenResult(
                        option=opt.name,
                        versus=api_opt.name,
                        tokens_per_month=volume * tpr if volume is not None else None,
                        requests_per_month=volume,
                        payback_months=None,
                        reason="seats cost the same at any volume; above this volume they are cheaper than the API"
                        if volume is not None
                        else "the API is free at this volume",
                        current_tokens_per_month=current,
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
    return lines
