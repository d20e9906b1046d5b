"""A two-option scenario (an API against a rented H100) in a chosen currency, for the money-labelling tests."""

from __future__ import annotations

TEST_PER_USD = 0.5  # units of a non-USD currency per US dollar in these scenarios


def api_vs_rented(name: str, currency: str, *, hourly_usd: float) -> dict[str, object]:
    """The scenario `name` in `currency` (USD, or any code at TEST_PER_USD), renting an H100 at `hourly_usd`."""
    data: dict[str, object] = {
        "version": 1,
        "name": name,
        "workload": {"requests_per_day": 50000, "input_tokens": 1500, "output_tokens": 300},
        "options": [
            {"name": "Luna", "kind": "api", "model": "openai/gpt-6-luna"},
            {
                "name": "Rented",
                "kind": "self_hosted",
                "model": "gpt-oss-120b",
                "hardware": {"gpu": "h100-sxm-80gb", "acquisition": "rent", "hourly_usd": hourly_usd},
            },
        ],
    }
    if currency != "USD":
        data["currency"] = {"code": currency, "per_usd": TEST_PER_USD, "as_of": "2026-11-20", "source": "test rate"}
    return data
