"""Plausibility bounds shared by every input: scenarios, price files, lock files, refreshed catalogs, measurements.

A value past one of these is a typo, a unit mix-up (per token for per 1M tokens), a broken catalog
or an attack, never a real figure; each bound leaves one to several orders of magnitude of
headroom over the largest real value (the shipped tables' maxima, 2026-12, are in the comments).
They also keep every product the engine forms far from float overflow.
"""

from __future__ import annotations

import math

# Prices
MAX_USD_PER_MTOK = 10_000.0  # dearest shipped: 270 (long-context output); o1-pro output was 600
MIN_NONZERO_USD_PER_MTOK = 1e-3  # cheapest shipped: 0.003 (cached input); below is a per-token price pasted
MAX_USD_PER_HOUR = 100_000.0  # an instance or a replica; dearest shipped: 114 (8 GPUs)
MAX_USD_PER_GPU_HOUR = 10_000.0  # dearest shipped: 14
MAX_HARDWARE_USD = 1e9  # one purchase; dearest shipped: 317,000 (an 8-GPU server)
MAX_USD_PER_SEAT_MONTH = 100_000.0  # dearest shipped: 200
MAX_USD_PER_MONTH = 1e12  # any fixed monthly cost line
MAX_PER_USD = 1e7  # currency units per USD (the weakest currencies trade at tens of thousands)
MIN_PER_USD = 1e-4
# Volumes and shapes
MAX_REQUESTS_PER_DAY = 1e13  # every LLM request on Earth is orders of magnitude fewer
MAX_TOKENS_PER_MONTH = 1e18
MAX_TOKENS_PER_REQUEST = 1e8  # the longest context windows are about 1e7
MAX_USERS = 1e10
MAX_PEAK_TO_AVERAGE = 10_000.0
MAX_REPLICAS = 1_000_000
MAX_GPUS_PER_REPLICA = 4096
MAX_POWER_W = 1e7  # one item or replica at full load
# Measured serving
MAX_REQUESTS_PER_S = 1e7
MAX_TOKENS_PER_S = 1e10
MAX_LATENCY_MS = 1e9  # 11 days
MAX_CONCURRENCY = 1e7
# a median time per output token under this (over 50,000 tokens/s for one user) is no decode but text that arrived
# in one piece behind a proxy that buffers the stream: the last gap over many tokens (a guard, not a measured figure)
MIN_TPOT_MS = 0.02
# `costcalc measure` runs a thread per request in flight: on the 2-core test machine 10,000 idle threads started in
# 9.4 s (171 MB), 30,000 failed ("can't start new thread"), and --concurrency 100000000 took 10 GB before it sent a
# request (qa11, /work/notes/qa11-scripts/threads_cost.py); the calibration set's largest concurrency is 1,024
MAX_LOAD_TEST_CONCURRENCY = 10_000
# a `costcalc measure --rate` level whose requests arrive over more than a day on average is a mistyped rate, not a
# load test: --rate 1e-12 sat waiting for its first arrival (a guard, not a measured figure)
MAX_MEASURE_LEVEL_S = 86_400.0
MAX_REQUEST_COUNT = 1e12
# Anything else a scenario holds (a fallback for fields without their own bound)
MAX_ANY_VALUE = 1e15

# Scenario fields by name: (largest plausible value, what it is)
_SCENARIO_MAXIMA: dict[str, tuple[float, str]] = {
    "requests_per_day": (MAX_REQUESTS_PER_DAY, "requests per day"),
    "tokens_per_month": (MAX_TOKENS_PER_MONTH, "tokens per month"),
    "users": (MAX_USERS, "users"),
    "seats": (MAX_USERS, "seats"),
    "peak_to_average": (MAX_PEAK_TO_AVERAGE, "peak-to-average ratio"),
    "min_replicas": (MAX_REPLICAS, "replicas"),
    "gpus_per_replica": (MAX_GPUS_PER_REPLICA, "GPUs per replica"),
    "hourly_usd": (MAX_USD_PER_GPU_HOUR, "USD per GPU-hour"),
    "usd_per_seat_month": (MAX_USD_PER_SEAT_MONTH, "USD per seat-month"),
    "usd_per_kw_month": (MAX_USD_PER_MONTH, "USD per kW-month"),
    "flat_usd_per_month": (MAX_USD_PER_MONTH, "USD per month"),
    "hourly_rate_usd": (MAX_USD_PER_HOUR, "USD per engineer-hour"),
    "engineer_hours_per_month": (1e7, "engineer-hours per month"),
    "electricity_usd_per_kwh": (100.0, "USD per kWh"),
    "useful_life_months": (600, "months of useful life"),
    "memory_gb": (1e6, "GB"),
    "memory_bandwidth_gb_s": (1e7, "GB/s"),
    "requests_per_s": (MAX_REQUESTS_PER_S, "requests per second"),
    "output_tokens_per_s": (MAX_TOKENS_PER_S, "tokens per second"),
    "min_output_tokens_per_s_per_user": (MAX_TOKENS_PER_S, "tokens per second"),
    "concurrency": (MAX_CONCURRENCY, "requests in flight"),
    "ttft_p95_ms": (MAX_LATENCY_MS, "ms"),
    "tpot_ms": (MAX_LATENCY_MS, "ms"),
    "tpot_p95_ms": (MAX_LATENCY_MS, "ms"),
    "cap_requests_per_user_per_month": (MAX_REQUEST_COUNT, "requests per user-month"),
}


def price_problem(field: str, value: float | None) -> str | None:
    """Why a price-table value cannot be real (by its field name's unit), or None when it is plausible."""
    if value is None:
        return None
    if not math.isfinite(value):
        return "must be a finite number"
    if field.endswith("_usd_per_mtok"):
        if value > MAX_USD_PER_MTOK:
            return f"{value:g} USD per 1M tokens is beyond any real price (max {MAX_USD_PER_MTOK:g}); check the unit"
        if 0 < value < MIN_NONZERO_USD_PER_MTOK:
            return (
                f"{value:g} looks like USD per token; prices are per 1M tokens, "
                "so multiply by 1,000,000 (e.g. 2.5e-06 → 2.5)"
            )
    elif field.endswith("_tokens"):
        if value > MAX_TOKENS_PER_REQUEST:
            return f"{value:g} tokens is beyond any context window (max {MAX_TOKENS_PER_REQUEST:g})"
    elif field == "usd_per_gpu_hour" and value > MAX_USD_PER_GPU_HOUR:
        return f"{value:g} USD per GPU-hour is beyond any real rental (max {MAX_USD_PER_GPU_HOUR:g})"
    elif field in ("usd_per_hour", "hourly_usd") and value > MAX_USD_PER_HOUR:
        return f"{value:g} USD per hour is beyond any real rental (max {MAX_USD_PER_HOUR:g})"
    elif field == "price_usd" and value > MAX_HARDWARE_USD:
        return f"{value:g} USD is beyond any real purchase (max {MAX_HARDWARE_USD:g})"
    elif "usd_per_seat" in field and value > MAX_USD_PER_SEAT_MONTH:
        return f"{value:g} USD per seat is beyond any real plan (max {MAX_USD_PER_SEAT_MONTH:g})"
    elif field == "per_usd" and not MIN_PER_USD <= value <= MAX_PER_USD:
        return f"{value:g} units per USD is not a real exchange rate ({MIN_PER_USD:g}..{MAX_PER_USD:g})"
    elif field.endswith("_w") and value > MAX_POWER_W:
        return f"{value:g} W is beyond any real machine (max {MAX_POWER_W:g})"
    return None


def value_problem(field: str, value: float) -> str | None:
    """Why a scenario value cannot be real (by its field name), or None when it is plausible."""
    if not math.isfinite(value):
        return "must be a finite number"
    known = _SCENARIO_MAXIMA.get(field)
    if known is not None:
        maximum, unit = known
        if value > maximum:
            return f"{value:g} {unit} is beyond any real figure (max {maximum:g}); check the value and its unit"
        return None
    if field.endswith(("_usd_per_mtok", "_tokens", "_w", "_w_per_gpu")) or field in ("price_usd", "per_usd"):
        name = "max_power_w" if field.endswith("_w_per_gpu") else field
        return price_problem(name, value)
    if field.endswith("_tflops") and value > 1e7:
        return f"{value:g} TFLOPS is beyond any real GPU (max 1e7)"
    if abs(value) > MAX_ANY_VALUE:
        return f"{value:g} is beyond any plausible value here (max {MAX_ANY_VALUE:g}); check the value and its unit"
    return None
