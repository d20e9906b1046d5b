"""Resolve API and seat options to engine rates, remembering which priced rows were used."""

from __future__ import annotations

from costcalc.engine.api import ApiRates
from costcalc.errors import InputError
from costcalc.models import ApiOption, SubscriptionOption, Workload
from costcalc.pricing.book import PriceBook, Priced

_EXPLICIT_TO_ROW = {
    "input_usd_per_mtok": "input",
    "output_usd_per_mtok": "output",
    "cached_input_usd_per_mtok": "cached_input",
    "cache_write_usd_per_mtok": "cache_write",
    "batch_input_usd_per_mtok": "batch_input",
    "batch_output_usd_per_mtok": "batch_output",
    "long_context_threshold_tokens": "long_context_threshold_tokens",
    "long_context_input_usd_per_mtok": "long_context_input",
    "long_context_cached_input_usd_per_mtok": "long_context_cached_input",
    "long_context_output_usd_per_mtok": "long_context_output",
    "off_peak_input_usd_per_mtok": "off_peak_input",
    "off_peak_cached_input_usd_per_mtok": "off_peak_cached_input",
    "off_peak_output_usd_per_mtok": "off_peak_output",
}


def api_rates(opt: ApiOption, book: PriceBook, workload: Workload) -> tuple[ApiRates, list[Priced], list[str]]:
    """Catalog prices (if a model is named) overlaid with the option's explicit prices.

    Also returns the prices the workload needs but the row lacks (billed at the input price instead).
    """
    values: dict[str, float | None] = {}
    used: list[Priced] = []
    if opt.model is not None:
        priced = book.get("api", opt.model, field=f"options[{opt.name}].model")
        used.append(priced)
        r = priced.row
        values = {
            "input": r.input_usd_per_mtok,
            "output": r.output_usd_per_mtok,
            "cached_input": r.cached_input_usd_per_mtok,
            "cache_write": r.cache_write_5m_usd_per_mtok,
            "batch_input": r.batch_input_usd_per_mtok,
            "batch_output": r.batch_output_usd_per_mtok,
            "long_context_threshold_tokens": r.long_context_threshold_tokens,
            "long_context_input": r.long_context_input_usd_per_mtok,
            "long_context_cached_input": r.long_context_cached_input_usd_per_mtok,
            "long_context_output": r.long_context_output_usd_per_mtok,
            "off_peak_input": r.off_peak_input_usd_per_mtok,
            "off_peak_cached_input": r.off_peak_cached_input_usd_per_mtok,
            "off_peak_output": r.off_peak_output_usd_per_mtok,
        }
    if opt.prices is not None:
        for key, value in opt.prices.model_dump(exclude_none=True).items():
            values[_EXPLICIT_TO_ROW[key]] = value
    where = f"options[{opt.name}]"
    if opt.batch_share > 0 and values.get("batch_input") is None and values.get("batch_output") is None:
        raise InputError(
            "batch_share is set but this model has no batch price; set prices.batch_input_usd_per_mtok"
            " and prices.batch_output_usd_per_mtok, or batch_share: 0",
            field=f"{where}.batch_share",
        )
    if opt.off_peak_share > 0 and values.get("off_peak_input") is None:
        raise InputError(
            "off_peak_share is set but this model has no off-peak price; set prices.off_peak_*_usd_per_mtok",
            field=f"{where}.off_peak_share",
        )
    missing = []
    if workload.cached_input_share > 0 and values.get("cached_input") is None:
        missing.append(f"{opt.name}: no cached-input price; cache reads are billed at the input price")
    if workload.cache_write_share > 0 and values.get("cache_write") is None:
        missing.append(f"{opt.name}: no cache-write price; cache writes are billed at the input price")
    rates = ApiRates(
        **{k: v for k, v in values.items() if v is not None},  # type: ignore[arg-type]
        batch_share=opt.batch_share,
        off_peak_share=opt.off_peak_share,
        discount=opt.discount,
    )
    return rates, used, missing


def seat_price(
    opt: SubscriptionOption, workload: Workload, book: PriceBook
) -> tuple[float, int, float | None, list[Priced]]:
    """(USD per seat-month, seats, cap in requests per user-month or None, rows used)."""
    where = f"options[{opt.name}]"
    used: list[Priced] = []
    price = opt.usd_per_seat_month
    cap = opt.cap_requests_per_user_per_month
    if opt.plan is not None:
        priced = book.get("seats", opt.plan, field=f"{where}.plan")
        used.append(priced)
        row = priced.row
        if price is None and opt.billing is None:
            price = (
                row.annual_usd_per_seat_month if row.annual_usd_per_seat_month is not None else row.monthly_usd_per_seat
            )
        elif price is None:
            price = row.annual_usd_per_seat_month if opt.billing == "annual" else row.monthly_usd_per_seat
            if price is None:
                other = "monthly" if opt.billing == "annual" else "annual"
                raise InputError(
                    f"plan {opt.plan!r} publishes no {opt.billing} price; set billing: {other} or usd_per_seat_month",
                    field=f"{where}.billing",
                )
        if cap is None:
            cap = row.cap_requests_per_user_per_month
        if row.min_seats and (opt.seats or workload.users or 0) < row.min_seats:
            raise InputError(
                f"plan {opt.plan!r} needs at least {row.min_seats} seats; raise seats or choose another plan",
                field=f"{where}.seats",
            )
    seats = opt.seats if opt.seats is not None else workload.users
    if seats is None:
        raise InputError("a subscription needs seats, or workload.users to derive them", field=f"{where}.seats")
    assert price is not None
    return price, seats, cap, used
