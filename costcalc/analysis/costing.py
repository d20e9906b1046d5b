"""Costing: run the engine's one dispatch over a resolved scenario and assemble the Result (costs, break-even, timeline)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import numpy as np

from costcalc.analysis.assumptions import assumption_lines
from costcalc.analysis.fiscal import fiscal_years
from costcalc.analysis.payback import PaybackFacts, payback_facts
from costcalc.analysis.published_runs import option_runs
from costcalc.analysis.spec_refs import spec_refs
from costcalc.analysis.warnings import warning_lines
from costcalc.engine.arrays import FloatArray, floats
from costcalc.engine.breakeven import NEVER
from costcalc.engine.finance import present_value
from costcalc.engine.flows import Flows
from costcalc.engine.options import (
    REASONS,
    SEATS_CAPPED,
    ApiCost,
    Bill,
    SelfHostedCost,
    break_even,
    flows,
    monthly_bill,
)
from costcalc.engine.shape import RequestShape
from costcalc.pricing.book import Priced
from costcalc.pricing.freshness import DEFAULT_MAX_AGE_DAYS, stale_limit_days
from costcalc.pricing.schema import TABLES, PriceRow
from costcalc.report.headline import headline_lines
from costcalc.report.ranking import ranked
from costcalc.report.result import (
    BreakEvenResult,
    OptionResult,
    PriceRef,
    Result,
    ThroughputInfo,
    Timeline,
    Workload,
)
from costcalc.report.run_evidence import beyond_range
from costcalc.report.takeover import find_takeover
from costcalc.report.tie import find_tie
from costcalc.report.verdict import verdict_lines
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.scenario import ResolvedOption, ResolvedScenario, ResolvedSeats
from costcalc.units import TOKENS_PER_MTOK

LOW_UTILISATION = 0.10


def analyze(
    resolved: ResolvedScenario,
    *,
    today: dt.date | None = None,
    currency: str = "USD",
    per_usd: float = 1.0,
    fx_note: str | None = None,
    layout_check: bool = True,
) -> Result:
    """Price every option at the workload's volume and over the horizon; find break-even and payback.

    Money is computed in USD and reported in `currency` at `per_usd` units per dollar (every cost is
    linear in prices, so converting the outputs equals converting every price). `layout_check`: warn where a
    replica of half an option's GPUs serves more within the SLO (recommend, which searches GPU counts itself, skips
    it).
    """
    today = today or dt.date.today()
    sc, wl, shape = resolved.scenario, resolved.workload, resolved.shape
    v0 = wl.requests_per_month
    months = np.arange(sc.horizon_months)
    volumes = floats(v0 * (1.0 + wl.growth_per_month) ** months)

    rate = sc.discount_rate_per_year
    options: list[OptionResult] = []
    by_name: dict[str, Flows] = {}
    for opt in resolved.options:
        found = flows(opt.cost, shape, volumes)
        by_name[opt.name] = found
        now = monthly_bill(opt.cost, shape, volumes[:1])  # month 1, without replicas bought for later growth
        option = _option_result(opt, resolved, now, per_usd, priced_refs(opt.prices, today, sc.stale_after_days))
        if isinstance(opt, ResolvedSelfHosted):
            banded = {
                "monthly_cost_range": _estimate_band(opt, shape, volumes[:1], per_usd),
                "monthly_cost_at_runs": _runs_band(opt, option, shape, volumes[:1], per_usd),
            }
            option = option.model_copy(update=banded)
        options.append(option.model_copy(update=_horizon_money(now, found, rate, per_usd)))
    monthly = {k: f.accrual * per_usd for k, f in by_name.items()}
    cash = {k: f.cash * per_usd for k, f in by_name.items()}
    capex = {k: f.capex * per_usd for k, f in by_name.items()}
    opex = {k: f.opex * per_usd for k, f in by_name.items()}

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
        cheapest=ranked(options, v0)[0].name,  # seats over their cap only where nothing else serves v0
        break_even=tuple(_break_even(resolved, {o.name: o.monthly_cost / per_usd for o in options}, by_name, per_usd)),
        stale_after_days=sc.stale_after_days or DEFAULT_MAX_AGE_DAYS,
        missing_prices=tuple(m for opt in resolved.options for m in opt.missing_prices),
        discount_rate_per_year=rate,
        start_month=f"{today.year:04d}-{today.month:02d}",
        fiscal_year_start_month=sc.fiscal_year_start_month,
        fiscal_years=fiscal_years(today, sc.fiscal_year_start_month, capex, opex, monthly),
        timeline=Timeline(
            months=tuple(int(m) + 1 for m in months),
            requests=tuple(float(v) for v in volumes),
            monthly_cost=_series(monthly),
            cumulative_cost={k: tuple(float(x) for x in np.cumsum(v)) for k, v in monthly.items()},
            cumulative_cash={k: tuple(float(x) for x in np.cumsum(v)) for k, v in cash.items()},
            monthly_cash=_series(cash),
            capex=_series(capex),
            opex=_series(opex),
        ),
    )
    tie, takeover = find_tie(draft), find_takeover(draft)
    return draft.model_copy(
        update={
            "headline": headline_lines(draft, tie, takeover),
            "tie": tie,
            "takeover": takeover,
            "verdict": tuple(verdict_lines(draft)),
            "warnings": tuple(
                warning_lines(draft, resolved, low_utilisation=LOW_UTILISATION, today=today, layout_check=layout_check)
            ),
            "assumptions": tuple(([fx_note] if fx_note else []) + assumption_lines(draft, resolved, per_usd, today)),
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


def _series(values: dict[str, FloatArray]) -> dict[str, tuple[float, ...]]:
    return {k: tuple(float(x) for x in v) for k, v in values.items()}


def _horizon_money(now: Bill, found: Flows, rate: float, per_usd: float) -> dict[str, float]:
    """An option's up-front cash, month-1 opex and horizon totals, in the report currency."""
    capital = sum(float(now.lines[k][0]) for k in now.capital)
    terminal = float(found.terminal_value)
    return {
        "capex_upfront": float(found.capex[0]) * per_usd,
        "prepaid_upfront": float(found.prepaid[0]) * per_usd,
        "opex_monthly": (float(now.total[0]) - capital) * per_usd,
        "horizon_cash_total": float(found.cash.sum()) * per_usd,
        "horizon_accrual_total": float(found.accrual.sum()) * per_usd,
        "terminal_value": terminal * per_usd,
        "npv": present_value(found.upfront, found.running, terminal, rate) * per_usd,
    }


def priced_refs(prices: tuple[Priced[PriceRow], ...], today: dt.date, limit: int | None) -> tuple[PriceRef, ...]:
    """The rows an option is priced at, each with its table, source, date and whether it is past its age limit on
    `today` (`limit`: the scenario's stale_after_days); report's and sweep's stale-price line read these."""
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
                stale=(today - p.row.as_of).days > stale_limit_days(table, limit),
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
        row = opt.prices[0].row if opt.prices else None
        return OptionResult(
            **common,
            seats=seats,
            cap_requests_per_seat_month=opt.cap_requests_per_user_per_month,
            usage_cap=getattr(row, "usage_cap", None),
        )
    if isinstance(opt, ResolvedSelfHosted):
        assert now.sizing is not None
        replicas = int(now.sizing.replicas[0])
        units = int(now.sizing.units[0])  # servers, workstations or rented instances holding the peak's replicas
        t = opt.throughput
        plan, life = opt.plan, opt.cost.life
        owned: dict[str, Any] = {}
        if plan.owned:
            owned = {
                "servers": units if opt.purchase_unit == "server" else None,
                "workstations": units if opt.purchase_unit == "workstation" else None,
                "purchase_unit": opt.purchase_unit,
                "site": opt.site,
                "useful_life_months": int(plan.useful_life_months),
                "at_end_of_life": life.at_end_of_life,
            }
        else:
            owned = {
                "commitment_months": life.commitment_months,
                "instances": units if opt.gpus_per_instance is not None else None,
            }
        return OptionResult(
            **common,
            **owned,
            replicas=replicas,
            gpus=replicas * opt.plan.gpus_per_replica,
            utilisation=float(now.sizing.utilisation[0]),
            gpu=opt.gpu.id,
            model=opt.model.id,
            acquisition=opt.plan.acquisition,
            specs=spec_refs(opt),
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
                actual_range=t.actual_range,
                published_runs=option_runs(opt, resolved),
            ),
        )
    return OptionResult(**common)


def _estimate_band(
    opt: ResolvedSelfHosted, shape: RequestShape, volume: FloatArray, per_usd: float
) -> tuple[float, float] | None:
    """Month-1 cost at either end of the estimate's actual range: capacity from estimate x low to estimate x high,
    the band's (1 / (1 + b) to 1 + b) or wider where published runs of the architecture measured less; the range
    simulate samples 90% of its capacities from (costcalc/bands.py)."""
    actual = opt.throughput.actual_range
    if opt.throughput.kind != "estimated" or actual is None:
        return None
    return _costs_at(opt, shape, volume, per_usd, actual.low, actual.high)


def _runs_band(
    opt: ResolvedSelfHosted, option: OptionResult, shape: RequestShape, volume: FloatArray, per_usd: float
) -> tuple[float, float] | None:
    """Month-1 cost at either end of the range the published runs of the option's own GPU, engine and model measured,
    where they disagree with its actual range (report/run_evidence.py's rule); None elsewhere."""
    t = option.throughput
    if t is None or t.published_runs is None or beyond_range(t.published_runs, t.actual_range) is None:
        return None
    runs = t.published_runs.levels[0]
    return _costs_at(opt, shape, volume, per_usd, runs.low, runs.high)


def _costs_at(
    opt: ResolvedSelfHosted, shape: RequestShape, volume: FloatArray, per_usd: float, low: float, high: float
) -> tuple[float, float]:
    """(low, high) month-1 cost with the replica's capacity at estimate x `high` and estimate x `low`: the one path
    from an actual / estimate factor to a cost."""
    capacity = opt.plan.capacity_requests_per_s
    costs = [
        float(monthly_bill(SelfHostedCost(replace(opt.plan, capacity_requests_per_s=c)), shape, volume).total[0])
        * per_usd
        for c in (capacity * high, capacity * low)
    ]
    return costs[0], costs[1]


def _break_even(
    resolved: ResolvedScenario, monthly_usd: dict[str, float], by_name: dict[str, Flows], per_usd: float = 1.0
) -> list[BreakEvenResult]:
    """Every non-API option against every API option: the volume from which it stays cheaper, and payback; where it
    never does, both costs per 1M tokens (a fully used replica's and the API's) in the report's currency."""
    shape = resolved.shape
    tpr = shape.tokens_per_request
    apis = [o for o in resolved.options if isinstance(o.cost, ApiCost)]
    rate = resolved.scenario.discount_rate_per_year
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
            full_use = versus_cost = None
            if case in (NEVER, SEATS_CAPPED):  # both costs per 1M tokens: full use (a replica, or seats to their cap)
                per_mtok = TOKENS_PER_MTOK / tpr * per_usd
                full_use, versus_cost = float(found.full_use_usd_per_request) * per_mtok, a * per_mtok
            facts = PaybackFacts()
            if isinstance(opt, ResolvedSelfHosted):
                facts = payback_facts(opt, by_name[opt.name], by_name[api.name], rate)
            never = bool(np.isnan(volume))
            out.append(
                BreakEvenResult(
                    option=opt.name,
                    versus=api.name,
                    tokens_per_month=None if never else volume * tpr,
                    requests_per_month=None if never else volume,
                    payback_months=facts.months,
                    reason=reason,
                    full_use_cost_per_million_tokens=full_use,
                    versus_cost_per_million_tokens=versus_cost,
                    payback_months_exact=facts.exact,
                    payback_reason=facts.reason,
                    discounted_payback_months=facts.discounted,
                    irr_per_year=facts.irr_per_year,
                )
            )
    return out
