"""Map OpenRouter's /api/v1/models response (USD-per-token strings) to ApiPrice rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from costcalc.errors import ExternalError
from costcalc.pricing.sources import (
    Mapped,
    as_number,
    has_core_price,
    per_request_fee,
    per_token_to_mtok,
    positive_int,
)

DEFAULT_URL = "https://openrouter.ai/api/v1/models"
PROVIDER = "openrouter"


def map_catalog(payload: Any, url: str, as_of: dt.date) -> Mapped:
    """OpenRouter models → rows with provider 'openrouter' and model = the OpenRouter id."""
    models = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(models, list) or not models:
        raise ExternalError(f'{url} is not an OpenRouter models list: expected {{"data": [...]}}')
    out = Mapped()
    for entry in models:
        out.seen += 1
        if not isinstance(entry, dict) or not entry.get("id"):
            out.skipped["model without id"] += 1
            continue
        pricing = entry.get("pricing")
        if not isinstance(pricing, dict):
            out.skipped["missing input/output price"] += 1
            continue
        values = _prices(pricing)
        reason = has_core_price(values["input_usd_per_mtok"], values["output_usd_per_mtok"]) or per_request_fee(
            pricing.get("request")
        )
        if reason:
            out.skipped[reason] += 1
            continue
        model = str(entry["id"])
        top = entry.get("top_provider")
        if not isinstance(top, dict):
            top = {}
        out.add(
            {
                "id": f"{PROVIDER}/{model}",
                "provider": PROVIDER,
                "model": model,
                "source": url,
                "as_of": as_of,
                "context_window_tokens": positive_int(entry.get("context_length"))
                or positive_int(top.get("context_length")),
                **values,
            }
        )
    return out


def _prices(pricing: dict[str, Any]) -> dict[str, Any]:
    """prompt/completion/input_cache_* per token → per-1M fields; `overrides` → long context."""
    values: dict[str, Any] = {
        "input_usd_per_mtok": per_token_to_mtok(pricing.get("prompt")),
        "output_usd_per_mtok": per_token_to_mtok(pricing.get("completion")),
        "cached_input_usd_per_mtok": per_token_to_mtok(pricing.get("input_cache_read")),
        "cache_write_5m_usd_per_mtok": per_token_to_mtok(pricing.get("input_cache_write")),
        "cache_write_1h_usd_per_mtok": per_token_to_mtok(pricing.get("input_cache_write_1h")),
    }
    overrides = [
        o for o in pricing.get("overrides") or [] if isinstance(o, dict) and positive_int(o.get("min_prompt_tokens"))
    ]
    if overrides:
        tier = min(overrides, key=lambda o: as_number(o["min_prompt_tokens"]) or 0.0)
        tier_in = per_token_to_mtok(tier.get("prompt"))
        tier_out = per_token_to_mtok(tier.get("completion"))
        values.update(
            long_context_threshold_tokens=positive_int(tier["min_prompt_tokens"]),
            long_context_input_usd_per_mtok=tier_in if tier_in is not None else values["input_usd_per_mtok"],
            long_context_output_usd_per_mtok=tier_out if tier_out is not None else values["output_usd_per_mtok"],
            long_context_cached_input_usd_per_mtok=per_token_to_mtok(tier.get("input_cache_read")),
        )
    return values
