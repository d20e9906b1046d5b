"""Small scenarios for the recommend tests: a chatbot-sized workload with explicit API and seat prices."""

from __future__ import annotations

import copy
from typing import Any

TODAY = "2026-12-05"

CHAT: dict[str, Any] = {
    "version": 1,
    "name": "Recommend test",
    "horizon_months": 12,
    "workload": {
        "requests_per_day": 20_000,
        "input_tokens": 1000,
        "output_tokens": 200,
        "peak_to_average": 3.0,
        "users": 50,
        "slo": {"ttft_p95_ms": 2000, "min_output_tokens_per_s_per_user": 20},
    },
    "options": [
        {"name": "Explicit API", "kind": "api", "prices": {"input_usd_per_mtok": 0.2, "output_usd_per_mtok": 0.8}},
        {"name": "Seats", "kind": "subscription", "usd_per_seat_month": 20.0},
        {
            "name": "Own L40S",
            "kind": "self_hosted",
            "model": "gpt-oss-20b",
            "engine": "vllm",
            "hardware": {"gpu": "l40s-48gb", "acquisition": "rent", "hourly_usd": 1.5},
            "operations": {"engineer_hours_per_month": 4, "hourly_rate_usd": 100},
        },
    ],
}


def chat() -> dict[str, Any]:
    """A fresh copy of CHAT to edit."""
    return copy.deepcopy(CHAT)
