"""Per-token API bills: uncached, cached and cache-write input, output, long-context tier, batch, off-peak, discount."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from costcalc.engine.arrays import FloatArray, Floats, divide, floats, plain
from costcalc.engine.shape import RequestShape
from costcalc.units import TOKENS_PER_MTOK


@dataclass(frozen=True)
class ApiRates:
    """Resolved prices of one API option, USD per 1M tokens; None where the provider has no such price.

    Any field that is not None may be a numpy array, one value per what-if point.
    """

    input: Floats
    output: float
    cached_input: Floats | None = None  # None: cache reads are billed as input
    cache_write: Floats | None = None  # None: cache writes are billed as input
    batch_input: Floats | None = None
    batch_output: Floats | None = None
    long_context_threshold_tokens: Floats | None = None
    long_context_input: Floats | None = None
    long_context_cached_input: Floats | None = None
    long_context_output: Floats | None = None
    off_peak_input: Floats | None = None
    off_peak_cached_input: Floats | None = None
    off_peak_output: Floats | None = None
    batch_share: Floats = 0.0
    off_peak_share: Floats = 0.0
    discount: Floats = 0.0


def _price(price: Floats | None, fallback: Floats) -> Floats:
    """A price the provider may lack (None, decided per field): the fallback where it has none."""
    return fallback if price is None else price


def _ratio(special: Floats | None, standard: Floats) -> Floats:
    """special / standard; 1 where there is no special price or the standard price is 0."""
    if special is None:
        return 1.0
    return divide(special, standard, fill=1.0)


@dataclass(frozen=True)
class TierPrices:
    """The prices a bill charges within one tier (USD per 1M tokens), each filled in as the bill fills a price the
    provider lacks: cache reads and writes at the input price, a long-context tier's input-side prices scaled as its
    input price is, an off-peak cached read scaled as off-peak input is."""

    input: Floats
    cached_input: Floats
    cache_write: Floats
    output: Floats


def standard_prices(rates: ApiRates) -> TierPrices:
    """The prices a request under every threshold pays at peak hours."""
    return TierPrices(
        rates.input, _price(rates.cached_input, rates.input), _price(rates.cache_write, rates.input), rates.output
    )


def long_context_prices(rates: ApiRates) -> TierPrices:
    """The prices a request above the long-context threshold pays (the standard ones where there is no tier)."""
    std, in_mult = standard_prices(rates), _ratio(rates.long_context_input, rates.input)
    return TierPrices(
        rates.input * in_mult,
        _price(rates.long_context_cached_input, std.cached_input * in_mult),
        std.cache_write * in_mult,
        _price(rates.long_context_output, rates.output),
    )


def off_peak_prices(rates: ApiRates) -> TierPrices:
    """The prices a request at off-peak hours pays, before any long-context tier (the standard ones where there are
    none); a cache write pays the off-peak input rate's share of its standard price."""
    std = standard_prices(rates)
    off_in, off_cached, off_out = _off_peak_ratios(rates, std.cached_input)
    return TierPrices(
        rates.input * off_in, std.cached_input * off_cached, std.cache_write * off_in, rates.output * off_out
    )


def batch_prices(rates: ApiRates) -> TierPrices:
    """The prices a request sent through the batch API pays, before any long-context tier: every input-side price
    at the batch input rate's share of its standard price."""
    std = standard_prices(rates)
    in_ratio, out_ratio = _batch_ratios(rates)
    return TierPrices(
        rates.input * in_ratio, std.cached_input * in_ratio, std.cache_write * in_ratio, rates.output * out_ratio
    )


def _batch_ratios(rates: ApiRates) -> tuple[Floats, Floats]:
    """Batch over standard price of input (cached reads and writes too) and output; 1 where there is none."""
    return _ratio(rates.batch_input, rates.input), _ratio(rates.batch_output, rates.output)


def _off_peak_ratios(rates: ApiRates, cached_price: Floats) -> tuple[Floats, Floats, Floats]:
    """Off-peak over standard price of input (cache writes too), cached input and output; 1 where there is none."""
    off_in = _ratio(rates.off_peak_input, rates.input)
    off_cached = off_in if rates.off_peak_cached_input is None else _ratio(rates.off_peak_cached_input, cached_price)
    return off_in, off_cached, _ratio(rates.off_peak_output, rates.output)


def api_cost_lines_per_request(rates: ApiRates, shape: RequestShape) -> dict[str, Floats]:
    """Cost lines of one mean request, USD. Lines sum to the bill; savings are negative.

    Prices, shares and the shape's cache shares may be numpy arrays (one value per what-if point):
    the lines are then arrays of their broadcast shape, floats otherwise.
    """
    std, tier = standard_prices(rates), long_context_prices(rates)
    cached_price, write_price = std.cached_input, std.cache_write
    cached_share, write_share = shape.cached_input_share, shape.cache_write_share
    uncached_share = np.maximum(0.0, 1.0 - cached_share - write_share)
    in_mult = _ratio(rates.long_context_input, rates.input)
    lc_cached_price, lc_output_price = tier.cached_input, tier.output
    threshold = rates.long_context_threshold_tokens

    base: dict[str, Floats] = {"input_uncached": 0.0, "input_cached": 0.0, "cache_write": 0.0}
    full_input: Floats = 0.0  # input-side cost with long-context tier prices
    full_cached: Floats = 0.0
    full_output: Floats = 0.0
    premium: Floats = 0.0  # what the tier adds, summed where a bucket passes the threshold (exactly 0 elsewhere)
    for tokens, share in shape.buckets:
        mtok = tokens * share / TOKENS_PER_MTOK
        output_mtok = share * shape.output_tokens / TOKENS_PER_MTOK
        base["input_uncached"] += mtok * uncached_share * rates.input
        base["input_cached"] += mtok * cached_share * cached_price
        base["cache_write"] += mtok * write_share * write_price
        tiered = False if threshold is None else np.greater(tokens, threshold)
        full_input += mtok * np.where(
            tiered,
            uncached_share * rates.input * in_mult + write_share * write_price * in_mult,
            uncached_share * rates.input + write_share * write_price,
        )
        full_cached += mtok * cached_share * np.where(tiered, lc_cached_price, cached_price)
        full_output += output_mtok * np.where(tiered, lc_output_price, rates.output)
        premium += np.where(
            tiered,
            mtok * (uncached_share * rates.input + write_share * write_price) * (in_mult - 1.0)
            + mtok * cached_share * (lc_cached_price - cached_price)
            + output_mtok * (lc_output_price - rates.output),
            0.0,
        )
    base_output = shape.output_tokens / TOKENS_PER_MTOK * rates.output
    lines = {**base, "output": base_output}
    lines["long_context_premium"] = premium  # not the tiered total less the lines: that leaves float noise (3e-13)

    in_ratio, out_ratio = _batch_ratios(rates)
    lines["batch_savings"] = -rates.batch_share * (
        (full_input + full_cached) * (1 - in_ratio) + full_output * (1 - out_ratio)
    )
    off_in, off_cached, off_out = _off_peak_ratios(rates, cached_price)
    lines["off_peak_savings"] = -rates.off_peak_share * (
        full_input * (1 - off_in) + full_cached * (1 - off_cached) + full_output * (1 - off_out)
    )
    lines["discount"] = -rates.discount * sum(lines.values())
    return {name: plain(usd) for name, usd in lines.items()}


def api_monthly(rates: ApiRates, shape: RequestShape, requests_per_month: Floats) -> dict[str, FloatArray]:
    """Monthly cost lines at each volume (requests per month); the bill is linear in volume."""
    volume = floats(requests_per_month)
    return {name: volume * usd for name, usd in api_cost_lines_per_request(rates, shape).items()}
