"""Per-token API bills: uncached, cached and cache-write input, output, long-context tier, batch, off-peak, discount."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from costcalc.engine.shape import RequestShape
from costcalc.units import TOKENS_PER_MTOK


@dataclass(frozen=True)
class ApiRates:
    """Resolved prices of one API option, USD per 1M tokens; None where the provider has no such price."""

    input: float
    output: float
    cached_input: float | None = None  # None: cache reads are billed as input
    cache_write: float | None = None  # None: cache writes are billed as input
    batch_input: float | None = None
    batch_output: float | None = None
    long_context_threshold_tokens: float | None = None
    long_context_input: float | None = None
    long_context_cached_input: float | None = None
    long_context_output: float | None = None
    off_peak_input: float | None = None
    off_peak_cached_input: float | None = None
    off_peak_output: float | None = None
    batch_share: float = 0.0
    off_peak_share: float = 0.0
    discount: float = 0.0


def _ratio(special: float | None, standard: float) -> float:
    if special is None or standard == 0:
        return 1.0
    return special / standard


def api_cost_lines_per_request(rates: ApiRates, shape: RequestShape) -> dict[str, float]:
    """Cost lines of one mean request, USD. Lines sum to the bill; savings are negative."""
    cached_price = rates.cached_input if rates.cached_input is not None else rates.input
    write_price = rates.cache_write if rates.cache_write is not None else rates.input
    uncached_share = max(0.0, 1.0 - shape.cached_input_share - shape.cache_write_share)

    base = {"input_uncached": 0.0, "input_cached": 0.0, "cache_write": 0.0}
    full_input = 0.0  # input-side cost with long-context tier prices
    full_cached = 0.0
    full_output = 0.0
    for tokens, share in shape.buckets:
        mtok = tokens * share / TOKENS_PER_MTOK
        base["input_uncached"] += mtok * uncached_share * rates.input
        base["input_cached"] += mtok * shape.cached_input_share * cached_price
        base["cache_write"] += mtok * shape.cache_write_share * write_price
        tiered = rates.long_context_threshold_tokens is not None and tokens > rates.long_context_threshold_tokens
        if tiered:
            in_mult = _ratio(rates.long_context_input, rates.input)
            lc_cached = (
                rates.long_context_cached_input
                if rates.long_context_cached_input is not None
                else cached_price * in_mult
            )
            full_input += mtok * (uncached_share * rates.input * in_mult + shape.cache_write_share * write_price * in_mult)
            full_cached += mtok * shape.cached_input_share * lc_cached
            out_price = rates.long_context_output if rates.long_context_output is not None else rates.output
            full_output += share * shape.output_tokens / TOKENS_PER_MTOK * out_price
        else:
            full_input += mtok * (uncached_share * rates.input + shape.cache_write_share * write_price)
            full_cached += mtok * shape.cached_input_share * cached_price
            full_output += share * shape.output_tokens / TOKENS_PER_MTOK * rates.output
    base_output = shape.output_tokens / TOKENS_PER_MTOK * rates.output
    lines = {**base, "output": base_output}
    lines["long_context_premium"] = (full_input + full_cached + full_output) - sum(lines.values())

    in_ratio = _ratio(rates.batch_input, rates.input)
    out_ratio = _ratio(rates.batch_output, rates.output)
    lines["batch_savings"] = -rates.batch_share * (
        (full_input + full_cached) * (1 - in_ratio) + full_output * (1 - out_ratio)
    )
    off_in = _ratio(rates.off_peak_input, rates.input)
    off_cached = _ratio(rates.off_peak_cached_input, cached_price) if rates.off_peak_cached_input is not None else off_in
    off_out = _ratio(rates.off_peak_output, rates.output)
    lines["off_peak_savings"] = -rates.off_peak_share * (
        full_input * (1 - off_in) + full_cached * (1 - off_cached) + full_output * (1 - off_out)
    )
    lines["discount"] = -rates.discount * sum(lines.values())
    return lines


def api_monthly(rates: ApiRates, shape: RequestShape, requests_per_month: np.ndarray | float) -> dict[str, np.ndarray]:
    """Monthly cost lines at each volume (requests per month); the bill is linear in volume."""
    volume = np.asarray(requests_per_month, dtype=float)
    return {name: volume * usd for name, usd in api_cost_lines_per_request(rates, shape).items()}
