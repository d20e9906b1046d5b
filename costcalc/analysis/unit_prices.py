"""The assumption line of each option's unit prices: the per-token rates, seat price, GPU-hour rate or purchase price
the engine bills with (as resolved, in the report's money), and the price row they come from."""

from __future__ import annotations

from collections.abc import Callable

from costcalc.engine.api import ApiRates, TierPrices, batch_prices, long_context_prices, off_peak_prices
from costcalc.models import Workload
from costcalc.report.money_words import money
from costcalc.report.result import OptionResult
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.running_lines import price_places
from costcalc.resolve.scenario import ResolvedApi, ResolvedOption, ResolvedSeats
from costcalc.words import fractional_count

UNIT_WORDS = {"gpu": "GPU"}  # a purchase unit as a sentence writes it: 'a server', 'a workstation', 'a GPU'


def unit_price_line(
    opt: ResolvedOption, billed: OptionResult, workload: Workload, per_usd: float, currency: str
) -> str:
    """'GPT-6 Luna: per 1M tokens $0.25 input, $0.025 cached input, $2.00 output (api openai/gpt-6-luna@...)',
    'X: 2,000 seats at $20.00 a seat a month (seats ...); usage cap as published: ...', 'X: GPU rental $3,132 a month = 730 GPU-hours at $4.29 per
    GPU-hour (rental ...)', 'X: bought at $285,000 a server (hardware ...)': the prices the engine bills with, from
    the resolved option (USD, written in the report's `currency` at `per_usd`), and the row they come from."""

    def price(usd: float) -> str:  # a unit price: cents, or up to 4 decimals where the row has them
        return money(usd * per_usd, currency, decimals=price_places(usd * per_usd))

    ref = billed.prices[0] if billed.prices else None  # the option's first row: its offer, model or plan
    row = f"{ref.table} {ref.id}" if ref is not None else "as given"
    if isinstance(opt, ResolvedApi):
        return f"{opt.name}: per 1M tokens {_api_rates(opt.cost.rates, workload, price)} ({row})"
    if isinstance(opt, ResolvedSeats):
        seats = float(opt.cost.seats)
        seat = price(float(opt.cost.usd_per_seat_month))
        said = f"{opt.name}: {seats:,.0f} seat{'s' if seats != 1 else ''} at {seat} a seat a month ({row})"
        cap = opt.cap_requests_per_user_per_month
        limit = f"; at most {fractional_count(cap)} requests a seat a month" if cap is not None else ""
        if billed.usage_cap:
            limit += f"; usage cap as published: '{billed.usage_cap}'"
        elif cap is None:
            limit += "; no usage cap recorded" if ref is not None else "; no usage cap given"
        return said + limit
    assert isinstance(opt, ResolvedSelfHosted)
    plan, life = opt.plan, opt.cost.life
    if plan.acquisition == "rent":
        rate = float(plan.usd_per_gpu_hour)
        table_rate = getattr(opt.prices[0].row, "usd_per_gpu_hour", None) if opt.prices else None
        hourly = f"{price(rate)} per GPU-hour ({row if table_rate == rate else 'as given'})"
        rental = billed.breakdown.get("gpu_rental", 0.0)  # month 1, in the report's currency
        if life.commitment_months or not rate or not rental:  # a term's month 1 is not hours x rate
            return f"{opt.name}: rented at {hourly}"
        hours = rental / (rate * per_usd)
        return f"{opt.name}: GPU rental {money(rental, currency)} a month = {hours:,.0f} GPU-hours at {hourly}"
    unit = UNIT_WORDS.get(opt.purchase_unit or "server", opt.purchase_unit or "server")
    if plan.acquisition == "lease":
        payment = float(plan.lease_usd_per_replica_month) / life.units_per_replica
        return f"{opt.name}: leased at {money(payment * per_usd, currency)} a month a {unit} (as given)"
    each = float(plan.price_usd_per_replica) / life.units_per_replica
    source = row if ref is not None and ref.table == "hardware" else "as given"
    return f"{opt.name}: bought at {money(each * per_usd, currency)} a {unit} ({source})"


def _api_rates(rates: ApiRates, workload: Workload, price: Callable[[float], str]) -> str:
    """The rates this workload is billed at: input and output, and cache, batch, long-context and off-peak rates
    where the workload or option uses them (a tier's cache prices as the bill fills them in: engine.api)."""

    def tier(prices: TierPrices) -> str:  # a tier's input-side and output prices, as this workload pays them
        words = [f"{price(float(prices.input))} input"]
        if workload.cached_input_share:
            words.append(f"{price(float(prices.cached_input))} cached input")
        if workload.cache_write_share:
            words.append(f"{price(float(prices.cache_write))} cache writes")
        return ", ".join([*words, f"{price(float(prices.output))} output"])

    parts = [f"{price(float(rates.input))} input"]
    if workload.cached_input_share and rates.cached_input is not None:
        parts.append(f"{price(float(rates.cached_input))} cached input")
    if workload.cache_write_share and rates.cache_write is not None:
        parts.append(f"{price(float(rates.cache_write))} cache writes")
    parts.append(f"{price(float(rates.output))} output")
    if float(rates.batch_share) and rates.batch_input is not None and rates.batch_output is not None:
        parts.append(f"batch {tier(batch_prices(rates))}")
    threshold = rates.long_context_threshold_tokens
    if threshold is not None and any(tokens > float(threshold) for tokens, _ in workload.buckets):
        if rates.long_context_input is not None and rates.long_context_output is not None:
            parts.append(f"above {float(threshold):,.0f} input tokens {tier(long_context_prices(rates))}")
    if float(rates.off_peak_share) and rates.off_peak_input is not None and rates.off_peak_output is not None:
        parts.append(f"off-peak {tier(off_peak_prices(rates))}")
    return ", ".join(parts)
