"""Resolve every option of a scenario: per kind, the engine's input (`cost`) plus provenance for the report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from costcalc.engine.api import ApiRates
from costcalc.engine.options import ApiCost, SeatCost
from costcalc.engine.shape import RequestShape
from costcalc.errors import InputError
from costcalc.models import ApiOption, Scenario, SelfHostedOption, SubscriptionOption, Workload
from costcalc.pricing.book import PriceBook, Priced
from costcalc.pricing.schema import ApiPrice, PriceRow
from costcalc.resolve.blame import at_scenario
from costcalc.resolve.hardware import Horizon, ResolvedSelfHosted, option_terms, resolve_self_hosted
from costcalc.resolve.prices import (
    api_month_rates,
    api_price_path,
    api_rates,
    off_peak_share,
    retirement_in_horizon,
    seat_price,
    tier_note,
)
from costcalc.resolve.throughput import ThroughputBasis

ANNUAL_MONTHS = 12


@dataclass(frozen=True)
class ResolvedApi:
    """An API option: its rates for the engine, and the priced rows behind them."""

    name: str
    cost: ApiCost
    prices: tuple[Priced[PriceRow], ...] = ()
    missing_prices: tuple[str, ...] = ()  # prices the workload needs that the row lacks
    notes: tuple[str, ...] = ()  # how its prices were applied (off-peak share, scheduled changes) for the assumptions
    month_rates: tuple[ApiRates, ...] | None = None  # each month's rates where cost.price_path moves (api_month_rates)
    warnings: tuple[str, ...] = ()  # what the report says of the option on standard error (a prompt past its context)
    kind: ClassVar[str] = "api"


@dataclass(frozen=True)
class ResolvedSeats:
    """A subscription option: seat price and count for the engine, the plan's usage cap, the rows used."""

    name: str
    cost: SeatCost
    cap_requests_per_user_per_month: float | None = None
    prices: tuple[Priced[PriceRow], ...] = ()
    missing_prices: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # assumption lines
    kind: ClassVar[str] = "subscription"


ResolvedOption = ResolvedApi | ResolvedSeats | ResolvedSelfHosted  # .cost is the engine's input of each kind


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario joined with prices, catalogs and throughput."""

    scenario: Scenario
    workload: Workload
    shape: RequestShape
    options: tuple[ResolvedOption, ...]

    def option(self, name: str) -> ResolvedOption:
        """An option by name."""
        return next(o for o in self.options if o.name == name)


def request_shape(workload: Workload) -> RequestShape:
    """The engine's view of a workload's request."""
    return RequestShape(
        buckets=workload.buckets,
        output_tokens=workload.billed_output_tokens,
        cached_input_share=workload.cached_input_share,
        cache_write_share=workload.cache_write_share,
        peak_factor=workload.peak_factor,
        hourly_factors=workload.hourly_factors,
    )


def resolve_scenario(
    scenario: Scenario, book: PriceBook, *, throughputs: Mapping[str, ThroughputBasis] | None = None
) -> ResolvedScenario:
    """Look up every price, spec and throughput the scenario's options refer to; errors point at the file's line.

    `throughputs`: self-hosted options' capacities already resolved, by option name (recommend's candidates).
    """
    try:
        return _resolve(scenario, book, throughputs or {})
    except InputError as exc:
        moved = at_scenario(exc, scenario)
        if moved is exc:
            raise
        raise moved from None


def priced_row(opt: ResolvedApi) -> ApiPrice | None:
    """The api price row an API option is priced by today (its first used row), None where it has none."""
    first = opt.prices[0].row if opt.prices else None
    return first if isinstance(first, ApiPrice) else None


def past_context(name: str, row: ApiPrice | None, prompt_tokens: float) -> str:
    """A warning where a mean prompt is longer than the API model's context window (the price row's
    context_window_tokens, where its source gives one): the provider refuses such requests, so their cost is of
    requests it does not serve; '' otherwise. Only the prompt is compared (a source's window may count input alone).
    qa24: 50,000,000-token prompts were billed at $15.2M a month, unsaid (a self-hosted option refuses them)."""
    if row is None or row.context_window_tokens is None or prompt_tokens <= row.context_window_tokens:
        return ""
    return (
        f"{name}: prompts of {prompt_tokens:,.0f} tokens are longer than {row.series}'s context window"
        f" ({row.context_window_tokens:,} tokens,"
        " as its price row has it); the provider refuses such requests, so this cost is of requests it does not"
        " serve: shorten them, or choose a model with a longer context"
    )


def _resolve(scenario: Scenario, book: PriceBook, throughputs: Mapping[str, ThroughputBasis]) -> ResolvedScenario:
    workload = scenario.workload
    assert isinstance(workload, Workload), "usage files are loaded by the loader"
    shape = request_shape(workload)
    horizon = Horizon(scenario.horizon_months, scenario.discount_rate_per_year)
    options: list[ResolvedOption] = []
    for opt in scenario.options:
        where = f"options[{opt.name}]"
        if isinstance(opt, ApiOption):
            rates, used, missing = api_rates(opt, book, workload)
            path, later, changes = api_price_path(opt, book, workload, shape, scenario.horizon_months)
            missing = missing + retirement_in_horizon(opt, book, scenario.horizon_months)
            first = used[0].row if used else None
            api_row = first if isinstance(first, ApiPrice) else None
            share = off_peak_share(opt, api_row, workload, book.on)
            tier = tier_note(opt, api_row)
            notes = ([share.note] if share.note else []) + ([tier] if tier else []) + changes
            notes += _price_change_note(opt.name, "per-token prices", opt.price_change_per_year)
            notes += _billing_notes(opt)
            terms = replace(
                option_terms(opt.one_off_costs, horizon.months, where), price_change_per_year=opt.price_change_per_year
            )
            cost = ApiCost(rates, price_path=path, terms=terms)
            months = None if path is None else api_month_rates(opt, book, workload, scenario.horizon_months)
            warned = tuple(line for line in [past_context(opt.name, api_row, workload.mean_input_tokens)] if line)
            options.append(
                ResolvedApi(opt.name, cost, tuple(used + later), tuple(missing), tuple(notes), months, warned)
            )
        elif isinstance(opt, SubscriptionOption):
            price, seats, cap, used, billing = seat_price(opt, workload, book)
            terms = option_terms(opt.one_off_costs, horizon.months, where)
            terms = replace(terms, price_change_per_year=opt.price_change_per_year)
            prepay = ANNUAL_MONTHS if billing == "annual" else 1
            notes = list(_price_change_note(opt.name, "seat price", opt.price_change_per_year))
            if prepay > 1:
                notes.append(f"{opt.name}: billed annually, a year of seats paid up front at each renewal")
            seat_cost = SeatCost(price, seats, terms=terms, prepay_months=prepay, cap_requests_per_seat_month=cap)
            options.append(ResolvedSeats(opt.name, seat_cost, cap, tuple(used), notes=tuple(notes)))
        else:
            assert isinstance(opt, SelfHostedOption)
            options.append(resolve_self_hosted(opt, workload, book, horizon, throughput=throughputs.get(opt.name)))
    return ResolvedScenario(scenario, workload, shape, tuple(options))


def _billing_notes(opt: ApiOption) -> list[str]:
    """An API option's batch share and negotiated discount, which its bill applies and only its name may tell."""
    notes = []
    if opt.batch_share:
        notes.append(
            f"{opt.name}: {opt.batch_share:.0%} of requests sent through the batch API, at its prices (as given)"
        )
    if opt.discount:
        notes.append(f"{opt.name}: a negotiated discount of {opt.discount:.0%} on the whole bill (as given)")
    return notes


def _price_change_note(name: str, what: str, change: float) -> list[str]:
    if not change:
        return []
    return [f"{name}: {what} change {change:+.0%} a year, applied month by month over the horizon"]
